variable "str" {
  default = "hello"
}

variable "num" {
  type    = number
  default = 42
}

variable "names" {
  type    = list(string)
  default = ["a", "b", "c"]
}

variable "counts" {
  type    = map(number)
  default = { a = 1, b = 2 }
}

variable "servers" {
  default = [{ name = "web", port = 80 }, { name = "db", port = 5432 }]
}

variable "secret" {
  type      = string
  default   = "s3cr3t-value"
  sensitive = true
}

variable "flag" {
  type    = bool
  default = true
}

variable "unset" {
  type = string
}

locals {
  greeting = "${var.str}, world"
  doubled  = [for n in [1, 2, 3] : n * 2]
  by_name  = { for s in var.servers : s.name => s.port }
}
