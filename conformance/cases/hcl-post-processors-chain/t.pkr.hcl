source "null" "a" {
  communicator = "none"
}
build {
  sources = ["source.null.a"]
  post-processors {
    post-processor "manifest" {
    }
    post-processor "shell-local" {
    }
    post-processor "manifest" {
      output = 5
      strip_path = "x"
    }
  }
}
