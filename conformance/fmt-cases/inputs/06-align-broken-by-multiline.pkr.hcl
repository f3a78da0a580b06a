locals {
  a = 1
  list = [
    1,
    2,
  ]
  bbbbbbbb = 2
  c = 3
}
