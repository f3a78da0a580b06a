a = [for x in var.l: upper(x)]
b = {for k, v in var.m: k => v if v != ""}
c = [for x in [1, 2]: x]
d = [ for s in var.list : s ]
e = {for s in var.list : s => 1... }
