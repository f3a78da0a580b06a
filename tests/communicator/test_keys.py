"""Private keys in every form a build meets: EC2's own, ssh-keygen's, and PKCS#8 from other tools."""

from __future__ import annotations

from pathlib import Path

import paramiko
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

from packer_py.communicator.errors import SSHKeyError
from packer_py.communicator.keys import load_private_key, load_private_key_file

KEYS = {
    "rsa": lambda: rsa.generate_private_key(public_exponent=65537, key_size=2048),
    "ecdsa": lambda: ec.generate_private_key(ec.SECP256R1()),
    "ed25519": lambda: ed25519.Ed25519PrivateKey.generate(),
}
FORMATS = {
    "openssh": serialization.PrivateFormat.OpenSSH,
    "pkcs8": serialization.PrivateFormat.PKCS8,
    "traditional": serialization.PrivateFormat.TraditionalOpenSSL,
}
PARAMIKO_CLASS = {"rsa": paramiko.RSAKey, "ecdsa": paramiko.ECDSAKey, "ed25519": paramiko.Ed25519Key}


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("kind", KEYS)
def test_every_key_type_in_every_format(kind: str, fmt: str) -> None:
    if kind == "ed25519" and fmt == "traditional":
        pytest.skip("Ed25519 has no traditional (PKCS#1/SEC1) PEM form")
    private = KEYS[kind]()
    pem = private.private_bytes(serialization.Encoding.PEM, FORMATS[fmt], serialization.NoEncryption())
    key = load_private_key(pem.decode())
    assert isinstance(key, PARAMIKO_CLASS[kind])
    expected = private.public_key().public_bytes(serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH)
    assert f"{key.get_name()} {key.get_base64()}" == expected.decode()


def test_key_file_with_tilde(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    pem = ed25519.Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.OpenSSH, serialization.NoEncryption()
    )
    (tmp_path / "id_test").write_bytes(pem)
    assert isinstance(load_private_key_file("~/id_test"), paramiko.Ed25519Key)


def test_missing_key_file(tmp_path: Path) -> None:
    missing = tmp_path / "nope"
    with pytest.raises(
        SSHKeyError, match=r"^Error on reading SSH private key: open .*nope: no such file or directory$"
    ):
        load_private_key_file(str(missing))


def test_text_that_is_not_a_key() -> None:
    with pytest.raises(SSHKeyError, match=r"^Error on parsing SSH private key: ssh: no key found$"):
        load_private_key("ssh-ed25519 AAAAC3Nza... a public key, not a private one")


def test_passphrase_protected_key_is_refused() -> None:
    pem = ed25519.Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.OpenSSH,
        serialization.BestAvailableEncryption(b"secret"),
    )
    with pytest.raises(SSHKeyError, match="passphrase protected"):
        load_private_key(pem)


def test_curve_paramiko_cannot_use() -> None:
    pem = ec.generate_private_key(ec.SECP256K1()).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    with pytest.raises(SSHKeyError, match="^Error on parsing SSH private key: "):
        load_private_key(pem)
