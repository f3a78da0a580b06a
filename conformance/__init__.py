"""Conformance: packer-py against outputs recorded from the real Packer 1.6.6."""
