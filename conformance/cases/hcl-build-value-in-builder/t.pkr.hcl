source "null" "a" {
  communicator = build.ID
}
build {
  sources = ["source.null.a"]
}
