a = { b = 1, cc = 2 }
bbb = { x = 1 }
