source "null" "a" {
  communicator = "none"
}
source "null" "b" {
  communicator = "none"
}
build {
  sources = ["source.null.a", "source.null.b"]
  provisioner "shell-local" {
    inline = ["echo"]
    override = {
      b = {
        bogus = 1
      }
      a = {
        inline = []
      }
    }
  }
}
