"""Private keys for SSH authentication: RSA, ECDSA and Ed25519, in OpenSSH or PEM (PKCS#1, SEC1, PKCS#8) form.

paramiko reads each key type only in some of these forms (its Ed25519 class reads only the OpenSSH form, while
EC2's ``CreateKeyPair`` returns RSA keys as PKCS#1 PEM and Ed25519 keys in OpenSSH form, and users bring PKCS#8 files
from other tools). So a key is parsed once with ``cryptography``, which reads them all, and handed to paramiko
re-encoded in the OpenSSH form every paramiko key class reads.

Messages follow Packer's: ``Error on reading SSH private key: ...`` and ``Error on parsing SSH private key: ...``
(Go's ``ssh.ParsePrivateKey`` reasons, e.g. ``ssh: no key found``). Encrypted keys are refused, as Packer does.

Speed: RSA and ECDSA keys go to paramiko as the parsed objects (parsing them twice cost a second RSA key check), and
RSA keys are loaded without cryptography's consistency check of the private numbers (``unsafe_skip_rsa_key_validation``,
26 ms for a 2048-bit key, twice the rest of a connection's client-side work). The check guards code that decrypts
or signs for others with a key it did not make; here the key is our own (the key pair EC2 just created, or the user's
file) and only signs our login, so a damaged key can only fail that login, as it would under Go, which does not
check either. A key is parsed once per process (``load_private_key`` caches by content), and ``prefetch`` parses it in
the background as soon as it is known, so the connection finds it ready.
"""

from __future__ import annotations

import io
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from packer_py.communicator.boundary import parsing_key
from packer_py.communicator.errors import SSHKeyError

if TYPE_CHECKING:
    import paramiko


@dataclass
class _Entry:
    done: threading.Event = field(default_factory=threading.Event)
    key: paramiko.PKey | None = None
    error: BaseException | None = None


_SSH_CURVES = ("secp256r1", "secp384r1", "secp521r1")
"""The curves SSH names (``ecdsa-sha2-nistp256``...); cryptography reads others (secp256k1) that SSH cannot use."""
_cache: dict[bytes, _Entry] = {}
_cache_lock = threading.Lock()


def load_private_key(data: str | bytes) -> paramiko.PKey:
    """Parse a private key given as text (the temporary key a build created, or a file's content).

    Parsed once per content and process: a second caller (the connection, after ``prefetch``) waits for the first.
    """
    raw = data.encode("utf-8") if isinstance(data, str) else data
    with _cache_lock:
        entry = _cache.get(raw)
        owner = entry is None
        if entry is None:
            entry = _cache[raw] = _Entry()
    if owner:
        try:
            entry.key = _parse(raw)
        except BaseException as exc:
            entry.error = exc
            with _cache_lock:
                _cache.pop(raw, None)
        finally:
            entry.done.set()
    else:
        entry.done.wait()
    if entry.error is not None:
        raise entry.error
    assert entry.key is not None
    return entry.key


def prefetch(data: str | bytes) -> None:
    """Parse ``data`` in a daemon thread (importing paramiko on the way); errors wait for the real load."""

    def run() -> None:
        try:
            load_private_key(data)
        except Exception:  # reported by the connection's own load_private_key call
            pass

    if data:
        threading.Thread(target=run, name="ssh-key-prefetch", daemon=True).start()


def _parse(raw: bytes) -> paramiko.PKey:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
    from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes

    if b"-----BEGIN" not in raw:
        raise SSHKeyError("Error on parsing SSH private key: ssh: no key found")
    loaded: PrivateKeyTypes
    try:
        try:
            loaded = serialization.load_ssh_private_key(raw, password=None, unsafe_skip_rsa_key_validation=True)
        except ValueError:
            loaded = serialization.load_pem_private_key(raw, password=None, unsafe_skip_rsa_key_validation=True)
    except TypeError as exc:
        raise SSHKeyError("Error on parsing SSH private key: ssh: this private key is passphrase protected") from exc
    except (ValueError, NotImplementedError) as exc:
        raise SSHKeyError(f"Error on parsing SSH private key: {exc}") from exc

    from packer_py.communicator.paramiko_import import load_paramiko

    paramiko = load_paramiko()
    if isinstance(loaded, rsa.RSAPrivateKey):
        with parsing_key():
            return paramiko.RSAKey(key=loaded)  # type: ignore[no-any-return]
    if isinstance(loaded, ec.EllipticCurvePrivateKey):
        if loaded.curve.name not in _SSH_CURVES:
            raise SSHKeyError(f"Error on parsing SSH private key: ssh: unsupported curve {loaded.curve.name}")
        with parsing_key():
            return paramiko.ECDSAKey(vals=(loaded, loaded.public_key()))  # type: ignore[no-any-return]
    if not isinstance(loaded, ed25519.Ed25519PrivateKey):
        raise SSHKeyError(f"Error on parsing SSH private key: ssh: unsupported key type {type(loaded).__name__}")
    openssh = loaded.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.OpenSSH, serialization.NoEncryption()
    )
    with parsing_key():
        return paramiko.Ed25519Key.from_private_key(io.StringIO(openssh.decode("ascii")))  # type: ignore[no-any-return]


def load_private_key_file(path: str) -> paramiko.PKey:
    """Read and parse a key file; ``~`` is expanded, as Packer's ``ExpandUser`` does."""
    try:
        data = Path(path).expanduser().read_bytes()
    except OSError as exc:
        reason = (exc.strerror or str(exc)).lower()
        raise SSHKeyError(f"Error on reading SSH private key: open {path}: {reason}") from exc
    return load_private_key(data)
