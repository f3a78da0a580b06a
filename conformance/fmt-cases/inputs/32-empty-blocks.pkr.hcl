build {}
build { }
build {
}
variable "x" {}
