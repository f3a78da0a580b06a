build {
  provisioner "shell" {
    inline_shebang = "/bin/sh"
    script = <<-EOT
      echo ${var.x}
        echo %{ if true }yes%{ endif }
    EOT
    x = 1
  }
}
