source "null" "a" {
  communicator = "ssh"
  ssh_host = "h"
  ssh_username = "u"
  ssh_password = "p"
  ssh_timeout = "5x"
}
build {
  sources = ["source.null.a"]
}
