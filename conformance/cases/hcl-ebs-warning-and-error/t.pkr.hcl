source "amazon-ebs" "web" {
  region = "us-east-1"
  spot_price_auto_product = "Linux/UNIX"
}
build {
  sources = ["source.amazon-ebs.web"]
}
