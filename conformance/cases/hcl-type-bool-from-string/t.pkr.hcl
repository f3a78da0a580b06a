source "null" "a" {
  communicator = "none"
  ssh_pty = "yes"
}
build {
  sources = ["source.null.a"]
}
