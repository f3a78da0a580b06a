"""The pure pieces of the ansible provisioners, on inputs the recorded cases do not cover."""

from __future__ import annotations

from pathlib import Path

from packer_py.provisioners.ansible import PlaybookRun, check_arg, galaxy_argvs, merged_env, playbook_args
from packer_py.provisioners.ansible_local import extra_vars, remote_playbooks


def test_galaxy_reads_the_requirements_format_as_packer() -> None:
    cfg = {"galaxy_file": "r.yml"}
    assert galaxy_argvs(cfg, "- src: x\n") == [["install", "-r", "r.yml"]]  # v1: a plain list of roles
    assert galaxy_argvs(cfg, "---\nroles:\n  - x\n") == [["install", "-r", "r.yml"]]
    assert galaxy_argvs(cfg, "collections:\n  - a.b\n") == [["collection", "install", "-r", "r.yml"]]
    assert galaxy_argvs(cfg, "  roles:\ncollections:\n") == [["collection", "install", "-r", "r.yml"]]  # ^roles: only


def test_check_arg_splits_on_equals_signs() -> None:
    assert check_arg("ansible_password", ["-e", "ansible_password=x"])
    assert check_arg("ansible_password", ["x=ansible_password"])
    assert not check_arg("ansible_password", ["-e ansible_password_file=x"])


def test_env_vars_override_the_process_environment_last_one_winning() -> None:
    env = merged_env({"A": "1", "B": "2"}, ["A=3", "C=x=y", "A=4", "NOEQUALS"])
    assert env == {"A": "4", "B": "2", "C": "x=y"}


def test_a_password_in_the_arguments_replaces_the_key_and_turns_host_key_checking_off() -> None:
    run = PlaybookRun("ERR_HTTP_ADDR_NOT_IMPLEMENTED_BY_BUILDER", "inv", "/p.yml", "/key", "ssh", False)
    args = playbook_args({"packer_builder_type": "null"}, ["-e", "ansible_password=pw"], run)
    assert "ansible_ssh_private_key_file=/key" not in args and args[-5:] == [
        "-e",
        "ansible_host_key_checking=False",
        "-i",
        "inv",
        "/p.yml",
    ]
    kept = playbook_args({"ansible_env_vars": ["ANSIBLE_HOST_KEY_CHECKING=True"]}, ["-e", "ansible_password=pw"], run)
    assert "ansible_host_key_checking=False" not in kept


def test_http_address_is_passed_when_the_builder_serves_one() -> None:
    run = PlaybookRun("10.0.0.1:8080", "inv", "/p.yml", "", "ssh", False)
    assert playbook_args({}, [], run)[:4] == ["-e", "packer_builder_type=", "-e", "packer_http_addr=10.0.0.1:8080"]


def test_ansible_local_playbook_files_inside_playbook_dir_are_not_uploaded_again(tmp_path: Path) -> None:
    cfg = {"playbook_dir": "pb", "playbook_files": ["pb/site.yml", "pbx/other.yml", "/abs/x.yml"]}
    assert remote_playbooks(cfg, str(tmp_path)) == [
        ("/site.yml", None),
        ("x/other.yml", None),  # sic: Packer's plain prefix test takes pbx/ for a part of pb/
        ("/abs/x.yml", "/abs/x.yml"),
    ]
    assert extra_vars({"packer_build_name": "b", "extra_arguments": ["-v"]}, "A").endswith('-o IdentitiesOnly=yes" -v')
