source "null" "a" {
  communicator = "none"
}
build {
  source "source.null.a" {
    name = "renamed"
  }
  provisioner "shell-local" {
    only   = ["null.renamed"]
    inline = "not a list"
  }
}
