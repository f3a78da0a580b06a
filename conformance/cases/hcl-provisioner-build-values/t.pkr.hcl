source "null" "a" {
  communicator = "none"
}
build {
  name = "bb"
  sources = ["source.null.a"]
  provisioner "shell-local" {
    inline = ["echo ${build.ID} ${build.name} ${source.name} ${source.type}"]
  }
}
