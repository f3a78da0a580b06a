a = var.list[*].id
b = var.list.*.id
c = var.m["k"]
d = var.l[0] [1]
e = x[ 0 ]
