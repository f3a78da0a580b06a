"""Local mode: a whole amazon-ebs build on one machine, with no AWS account and no sshd.

AWS is moto's server in-process; the instance is a paramiko SSH server whose commands run as root in a throwaway
root filesystem (an overlay of the host's ``/`` in a mount namespace); the AMI's content is that overlay's upper
layer, kept as a tarball in the sandbox. See ``docs/local-mode.md``.

Heavy libraries (moto, boto3, paramiko) load only when a session starts.
"""

from __future__ import annotations

from packer_py.local.images import Change, ImageRecord, ImageStore
from packer_py.local.namespace import LocalModeError, probe
from packer_py.local.report import say_changes, say_image, say_images
from packer_py.local.session import local_dir

__all__ = [
    "Change",
    "ImageRecord",
    "ImageStore",
    "LocalModeError",
    "local_dir",
    "probe",
    "say_changes",
    "say_image",
    "say_images",
]
