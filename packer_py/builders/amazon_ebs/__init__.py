"""The ``amazon-ebs`` builder: Packer 1.6.6's step list over boto3.

One module per step group (``pre_validate``, ``source_ami``, ``network``, ``key_pair``, ``security_group``,
``iam_profile``, ``volumes``, ``instance``/``spot``, ``connect``, ``provision``, ``stop``, ``deregister``,
``create_ami``, ``region_copy``, ``ami_attributes``, ``tags``); ``access`` makes the AWS clients, ``boundary``
translates botocore's errors, ``waiting`` holds the waiters and the retry helper. Importing this package does not
import boto3; running a build does.
"""

from __future__ import annotations

from packer_py.builders.amazon_ebs.artifact import BUILDER_ID, Artifact
from packer_py.builders.amazon_ebs.builder import Builder
from packer_py.builders.amazon_ebs.config import EbsConfig
from packer_py.builders.amazon_ebs.waiting import Clock

__all__ = ["BUILDER_ID", "Artifact", "Builder", "Clock", "EbsConfig"]
