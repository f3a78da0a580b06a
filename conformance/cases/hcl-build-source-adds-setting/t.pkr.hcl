source "null" "a" {
}
build {
  source "source.null.a" {
    communicator = "none"
  }
  source "source.null.a" {
    name = "nossh"
  }
}
