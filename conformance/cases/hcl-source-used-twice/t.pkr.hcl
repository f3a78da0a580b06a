source "null" "a" {
  communicator = "none"
}
build {
  sources = ["source.null.a"]
  source "source.null.a" {
    name = "second"
    communicator = "ssh"
  }
}
