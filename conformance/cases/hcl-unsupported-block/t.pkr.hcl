source "null" "a" {
  communicator = "none"
  extra {
  }
}
build {
  sources = ["source.null.a"]
}
