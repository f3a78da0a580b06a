"""``imagebuilder.output``: the command quoted in an export's README, and how ``apply`` tells an export directory
from a template."""

from __future__ import annotations

from pathlib import Path

from packer_py.imagebuilder.output import export_command, is_export_dir


def test_the_command_is_the_plain_one_for_plain_flags() -> None:
    assert export_command("httpd.json", "out") == "packer-py imagebuilder export httpd.json -o out"


def test_every_flag_is_repeated_but_var_values_are_not() -> None:
    command = export_command(
        "my dir/t.pkr.hcl",
        "out",
        var_names=["aws_secret_key", "region"],
        var_files=["a.json", "b.pkrvars.hcl"],
        only=["amazon-ebs.a", "amazon-ebs.b"],
        except_=["x"],
        bucket="bk",
        name="nm",
        resolve_source=True,
    )
    assert command == (
        "packer-py imagebuilder export -var=aws_secret_key=... -var=region=... -var-file=a.json "
        "-var-file=b.pkrvars.hcl -only=amazon-ebs.a,amazon-ebs.b -except=x --bucket bk --name nm --resolve-source "
        "'my dir/t.pkr.hcl' -o out"
    )


def test_a_folder_is_an_export_unless_it_holds_hcl2_templates(tmp_path: Path) -> None:
    export = tmp_path / "export"
    export.mkdir()
    (export / "export.json").write_text("{}")
    hcl = tmp_path / "hcl"
    hcl.mkdir()
    (hcl / "t.pkr.hcl").write_text("")
    named = tmp_path / "named.pkr.hcl"
    named.mkdir()
    (tmp_path / "t.json").write_text("{}")
    assert is_export_dir(str(export))
    assert not is_export_dir(str(hcl))
    assert not is_export_dir(str(named))
    assert not is_export_dir(str(tmp_path / "t.json"))
    assert not is_export_dir(str(tmp_path / "missing"))
