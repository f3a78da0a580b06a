source "null" "a" {
  communicator = "none"
}
source "amazon-ebs" "web" {
  region        = "us-east-1"
  ami_name      = "web-{{timestamp}}"
  instance_type = "t3.micro"
  source_ami    = "ami-0123456789abcdef0"
}
