a = "${lookup(var.m, "key", "default")}"
b = "${ "inner ${var.x}" }"
