variable "x" { type = string }
variable "y" {default=1}
