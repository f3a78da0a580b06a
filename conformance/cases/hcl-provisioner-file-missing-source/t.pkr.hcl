source "null" "a" {
  communicator = "none"
}
build {
  sources = ["source.null.a"]
  provisioner "file" {
    source = "nope.txt"
    destination = "/tmp/x"
  }
}
