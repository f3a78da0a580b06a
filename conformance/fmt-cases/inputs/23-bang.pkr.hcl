a = !b
c = ! d
e = !(x && y)
f = x && !y
