build {
  sources = ["source.null.nope"]
}
