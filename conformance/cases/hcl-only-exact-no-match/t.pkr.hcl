source "null" "b" {
}
build {
  name = "bb"
  sources = ["source.null.b"]
}
