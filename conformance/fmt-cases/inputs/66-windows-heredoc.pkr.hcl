a = <<EOT
body
EOT
bb = 1
