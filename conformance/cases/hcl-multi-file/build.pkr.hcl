build {
  sources = ["source.null.a", "source.amazon-ebs.web"]
  provisioner "shell-local" {
    inline = ["echo hi"]
  }
}
