a = "x" # c
#  only
bb = 2 # d
