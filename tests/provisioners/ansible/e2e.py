"""Building templates with real ``ansible-core`` against the harness (moto server + OpenSSH sshd), through the
``packer-py build`` command line, for the end-to-end tests of the ansible provisioners and the Jenkins template."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path
from typing import Any

import pytest

DATA = Path(__file__).resolve().parent / "data"
REPO = Path(__file__).resolve().parents[3]
ANSIBLE_BIN = Path(sys.executable).parent


def require_ansible() -> None:
    if not (ANSIBLE_BIN / "ansible-playbook").exists() and shutil.which("ansible-playbook") is None:
        pytest.skip("ansible-core is not installed (pip install 'packer-py[ansible]')")


def role_tarball(role_dir: Path, dest: Path) -> Path:
    """A role as Galaxy would serve it: a tarball whose top directory is the role."""
    with tarfile.open(dest, "w:gz") as tar:
        tar.add(role_dir, arcname=role_dir.name)
    return dest


def amazon_builder(moto: Any, sshd: Any, **keys: object) -> dict[str, object]:
    """An amazon-ebs builder aimed at the harness: EC2 is moto, the instance's SSH is the sshd."""
    builder: dict[str, object] = {
        "type": "amazon-ebs",
        "access_key": "testing",
        "secret_key": "testing",
        "region": "us-east-1",
        "custom_endpoint_ec2": moto.endpoint,
        "source_ami": moto.default_ami("us-east-1").image_id,
        "instance_type": "t2.micro",
        "ssh_username": sshd.user,
        "ssh_host": sshd.host,
        "ssh_port": sshd.port,
        "ssh_timeout": "30s",
        "ami_name": "ansible e2e {{timestamp}}",
    }
    builder.update(keys)
    return builder


def build_env(home: Path, **extra: str) -> dict[str, str]:
    """packer-py's environment: ansible-core of this Python first on PATH, a private HOME (Galaxy's roles, known
    hosts), and the instance's Python named (this machine's login PATH may lead Ansible's interpreter discovery to
    a version manager's shim)."""
    env = {
        "PATH": f"{ANSIBLE_BIN}:{os.environ.get('PATH', '/usr/bin:/bin')}",
        "HOME": str(home),
        "PYTHONPATH": str(REPO),
        "TZ": "UTC",
        "LANG": "C.UTF-8",
        "AWS_EC2_METADATA_DISABLED": "true",
        "CHECKPOINT_DISABLE": "1",
        "ANSIBLE_PYTHON_INTERPRETER": "/usr/bin/python3",
    }
    env.update(extra)
    return env


def build(template: Path, env: dict[str, str], *args: str, timeout: float = 240) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "packer_py", "build", "-color=false", *args, template.name],
        cwd=template.parent,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=timeout,
        start_new_session=True,
    )


def write_template(path: Path, template: dict[str, object]) -> Path:
    path.write_text(json.dumps(template, indent=2))
    return path


def amazon_template(case: Path, moto: Any, sshd: Any, *provisioners: dict[str, object]) -> Path:
    """``case/t.json``: the harness's amazon-ebs builder and these provisioners."""
    template = {"builders": [amazon_builder(moto, sshd)], "provisioners": list(provisioners)}
    return write_template(case / "t.json", template)


def read_remote(sshd: Any, path: str) -> str:
    """A file on the instance, read back over SSH (the harness's client key)."""
    from packer_py.communicator import SSHCommunicator, SSHConfig

    config = SSHConfig(
        ssh_host=sshd.host, ssh_port=sshd.port, ssh_username=sshd.user, ssh_private_key_file=str(sshd.client_key_path)
    )
    buffer = io.BytesIO()
    with SSHCommunicator(config) as comm:
        comm.get(path, buffer)
    return buffer.getvalue().decode()


def remote_mode(sshd: Any, path: str) -> str:
    from packer_py.communicator import SSHCommunicator, SSHConfig

    config = SSHConfig(
        ssh_host=sshd.host, ssh_port=sshd.port, ssh_username=sshd.user, ssh_private_key_file=str(sshd.client_key_path)
    )
    lines: list[str] = []
    with SSHCommunicator(config) as comm:
        comm.run(f"stat -c %a {path}", on_stdout=lines.append, on_stderr=lines.append)
    return "".join(lines).strip()
