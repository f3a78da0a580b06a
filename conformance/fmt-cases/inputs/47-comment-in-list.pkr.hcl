a = [
  "x", # first
  "yy", # second
  # standalone
  "z"
]
