source "null" "a" {
}
build {
  sources = ["source.null.a"]
}
