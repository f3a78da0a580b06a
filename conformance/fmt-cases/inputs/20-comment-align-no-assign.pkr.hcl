build {
  sources = ["a"] # x
  provisioner "shell" { # y
    inline = ["z"] # z
  } # w
}
