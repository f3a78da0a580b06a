source "null" "a" {
  communicator = "none"
}
build {
  source "source.null.a" {
    name = "renamed"
  }
  provisioner "shell-local" {
    only   = ["null.a"]
    inline = "not a list"
  }
}
