variable "x" {
  type = string
}
source "null" "a" {
  communicator = "none"
}
