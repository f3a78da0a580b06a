locals {
  a = <<EOF
  keep   this
      indentation
EOF
  bbb = 2
}
