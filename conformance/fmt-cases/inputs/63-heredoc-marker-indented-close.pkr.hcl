a = <<-EOT
    body
      EOT
b = 1
