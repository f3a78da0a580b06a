source "null" "a" {
  communicator = "none"
}
source "null" "b" {
}
build {
  sources = ["source.null.a", "source.null.b"]
}
