source "amazon-ebs" "web" {
  tags {
    a = 1
  }
  region        = "us-east-1"
  ami_name      = "web-{{timestamp}}"
  instance_type = "t3.micro"
  ssh_username  = "ec2-user"
  source_ami    = "ami-0123456789abcdef0"
}
build {
  sources = ["source.amazon-ebs.web"]
}
