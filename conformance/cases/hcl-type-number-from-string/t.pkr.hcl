source "null" "a" {
  communicator = "none"
  ssh_port = "twenty-two"
}
build {
  sources = ["source.null.a"]
}
