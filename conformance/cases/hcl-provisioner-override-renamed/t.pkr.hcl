source "null" "a" {
  communicator = "none"
}
build {
  source "source.null.a" {
    name = "r"
  }
  provisioner "shell-local" {
    inline = ["echo"]
    override = {
      r = {
        bogus = 1
      }
    }
  }
}
