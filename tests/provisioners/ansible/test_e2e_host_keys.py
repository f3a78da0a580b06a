"""The proxy adapter offers a modern host key, so current OpenSSH clients connect with Packer's default arguments
(``test_e2e.py``) and also with the ``+ssh-rsa`` arguments Packer 1.6.6 users add because its adapter offers only
``ssh-rsa`` (packer-plugin-ansible#69, #140): a single ``ansible_ssh_extra_args`` entry, and the
``ANSIBLE_SSH_ARGS`` + ``--ssh-extra-args`` workaround."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.provisioners.ansible.e2e import amazon_template, build, build_env
from tests.provisioners.ansible.test_e2e import _ansible, check_site, site_case  # noqa: F401 (autouse fixture)


@pytest.mark.parametrize(
    "keys",
    [
        pytest.param(
            {"ansible_ssh_extra_args": ["-o HostKeyAlgorithms=+ssh-rsa"], "use_proxy": True},
            id="proxy-with-ssh-rsa-argument",
        ),
        pytest.param(
            {
                "ansible_env_vars": [
                    "ANSIBLE_SSH_ARGS=-o HostKeyAlgorithms=+ssh-rsa -o PubkeyAcceptedKeyTypes=+ssh-rsa"
                ],
                "extra_arguments_more": ["--ssh-extra-args", "-o IdentitiesOnly=yes -o HostKeyAlgorithms=+ssh-rsa"],
            },
            id="proxy-with-packer-users-ssh-rsa-workarounds",
        ),
    ],
)
def test_users_ssh_rsa_arguments_still_work(keys: dict[str, object], moto: Any, sshd: Any, tmp_path: Path) -> None:
    case = site_case(tmp_path)
    root = tmp_path / "instance"
    extra = ["-e", f"site_root={root}", "-e", "greeting='hi from the e2e test'"]
    provisioner = {"type": "ansible", "playbook_file": "./site.yml", "galaxy_file": "./requirements.yml", **keys}
    provisioner["extra_arguments"] = extra + provisioner.pop("extra_arguments_more", [])  # type: ignore[operator]
    template = amazon_template(case, moto, sshd, provisioner)
    proc = build(template, build_env(tmp_path / "home"))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "    amazon-ebs: Setting up proxy adapter for Ansible...." in proc.stdout
    check_site(sshd, root)
