source "null" "x" {
  a = 1
  nested {
    x = 1
    yyy = 2
  }
  bbbbb = 2
}
