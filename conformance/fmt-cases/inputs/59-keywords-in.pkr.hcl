a = [for in in var.x: in]
b = [for x in[1]: x]
c = [for x in [1]: x]
