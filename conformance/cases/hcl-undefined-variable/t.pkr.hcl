source "null" "a" {
  communicator = var.nope
}
build {
  sources = ["source.null.a"]
}
