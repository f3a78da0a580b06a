"""HCL2 values (a model of go-cty) and Packer's HCL2 function library."""
