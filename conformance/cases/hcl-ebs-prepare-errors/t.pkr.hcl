source "amazon-ebs" "web" {
  region = "us-east-1"
}
build {
  sources = ["source.amazon-ebs.web"]
}
