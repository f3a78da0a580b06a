source "null" "a" {
  communicator = "none"
}
build {
  source "source.null.a" {
    bogus = 1
  }
}
