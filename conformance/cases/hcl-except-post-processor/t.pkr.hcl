source "null" "a" {
  communicator = "none"
}
build {
  sources = ["source.null.a"]
  post-processors {
    post-processor "manifest" {
      name = "keep"
    }
    post-processor "shell-local" {
      name = "drop"
    }
    post-processor "shell-local" {
    }
  }
}
