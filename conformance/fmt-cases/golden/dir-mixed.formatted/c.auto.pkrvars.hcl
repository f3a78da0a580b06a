r = "y"
