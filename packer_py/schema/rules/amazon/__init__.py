"""The amazon-ebs builder's Prepare, one module per config section as Packer splits it (access, AMI, block
devices, run), assembled in ``ebs``."""
