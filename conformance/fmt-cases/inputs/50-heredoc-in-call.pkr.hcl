a = trimspace(<<EOT
  text
EOT
)
bb = 1
