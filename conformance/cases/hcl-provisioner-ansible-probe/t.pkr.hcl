source "null" "a" {
  communicator = "none"
}
build {
  sources = ["source.null.a"]
  provisioner "ansible" {
    playbook_file = "p.yml"
  }
}
