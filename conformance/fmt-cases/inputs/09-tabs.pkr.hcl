variable "x" {
	type	=	string
	default = "a"	# tabbed comment
}
