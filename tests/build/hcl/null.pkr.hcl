variable "host" { type = string }
variable "port" { type = string }
variable "user" { type = string }
variable "key" { type = string }

source "null" "box" {
  ssh_host             = var.host
  ssh_port             = var.port
  ssh_username         = var.user
  ssh_private_key_file = var.key
}

build {
  sources = ["source.null.box"]

  provisioner "shell" {
    inline = [
      "echo id=${build.ID} user=${build.User} name=${source.name}",
      "echo build=$PACKER_BUILD_NAME type=$PACKER_BUILDER_TYPE",
    ]
  }

  provisioner "shell-local" {
    inline = ["echo local {{ build_name }} ${build.ConnType}"]
  }
}
