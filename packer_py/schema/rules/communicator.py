"""``communicator.Config.Prepare`` (packer-plugin-sdk 1.6.6): defaults and checks of the ssh/winrm options.

Shared by amazon-ebs (inside its RunConfig) and null. For ``ssh`` it fills ``ssh_port`` 22, ``ssh_timeout`` 5m,
``ssh_keep_alive_interval`` 5s, ``ssh_handshake_attempts`` 10, bastion/proxy ports and ``scp``; then checks, in
this order: ``ssh_username``, the private key file (exists and parses), bastion credentials, the transfer method,
bastion vs proxy, and the tunnel specs. An unknown ``communicator`` is reported alone.
"""

from __future__ import annotations

import base64
import re

from packer_py.goparse import MINUTE, SECOND, Duration
from packer_py.schema.rules.files import expand_user, read_bytes, stat
from packer_py.schema.rules.outcome import Checks, RuleEnv, str_list

E_COMMUNICATOR_TYPE = "E800"
E_SSH_USERNAME = "E801"
E_SSH_PRIVATE_KEY = "E802"
E_SSH_BASTION_AUTH = "E803"
E_SSH_BASTION_KEY = "E804"
E_SSH_TRANSFER_METHOD = "E805"
E_SSH_BASTION_AND_PROXY = "E806"
E_SSH_LOCAL_TUNNEL = "E807"
E_SSH_REMOTE_TUNNEL = "E808"
E_WINRM_USERNAME = "E809"

_PEM = re.compile(rb"-----BEGIN (?P<type>[^-\r\n]*)-----\r?\n(?P<body>.*?)-----END (?P=type)-----", re.DOTALL)
_SUPPORTED_KEY_TYPES = {
    b"RSA PRIVATE KEY",
    b"PRIVATE KEY",
    b"EC PRIVATE KEY",
    b"DSA PRIVATE KEY",
    b"OPENSSH PRIVATE KEY",
}


def _pem_block(data: bytes) -> tuple[bytes, dict[bytes, bytes]] | None:
    """The first decodable PEM block (type, headers), as Go's ``pem.Decode`` finds it."""
    for match in _PEM.finditer(data):
        body = match.group("body")
        headers: dict[bytes, bytes] = {}
        lines = body.splitlines()
        if lines and b":" in lines[0]:
            while lines and lines[0].strip():
                key, _, value = lines.pop(0).partition(b":")
                headers[key.strip()] = value.strip()
        try:
            base64.b64decode(b"".join(line.strip() for line in lines), validate=True)
        except ValueError:
            continue
        return match.group("type"), headers
    return None


def signer_error(path: str, env: RuleEnv) -> str | None:
    """``helperssh.FileSigner``: why ``path`` is not a usable private key, in Packer's words (None if usable)."""
    try:
        data = read_bytes(path, env)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        return f"Error setting up SSH config: open {path}: {reason[:1].lower() + reason[1:]}"
    block = _pem_block(data)
    if block is None:
        return f"Error setting up SSH config: Failed to read key '{path}': no key found"
    key_type, headers = block
    if headers.get(b"Proc-Type") == b"4,ENCRYPTED":
        return (
            f"Error setting up SSH config: Failed to read key '{path}': password protected keys are\n"
            "not supported. Please decrypt the key prior to use."
        )
    if key_type not in _SUPPORTED_KEY_TYPES:
        return f'Error setting up SSH config: ssh: unsupported key type "{key_type.decode("utf-8", "replace")}"'
    return _parse_error(data)


def _parse_error(data: bytes) -> str | None:
    """Whether the key parses; packer-py uses ``cryptography`` (paramiko's dependency) when installed."""
    try:
        from cryptography.exceptions import UnsupportedAlgorithm
        from cryptography.hazmat.primitives import serialization
    except ImportError:  # pragma: no cover - cryptography ships with paramiko
        return None
    try:
        if b"OPENSSH PRIVATE KEY" in data:
            serialization.load_ssh_private_key(data, password=None)
        else:
            serialization.load_pem_private_key(data, password=None)
    except TypeError:
        return "Error setting up SSH config: ssh: this private key is passphrase protected"
    except (ValueError, UnsupportedAlgorithm) as exc:
        return f"Error setting up SSH config: ssh: {exc}"
    return None


def _key_file_error(option: str, path: str, env: RuleEnv) -> str | None:
    try:
        expanded = expand_user(path)
    except LookupError as exc:
        return f"{option} is invalid: {exc}"
    result = stat(expanded, env)
    if result.error is not None:
        return f"{option} is invalid: {result.error}"
    problem = signer_error(expanded, env)
    if problem is not None:
        return f"{option} is invalid: {problem}"
    return None


def _tunnel_error(spec: str) -> str | None:
    """``helperssh.ParseTunnelArgument``."""
    listen, sep, forward = spec.partition(":")
    if not sep:
        return f"Error parsing tunnel '{spec}': [{spec}]"
    host_port = _split_host_port(forward)
    if isinstance(host_port, str):
        return f"Error parsing forwarding, must be a tcp address: {host_port}"
    if not _atoi_ok(host_port[1]):
        return f'Error parsing forwarding port, must be a valid port: strconv.Atoi: parsing "{host_port[1]}": invalid syntax'  # noqa: E501
    if not _atoi_ok(listen):
        return f'Error parsing listening port, must be a valid port: strconv.Atoi: parsing "{listen}": invalid syntax'
    return None


def _atoi_ok(text: str) -> bool:
    return re.fullmatch(r"[+-]?[0-9]+", text) is not None


def _split_host_port(hostport: str) -> tuple[str, str] | str:
    """``net.SplitHostPort`` for the common cases; returns Go's error text on failure."""
    if hostport.startswith("["):
        end = hostport.find("]")
        if end == -1:
            return f"address {hostport}: missing ']' in address"
        if end + 1 == len(hostport) or hostport[end + 1] != ":":
            return f"address {hostport}: missing port in address"
        return hostport[1:end], hostport[end + 2 :]
    colon = hostport.rfind(":")
    if colon == -1:
        return f"address {hostport}: missing port in address"
    if hostport.count(":") > 1:
        return f"address {hostport}: too many colons in address"
    return hostport[:colon], hostport[colon + 1 :]


def prepare(cfg: dict[str, object], checks: Checks, env: RuleEnv) -> None:
    """``communicator.Config.Prepare``; fills defaults into ``cfg`` and appends errors to ``checks``."""
    if cfg["communicator"] == "":
        cfg["communicator"] = "ssh"
    kind = cfg["communicator"]
    if kind == "ssh":
        _prepare_ssh(cfg, checks, env)
    elif kind == "winrm":
        _prepare_winrm(cfg, checks)
    elif kind in ("docker", "dockerWindowsContainer", "none"):
        pass
    else:
        checks.error(E_COMMUNICATOR_TYPE, f"Communicator type {kind} is invalid", "communicator")


def _prepare_ssh(cfg: dict[str, object], checks: Checks, env: RuleEnv) -> None:
    if cfg["ssh_port"] == 0:
        cfg["ssh_port"] = 22
    if cfg["ssh_timeout"] == 0:
        cfg["ssh_timeout"] = Duration(5 * MINUTE)
    if cfg["ssh_keep_alive_interval"] == 0:
        cfg["ssh_keep_alive_interval"] = Duration(5 * SECOND)
    if cfg["ssh_handshake_attempts"] == 0:
        cfg["ssh_handshake_attempts"] = 10
    if cfg["ssh_bastion_host"]:
        if cfg["ssh_bastion_port"] == 0:
            cfg["ssh_bastion_port"] = 22
        if not cfg["ssh_bastion_private_key_file"] and cfg["ssh_private_key_file"]:
            cfg["ssh_bastion_private_key_file"] = cfg["ssh_private_key_file"]
        if not cfg["ssh_bastion_certificate_file"] and cfg["ssh_certificate_file"]:
            cfg["ssh_bastion_certificate_file"] = cfg["ssh_certificate_file"]
    if cfg["ssh_proxy_host"] and cfg["ssh_proxy_port"] == 0:
        cfg["ssh_proxy_port"] = 1080
    if cfg["ssh_file_transfer_method"] == "":
        cfg["ssh_file_transfer_method"] = "scp"
    if cfg["ssh_wait_timeout"] != 0:
        cfg["ssh_timeout"] = cfg["ssh_wait_timeout"]

    if cfg["ssh_username"] == "":
        checks.error(
            E_SSH_USERNAME,
            'An ssh_username must be specified\n  Note: some builders used to default ssh_username to "root".',
            "ssh_username",
        )
    key_file = cfg["ssh_private_key_file"]
    if isinstance(key_file, str) and key_file:
        problem = _key_file_error("ssh_private_key_file", key_file, env)
        if problem is not None:
            checks.error(E_SSH_PRIVATE_KEY, problem, "ssh_private_key_file")
    if cfg["ssh_bastion_host"] and not cfg["ssh_bastion_agent_auth"]:
        bastion_key = cfg["ssh_bastion_private_key_file"]
        if cfg["ssh_bastion_password"] == "" and bastion_key == "":
            checks.error(
                E_SSH_BASTION_AUTH,
                "ssh_bastion_password or ssh_bastion_private_key_file must be specified",
                "ssh_bastion_host",
            )
        elif isinstance(bastion_key, str) and bastion_key:
            problem = _key_file_error("ssh_bastion_private_key_file", bastion_key, env)
            if problem is not None:
                checks.error(E_SSH_BASTION_KEY, problem, "ssh_bastion_private_key_file")
    method = cfg["ssh_file_transfer_method"]
    if method not in ("scp", "sftp"):
        checks.error(
            E_SSH_TRANSFER_METHOD,
            f"ssh_file_transfer_method ('{method}') is invalid, valid methods: sftp, scp",
            "ssh_file_transfer_method",
        )
    if cfg["ssh_bastion_host"] and cfg["ssh_proxy_host"]:
        checks.error(
            E_SSH_BASTION_AND_PROXY,
            "please specify either ssh_bastion_host or ssh_proxy_host, not both",
            "ssh_proxy_host",
        )
    for option, code in (("ssh_local_tunnels", E_SSH_LOCAL_TUNNEL), ("ssh_remote_tunnels", E_SSH_REMOTE_TUNNEL)):
        for index, tunnel in enumerate(str_list(cfg, option)):
            problem = _tunnel_error(tunnel)
            if problem is not None:
                checks.error(code, f"{option} ('{tunnel}') is invalid: {problem}", option, index)


def _prepare_winrm(cfg: dict[str, object], checks: Checks) -> None:
    if cfg["winrm_port"] == 0:
        cfg["winrm_port"] = 5986 if cfg["winrm_use_ssl"] else 5985
    if cfg["winrm_timeout"] == 0:
        cfg["winrm_timeout"] = Duration(30 * MINUTE)
    if cfg["winrm_username"] == "":
        checks.error(E_WINRM_USERNAME, "winrm_username must be specified.", "winrm_username")


def host(cfg: dict[str, object]) -> object:
    return {"ssh": cfg["ssh_host"], "winrm": cfg["winrm_host"]}.get(str(cfg["communicator"]), "")


def user(cfg: dict[str, object]) -> object:
    return {"ssh": cfg["ssh_username"], "winrm": cfg["winrm_username"]}.get(str(cfg["communicator"]), "")


def password(cfg: dict[str, object]) -> object:
    return {"ssh": cfg["ssh_password"], "winrm": cfg["winrm_password"]}.get(str(cfg["communicator"]), "")
