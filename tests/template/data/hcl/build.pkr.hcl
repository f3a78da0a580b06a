source "amazon-ebs" "web" {
  ami_name      = "web-${var.str} {{timestamp}}"
  instance_type = "t3.micro"
  region        = "us-east-1"
  source_ami_filter {
    filters = {
      name = "ubuntu/*"
    }
    owners      = ["099720109477"]
    most_recent = true
  }
  launch_block_device_mappings {
    device_name = "/dev/sda1"
    volume_size = var.num
  }
  tags = {
    Name = source.name
  }
}

build {
  name        = "main"
  description = "A build.\nTwo lines."
  sources     = ["source.amazon-ebs.web"]

  provisioner "shell" {
    inline = [<<-EOT
      echo ${local.greeting}
      EOT
    ]
  }

  post-processors {
    post-processor "manifest" {
      output = "m.json"
    }
    post-processor "shell-local" {
      inline = ["true"]
    }
  }
}
