locals {
  x = 1
  long_name = <<EOF
body
EOF
  y = 2
}
