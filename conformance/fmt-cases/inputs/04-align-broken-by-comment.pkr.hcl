a = 1
# a comment
bbbbbb = 2
cc = 3
// another
d = 4
