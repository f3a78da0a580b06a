"""Rewriting templates: ``fmt`` (Packer's canonical HCL2 layout) and, later, ``hcl2_upgrade`` (JSON to HCL2).

``hcl_format`` reproduces hashicorp/hcl's ``hclwrite.Format`` on a token stream, ``unified_diff`` reproduces the
``diff -u`` that Packer 1.6.6 shells out to for ``fmt -diff``, and ``formatter`` is Packer's ``HCL2Formatter``: which
files a path names, the parse check, writing and reporting.
"""
