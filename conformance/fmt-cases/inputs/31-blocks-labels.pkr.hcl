source   "amazon-ebs"    "example"   {
  ami_name="x"
}
build{
  sources=[ "source.amazon-ebs.example" ]
}
