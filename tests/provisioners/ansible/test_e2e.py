"""The ansible provisioners end to end with real ansible-core: amazon-ebs builds against the harness's moto server
and OpenSSH sshd through ``packer-py build``. A playbook with a role installed by ``ansible-galaxy`` from a local
tarball writes files and a template on the instance, which the test reads back over SSH; through the proxy adapter
(with and without the ``+ssh-rsa`` arguments Packer users add) and directly (``use_proxy: false``); a failing task
fails the build with exit 1 and leaves nothing in moto; ``ansible-local`` runs the same playbook on the instance."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.provisioners.ansible.e2e import (
    ANSIBLE_BIN,
    DATA,
    amazon_template,
    build,
    build_env,
    read_remote,
    remote_mode,
    require_ansible,
    role_tarball,
)


@pytest.fixture(autouse=True)
def _ansible() -> None:
    require_ansible()


def site_case(tmp_path: Path) -> Path:
    """A template directory with the playbook and a requirements file naming the role's tarball (a local source)."""
    case = tmp_path / "case"
    case.mkdir()
    shutil.copy(DATA / "site.yml", case / "site.yml")
    shutil.copy(DATA / "failing.yml", case / "failing.yml")
    tarball = role_tarball(DATA / "roles" / "site_files", tmp_path / "site_files.tar.gz")
    (case / "requirements.yml").write_text(f"- src: {tarball}\n  name: packer_py.site_files\n")
    return case


def check_site(sshd: Any, root: Path, build_name: str = "amazon-ebs") -> None:
    conf = read_remote(sshd, f"{root}/conf/site.conf")
    assert f"build={build_name}\n" in conf
    assert "builder=amazon-ebs\n" in conf
    assert "host=default\n" in conf
    assert f"user={sshd.user}\n" in conf  # become: root on the harness
    assert "kernel=Linux\n" in conf
    assert conf.startswith("# Ansible managed")
    assert read_remote(sshd, f"{root}/marker.txt") == "written by the site_files role for packer-py\n"
    assert remote_mode(sshd, f"{root}/marker.txt") == "600"
    assert read_remote(sshd, f"{root}/greeting.txt") == "hi from the e2e test\n"


@pytest.mark.parametrize(
    "keys",
    [
        pytest.param({}, id="proxy"),
        pytest.param({"use_proxy": False}, id="direct"),
    ],
)
def test_playbook_with_a_galaxy_role_provisions_the_instance(
    keys: dict[str, object], moto: Any, sshd: Any, tmp_path: Path
) -> None:
    case = site_case(tmp_path)
    root = tmp_path / "instance"
    provisioner = {
        "type": "ansible",
        "playbook_file": "./site.yml",
        "galaxy_file": "./requirements.yml",
        "extra_arguments": ["-e", f"site_root={root}", "-e", "greeting='hi from the e2e test'"],
        **keys,
    }
    provisioner["extra_arguments"] += provisioner.pop("extra_arguments_more", [])  # type: ignore[operator]
    template = amazon_template(case, moto, sshd, provisioner)
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    proc = build(template, build_env(tmp_path / "home", TMPDIR=str(scratch)))
    out = proc.stdout
    assert proc.returncode == 0, out + proc.stderr
    assert "==> amazon-ebs: Provisioning with Ansible..." in out
    assert f"-i {scratch}/packer-provisioner-ansible" in out
    assert "    amazon-ebs: Executing Ansible Galaxy" in out
    assert re.search(r"    amazon-ebs: - packer_py.site_files .*was installed successfully", out), out
    if keys.get("use_proxy") is False:
        assert "    amazon-ebs: \tUsing ssh keys from Packer communicator..." in out
    else:
        assert "    amazon-ebs: Setting up proxy adapter for Ansible...." in out
    assert "    amazon-ebs: TASK [packer_py.site_files : Render the site configuration] " in out
    assert re.search(r"    amazon-ebs: default +: ok=\d+ +changed=\d+ +unreachable=0 +failed=0", out), out
    assert "--> amazon-ebs: AMIs were created:" in out
    check_site(sshd, root)
    assert not [p.name for p in scratch.iterdir() if p.name.startswith(("packer-provisioner-ansible", "ansible-key"))]


def test_a_failing_task_fails_the_build_and_leaves_nothing(moto: Any, sshd: Any, tmp_path: Path) -> None:
    case = site_case(tmp_path)
    template = amazon_template(case, moto, sshd, {"type": "ansible", "playbook_file": "failing.yml"})
    proc = build(template, build_env(tmp_path / "home"))
    out = proc.stdout
    assert proc.returncode == 1, out
    assert "    amazon-ebs: TASK [Then fails] " in out
    assert "Build 'amazon-ebs' errored after" in out
    assert out.rstrip().endswith(
        "--> amazon-ebs: Error executing Ansible: Non-zero exit status: exit status 2\n\n"
        "==> Builds finished but no artifacts were created."
    )
    assert "==> amazon-ebs: Terminating the source AWS instance..." in out
    assert not moto.leftovers(), str(moto.leftovers())


def test_ansible_local_runs_the_playbook_on_the_instance(moto: Any, sshd: Any, tmp_path: Path) -> None:
    case = site_case(tmp_path)
    shutil.copytree(DATA / "roles" / "site_files", case / "roles" / "packer_py.site_files")
    (case / "group_vars").mkdir()
    (case / "group_vars" / "all.yml").write_text("greeting: hi from the e2e test\n")
    root = tmp_path / "instance"
    staging = tmp_path / "staging"
    provisioner = {
        "type": "ansible-local",
        "playbook_file": "site.yml",
        "role_paths": ["roles/packer_py.site_files"],
        "group_vars": "group_vars",
        "staging_directory": str(staging),
        "clean_staging_directory": True,
        "command": f"ANSIBLE_FORCE_COLOR=1 PYTHONUNBUFFERED=1 {ANSIBLE_BIN}/ansible-playbook",
        "extra_arguments": ["-e", f"site_root={root}", "-e", "ansible_python_interpreter=/usr/bin/python3"],
    }
    template = amazon_template(case, moto, sshd, provisioner)
    proc = build(template, build_env(tmp_path / "home"))
    out = proc.stdout
    assert proc.returncode == 0, out + proc.stderr
    assert "    amazon-ebs: Uploading role directories..." in out
    assert f"    amazon-ebs: Executing Ansible: cd {staging} && ANSIBLE_FORCE_COLOR=1" in out
    assert "    amazon-ebs: Removing staging directory..." in out
    conf = read_remote(sshd, f"{root}/conf/site.conf")
    assert "build=amazon-ebs\n" in conf and "host=127.0.0.1\n" in conf
    assert read_remote(sshd, f"{root}/greeting.txt") == "hi from the e2e test\n"
    assert not staging.exists()
