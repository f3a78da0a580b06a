source "null" "a" {
  communicator = "none"
}
source "null" "b" {
  communicator = "none"
}
build {
  sources = ["source.null.a", "source.null.b"]
  provisioner "shell-local" {
    only = ["null.b"]
  }
  provisioner "shell-local" {
    except = ["null.b"]
    inline = "x"
  }
}
