"""Hashes, ``bcrypt``, ``rsadecrypt`` and UUIDs (go-cty-funcs ``crypto`` and ``uuid``).

``bcrypt`` matches Go's ``x/crypto/bcrypt`` as built into Packer 1.6.6: ``$2a$`` hashes, cost 10 by default, a
cost below 4 silently becomes 10, passwords are cut at 72 bytes. The ``bcrypt`` and ``cryptography`` modules
are imported only when these functions run.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from packer_py.gofmt import quote as go_quote
from packer_py.interpolate.hcl.functions.gocty import int_arg
from packer_py.interpolate.hcl.functions.spec import Arg, FunctionCallError, HclFunction, Param, define, value
from packer_py.interpolate.hcl.types import NUMBER, STRING, CtyType
from packer_py.interpolate.hcl.values import Value, string_val

if TYPE_CHECKING:
    import uuid


def _hash(name: str) -> HclFunction:
    def impl(args: Sequence[Arg], ret: CtyType) -> Value:
        import hashlib

        return string_val(hashlib.new(name, value(args, 0).as_string().encode()).hexdigest())

    return define(name, [Param("str", STRING)], STRING, impl)


def _bcrypt(args: Sequence[Arg], ret: CtyType) -> Value:
    cost = 10
    if len(args) > 1:
        cost = int_arg(value(args, 1))
    if len(args) > 2:
        raise FunctionCallError(None, "bcrypt() takes no more than two arguments")
    if cost < 4:
        cost = 10
    if cost > 31:
        raise FunctionCallError(
            None, f"error occured generating password crypto/bcrypt: cost {cost} is outside allowed range (4,31)"
        )
    import bcrypt

    password = value(args, 0).as_string().encode()[:72]
    hashed = bcrypt.hashpw(password, bcrypt.gensalt(rounds=cost, prefix=b"2a"))
    return string_val(hashed.decode())


def _rsadecrypt(args: Sequence[Arg], ret: CtyType) -> Value:
    import base64
    import binascii

    ciphertext = value(args, 0).as_string()
    key_pem = value(args, 1).as_string()
    try:
        data = base64.b64decode(ciphertext.encode(), validate=True)
    except binascii.Error:
        raise FunctionCallError(
            None, f"failed to decode input {go_quote(ciphertext)}: cipher text must be base64-encoded"
        ) from None
    if "-----BEGIN" not in key_pem:
        raise FunctionCallError(None, "failed to parse key: no key found")
    if "Proc-Type: 4,ENCRYPTED" in key_pem:
        raise FunctionCallError(
            None,
            "failed to parse key: password protected keys are not supported. Please decrypt the key prior to use",
        )
    from cryptography.hazmat.primitives.asymmetric import padding, rsa
    from cryptography.hazmat.primitives.serialization import load_pem_private_key

    try:
        key = load_pem_private_key(key_pem.encode(), password=None)
    except (ValueError, TypeError):
        raise FunctionCallError(
            None, "x509: failed to parse private key (use ParsePKCS8PrivateKey instead for this key format)"
        ) from None
    if not isinstance(key, rsa.RSAPrivateKey):
        raise FunctionCallError(None, "x509: failed to parse private key")
    try:
        plain = key.decrypt(data, padding.PKCS1v15())
    except ValueError:
        raise FunctionCallError(None, "crypto/rsa: decryption error") from None
    return string_val(plain.decode("utf-8", errors="replace"))


def _go_uuid_parse(s: str) -> uuid.UUID:
    """``github.com/google/uuid.Parse``: 36-char form, ``urn:uuid:`` prefix, braces, or 32 hex digits."""
    import uuid

    if len(s) == 36 + 9:
        if s[:9].lower() != "urn:uuid:":
            raise ValueError(f"invalid urn prefix: {go_quote(s[:9])}")
        s = s[9:]
    elif len(s) == 36 + 2:
        s = s[1:-1]
    elif len(s) == 32:
        try:
            return uuid.UUID(hex=s)
        except ValueError:
            raise ValueError("invalid UUID format") from None
    elif len(s) != 36:
        raise ValueError(f"invalid UUID length: {len(s)}")
    if s[8] != "-" or s[13] != "-" or s[18] != "-" or s[23] != "-":
        raise ValueError("invalid UUID format")
    try:
        return uuid.UUID(s)
    except ValueError:
        raise ValueError("invalid UUID format") from None


def _uuidv5(args: Sequence[Arg], ret: CtyType) -> Value:
    import hashlib
    import uuid

    namespaces = {
        "dns": uuid.NAMESPACE_DNS,
        "url": uuid.NAMESPACE_URL,
        "oid": uuid.NAMESPACE_OID,
        "x500": uuid.NAMESPACE_X500,
    }
    ns_text = value(args, 0).as_string()
    namespace = namespaces.get(ns_text)
    if namespace is None:
        try:
            namespace = _go_uuid_parse(ns_text)
        except ValueError as exc:
            raise FunctionCallError(None, f"uuidv5() doesn't support namespace {ns_text} ({exc})") from None
    name = value(args, 1).as_string()
    digest = hashlib.sha1(namespace.bytes + name.encode()).digest()[:16]
    raw = bytearray(digest)
    raw[6] = (raw[6] & 0x0F) | 0x50
    raw[8] = (raw[8] & 0x3F) | 0x80
    return string_val(str(uuid.UUID(bytes=bytes(raw))))


def _uuidv4(args: Sequence[Arg], ret: CtyType) -> Value:
    import uuid

    return string_val(str(uuid.uuid4()))


def functions() -> dict[str, HclFunction]:
    fns = [
        _hash("md5"),
        _hash("sha1"),
        _hash("sha256"),
        _hash("sha512"),
        define("bcrypt", [Param("str", STRING)], STRING, _bcrypt, var_param=Param("cost", NUMBER)),
        define("rsadecrypt", [Param("ciphertext", STRING), Param("privatekey", STRING)], STRING, _rsadecrypt),
        define("uuidv4", [], STRING, _uuidv4),
        define("uuidv5", [Param("namespace", STRING), Param("name", STRING)], STRING, _uuidv5),
    ]
    return {f.name: f for f in fns}
