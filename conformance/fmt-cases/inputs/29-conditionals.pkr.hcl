a = var.x == "" ? "default" : var.x
b = (var.y!=null)?var.y:1
