source "null" "a" {
  communicator = "none"
  ssh_host = "{{user `x`}}"
}
source "null" "b" {
  communicator = "none"
  ssh_host = "{{packer_version}}"
}
source "null" "c" {
  communicator = "none"
  ssh_host = "{{env `HOME`}}"
}
build {
  sources = ["source.null.a", "source.null.b", "source.null.c"]
}
