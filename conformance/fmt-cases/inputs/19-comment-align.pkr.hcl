a = 1 # one
bbbbb = "two" # two
c = [1, 2] # three

d = 4       # alone
