source "null" "a" {
  communicator = "none"
}
source "null" "b" {
}
build {
  sources = ["source.null.b", "source.null.a"]
  provisioner "shell-local" {
    inline = ["echo hi"]
  }
}
