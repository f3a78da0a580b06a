build {
sources = ["source.null.x"]
provisioner "shell" {
inline = [
"echo hi",
"echo there"
]
}
}
