source "null" "a" {
  communicator = "none"
}
build {
  source "source.null.a" {
    communicator = "ssh"
  }
}
