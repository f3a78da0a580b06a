tags = {
  "ü" = 1
  "日本語" = 2
  "é" = 3
  ascii = 4
}
name = "héllo" # ünicode comment
x = 1       # c
