tags = { Name = "x", Env="y" }
empty = {}
empty2 = { }
m = {
  "quoted key" = 1
  other = 2
  k: 3
}
