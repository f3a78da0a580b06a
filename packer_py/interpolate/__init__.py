"""Template interpolation: Go templates (JSON templates) and HCL2 expressions."""
