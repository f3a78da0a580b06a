"""Builders: ``amazon_ebs`` (Packer's amazon-ebs over boto3)."""
