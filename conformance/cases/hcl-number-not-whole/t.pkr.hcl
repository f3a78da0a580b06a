source "null" "a" {
  communicator = "none"
  ssh_port = 22.5
}
build {
  sources = ["source.null.a"]
}
