"""Private keys for SSH authentication: RSA, ECDSA and Ed25519, in OpenSSH or PEM (PKCS#1, SEC1, PKCS#8) form.

paramiko reads each key type only in some of these forms (its Ed25519 class reads only the OpenSSH form, while
EC2's ``CreateKeyPair`` returns RSA keys as PKCS#1 PEM and Ed25519 keys in OpenSSH form, and users bring PKCS#8 files
from other tools). So a key is parsed once with ``cryptography``, which reads them all, and handed to paramiko
re-encoded in the OpenSSH form every paramiko key class reads.

Messages follow Packer's: ``Error on reading SSH private key: ...`` and ``Error on parsing SSH private key: ...``
(Go's ``ssh.ParsePrivateKey`` reasons, e.g. ``ssh: no key found``). Encrypted keys are refused, as Packer does.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING

from packer_py.communicator.boundary import parsing_key
from packer_py.communicator.errors import SSHKeyError

if TYPE_CHECKING:
    import paramiko


def load_private_key(data: str | bytes) -> paramiko.PKey:
    """Parse a private key given as text (the temporary key a build created, or a file's content)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
    from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes

    raw = data.encode("utf-8") if isinstance(data, str) else data
    if b"-----BEGIN" not in raw:
        raise SSHKeyError("Error on parsing SSH private key: ssh: no key found")
    loaded: PrivateKeyTypes
    try:
        try:
            loaded = serialization.load_ssh_private_key(raw, password=None)
        except ValueError:
            loaded = serialization.load_pem_private_key(raw, password=None)
    except TypeError as exc:
        raise SSHKeyError("Error on parsing SSH private key: ssh: this private key is passphrase protected") from exc
    except (ValueError, NotImplementedError) as exc:
        raise SSHKeyError(f"Error on parsing SSH private key: {exc}") from exc

    import paramiko

    key_class: type[paramiko.PKey]
    if isinstance(loaded, rsa.RSAPrivateKey):
        key_class = paramiko.RSAKey
    elif isinstance(loaded, ed25519.Ed25519PrivateKey):
        key_class = paramiko.Ed25519Key
    elif isinstance(loaded, ec.EllipticCurvePrivateKey):
        key_class = paramiko.ECDSAKey
    else:
        raise SSHKeyError(f"Error on parsing SSH private key: ssh: unsupported key type {type(loaded).__name__}")
    try:
        openssh = loaded.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.OpenSSH, serialization.NoEncryption()
        )
    except ValueError as exc:  # e.g. an EC curve SSH has no name for (secp256k1)
        raise SSHKeyError(f"Error on parsing SSH private key: {exc}") from exc
    with parsing_key():
        return key_class.from_private_key(io.StringIO(openssh.decode("ascii")))


def load_private_key_file(path: str) -> paramiko.PKey:
    """Read and parse a key file; ``~`` is expanded, as Packer's ``ExpandUser`` does."""
    try:
        data = Path(path).expanduser().read_bytes()
    except OSError as exc:
        reason = (exc.strerror or str(exc)).lower()
        raise SSHKeyError(f"Error on reading SSH private key: open {path}: {reason}") from exc
    return load_private_key(data)
