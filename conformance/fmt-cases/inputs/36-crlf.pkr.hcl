a=1
bbb = 2
block {
x = 1
}
