a = [<<EOT
line
EOT
, "b"]
