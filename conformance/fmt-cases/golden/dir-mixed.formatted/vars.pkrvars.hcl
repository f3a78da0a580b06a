region = "x"
