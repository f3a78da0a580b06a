a { # c1
  b = 1 # c2
} # c3
