"""Template interpolation: the Go text/template engine of JSON templates (``gotemplate``) and HCL2 (``hcl``)."""
