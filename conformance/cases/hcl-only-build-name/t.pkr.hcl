source "null" "a" {
  communicator = "none"
}
source "null" "b" {
}
build {
  name = "good"
  sources = ["source.null.a"]
}
build {
  name = "bad"
  sources = ["source.null.b"]
}
