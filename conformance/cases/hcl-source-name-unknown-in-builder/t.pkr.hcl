source "null" "a" {
  communicator = "${source.name}"
}
build {
  sources = ["source.null.a"]
}
