source "null" "a" {
  communicator = "none"
}
build {
  sources = ["source.null.a"]
  post-processor "shell-local" {
    name = "pp"
  }
}
