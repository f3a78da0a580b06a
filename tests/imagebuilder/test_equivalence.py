"""Equivalence: ``packer-py build`` of a template and ``run-component`` of its export leave the same file system.

Each side gets its own fresh sandbox host (``tests/harness/sandbox.py``): a real OpenSSH sshd whose sessions run as
root in a fresh overlay of this machine's ``/``, with the same shims (``sudo``, ``yum``, ``systemctl``, an ``aws``
aimed at the harness's moto server) and the same environment. So the two start identical, and everything either
side does goes through a real SSH server:

* side A: ``packer-py build`` of the template, whose amazon-ebs builder talks to moto (EC2, IAM) and reaches the
  "instance" at sandbox A (the only change to the template: ``custom_endpoint_ec2``, a ``source_ami`` moto knows,
  ``ssh_host``/``ssh_port``/``ssh_username``, which the provisioners do not see);
* side B: ``packer-py imagebuilder export`` of the same template, the staged files put into moto's S3 where the
  component downloads them from, then ``packer-py imagebuilder run-component`` of the exported component on
  sandbox B.

Then every path either sandbox changed, and everything in its ``/tmp``, is compared: kind, permission bits, owner,
content. The seed's own template is the first case; the second adds what export stages to S3 (a binary file, a
script too large for the component) and the mode and owner of uploaded files.
"""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path
from typing import Any

import yaml

from tests.conftest import run_cli
from tests.harness.sandbox import SandboxHost, Snapshot, compare

from .conftest import SANDBOX_REGION, TEMPLATES, run_component, sandbox_env, ssh_to

INDEX = b"<html><body><h1>Kubes &amp; Clouds</h1></body></html>\n"
"""What the seed's ``aws s3 cp s3://your-bucket-name-here/index_packer.html`` fetches (put into moto's S3 first)."""


def _put_object(moto: Any, bucket: str, key: str, body: bytes) -> None:
    s3 = moto.client("s3", SANDBOX_REGION)
    s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": SANDBOX_REGION})
    s3.put_object(Bucket=bucket, Key=key, Body=body)


def _build(moto: Any, template: Path, host: SandboxHost, folder: Path) -> str:
    """``packer-py build`` of a copy of ``template`` (in ``folder``, beside its files) aimed at moto and ``host``."""
    data = json.loads(template.read_text())
    data["builders"][0].update(
        custom_endpoint_ec2=moto.endpoint,
        source_ami=moto.default_ami(SANDBOX_REGION).image_id,
        ssh_host=host.host,
        ssh_port=host.port,
        ssh_username=host.user,
    )
    copy = folder / template.name
    copy.write_text(json.dumps(data, indent=2))
    done = run_cli(["build", "-color=false", copy.name], cwd=folder, env=sandbox_env(moto, folder))
    assert done.returncode == 0, done.stdout
    assert "Build 'amazon-ebs' finished after" in done.stdout, done.stdout
    return done.stdout


def _export(template: Path, out: Path, *args: str) -> str:
    done = run_cli(["imagebuilder", "export", template.name, "-o", str(out), *args], cwd=template.parent)
    assert done.returncode == 0, done.stdout
    return done.stdout


def _run_component(moto: Any, document: Path, host: SandboxHost, home: Path) -> str:
    done = run_component(moto, document, host, home)
    assert done.returncode == 0, done.stdout
    return done.stdout


def _snapshots(a: SandboxHost, b: SandboxHost) -> tuple[Snapshot, Snapshot]:
    paths = a.changed_paths() | b.changed_paths() | a.tree_below("/tmp") | b.tree_below("/tmp")
    return a.snapshot(paths), b.snapshot(paths)


def _file(snapshot: Snapshot, path: str) -> tuple[int, bytes | str | None]:
    entry = snapshot[path]
    assert entry is not None and entry.kind == "file", (path, entry)
    return entry.mode, entry.content


def test_seed_httpd_build_and_its_exported_component_leave_the_same_files(
    moto: Any, sandbox_hosts: Any, tmp_path: Path
) -> None:
    _put_object(moto, "your-bucket-name-here", "index_packer.html", INDEX)
    built, ran = sandbox_hosts("build"), sandbox_hosts("component")

    (tmp_path / "build").mkdir()
    log = _build(moto, TEMPLATES / "httpd.json", built, tmp_path / "build")
    assert "download: s3://your-bucket-name-here/index_packer.html to /var/www/html/index.html" in log

    _export(TEMPLATES / "httpd.json", tmp_path / "export")
    component = tmp_path / "export" / "component-httpd-amazon-ebs.yaml"
    committed = TEMPLATES / "imagebuilder" / "httpd" / "component-httpd-amazon-ebs.yaml"
    assert component.read_text() == committed.read_text()  # the very document committed beside the seed
    out = _run_component(moto, component, ran, tmp_path)
    assert [line for line in out.splitlines() if line.startswith("build.")] == [
        "build.shell-1: Success",
        "build.shell-2: Success",
        "build.shell-3: Success",
        "build.shell-4: Success",
    ]

    left, right = _snapshots(built, ran)
    assert compare(left, right) == []
    # what the comparison covered: the template's effects, through the same shims on both sides
    assert _file(left, "/var/www/html/index.html") == (0o644, INDEX)
    assert _file(left, "/var/lib/packer-py-local/packages/httpd")[0] == 0o644
    assert "/var/lib/packer-py-local/services/httpd.enabled" in left
    assert not [p for p in left if p.startswith("/tmp/")]  # neither side leaves its scripts behind

    # and it does tell a difference: a mode, and a leftover in /tmp
    with ssh_to(ran) as comm:
        result = comm.run(
            "chmod 600 /var/www/html/index.html && touch /tmp/leftover",
            on_stdout=lambda _l: None,
            on_stderr=lambda _l: None,
        )
        assert result.exit_status == 0
    differences = compare(*_snapshots(built, ran))
    assert [line.split(":")[0] for line in differences] == ["/tmp/leftover", "/var/www/html/index.html"]
    assert "file 0644" in differences[1] and "file 0600" in differences[1]


TOOL = bytes(range(256)) * 40
"""A binary file (not UTF-8): export stages it to S3 and the component downloads it (``S3Download``)."""


def _script() -> str:
    """A provisioning script too large to inline in a component (16,000 characters): export stages it."""
    data = "\n".join(f"line {i:04d} of the data the seed's staged script writes" for i in range(400))
    return (
        "#!/bin/bash\n"
        "set -eu\n"
        "mkdir -p /opt/seed\n"
        f"cat > /opt/seed/data.txt <<'DATA'\n{data}\nDATA\n"
        'echo "$GREETING from $PACKER_BUILD_NAME" > /etc/seed-release\n'
        "wc -l < /opt/seed/data.txt >> /etc/seed-release\n"
        "chmod 600 /etc/seed-release\n"
        "ln -sf /opt/seed/data.txt /etc/seed-data\n"
    )


def test_staged_files_and_scripts_come_from_s3_and_end_up_the_same(
    moto: Any, sandbox_hosts: Any, tmp_path: Path
) -> None:
    from packer_py.imagebuilder.apply import Applier, Clients
    from packer_py.imagebuilder.output import read_export

    _put_object(moto, "your-bucket-name-here", "index_packer.html", INDEX)
    built, ran = sandbox_hosts("build"), sandbox_hosts("component")
    folder = tmp_path / "template"
    folder.mkdir()
    (folder / "tool.bin").write_bytes(TOOL)
    (folder / "tool.bin").chmod(0o750)
    (folder / "motd").write_text("welcome to the seed\n")
    (folder / "motd").chmod(0o640)
    (folder / "setup.sh").write_text(_script())
    template = json.loads((TEMPLATES / "httpd.json").read_text())
    template["builders"][0]["ssh_username"] = built.user  # the owner of uploaded files, on both sides
    template["provisioners"] += [
        {"type": "file", "source": "tool.bin", "destination": "/usr/local/bin/seed-tool"},
        {"type": "file", "source": "motd", "destination": "/etc/seed-motd"},
        {"type": "shell", "script": "setup.sh", "environment_vars": ["GREETING=hello from the seed"]},
    ]
    (folder / "seed.json").write_text(json.dumps(template, indent=2))

    (tmp_path / "build").mkdir()
    for name in ("tool.bin", "motd", "setup.sh"):
        shutil.copy2(folder / name, tmp_path / "build" / name)
    _build(moto, folder / "seed.json", built, tmp_path / "build")

    out = tmp_path / "export"
    _export(folder / "seed.json", out, "--bucket", "packer-py-equivalence")
    document = yaml.safe_load((out / "component-seed-amazon-ebs.yaml").read_text())
    steps = {step["name"]: step for step in document["phases"][0]["steps"]}
    assert steps["file-5-download"]["action"] == "S3Download"  # staged, not inlined
    assert steps["shell-7-script-download"]["action"] == "S3Download"
    assert steps["file-6"]["action"] == "CreateFile"
    export = read_export(out)
    actions = Applier(Clients(imagebuilder=None, iam=None, s3=moto.client("s3", SANDBOX_REGION))).stage(export)
    assert [str(a) for a in actions] == [
        "bucket packer-py-equivalence: created",
        "object packer-py/seed-amazon-ebs/file-5/tool.bin: uploaded",
        "object packer-py/seed-amazon-ebs/shell-7-script/setup.sh: uploaded",
    ]
    _run_component(moto, out / "component-seed-amazon-ebs.yaml", ran, tmp_path)

    left, right = _snapshots(built, ran)
    assert compare(left, right) == []
    assert _file(left, "/usr/local/bin/seed-tool") == (0o750, TOOL)
    assert _file(left, "/etc/seed-motd") == (0o640, b"welcome to the seed\n")
    assert _file(left, "/etc/seed-release") == (0o600, b"hello from the seed from amazon-ebs\n400\n")
    assert left["/etc/seed-data"] is not None and left["/etc/seed-data"].content == "/opt/seed/data.txt"
    assert _file(left, "/var/www/html/index.html") == (0o644, INDEX)
    assert not [p for p in left if p.startswith("/tmp/")]


def test_the_sandboxes_are_separate_and_keep_the_host_untouched(sandbox_hosts: Any) -> None:
    """What the comparison relies on: two sandboxes start alike and see none of each other's writes, and a write
    through scp or a command lands in the sandbox's layer, not on this machine."""
    a, b = sandbox_hosts("a"), sandbox_hosts("b")
    marker = "/etc/packer-py-sandbox-marker"
    with ssh_to(a) as comm:
        comm.put(io.BytesIO(b"from a\n"), marker, mode=0o600)
        lines: list[str] = []
        assert comm.run(f"cat {marker}; hostname", on_stdout=lines.append, on_stderr=lines.append).exit_status == 0
        assert lines == ["from a", "sandbox"]
    with ssh_to(b, transfer="sftp") as comm:  # the sftp subsystem runs inside the sandbox too
        assert comm.run(f"test ! -e {marker}", on_stdout=print, on_stderr=print).exit_status == 0
        comm.put(io.BytesIO(b"from b\n"), "/etc/packer-py-sandbox-sftp", mode=0o640)
        back = io.BytesIO()
        comm.get("/etc/packer-py-sandbox-sftp", back)
        assert back.getvalue() == b"from b\n"
    assert b.snapshot(["/etc/packer-py-sandbox-sftp"])["/etc/packer-py-sandbox-sftp"].mode == 0o640
    assert not Path(marker).exists() and not Path("/etc/packer-py-sandbox-sftp").exists()
    assert (a.upper / marker.lstrip("/")).read_bytes() == b"from a\n"
    assert a.snapshot([marker])[marker] is not None and b.snapshot([marker])[marker] is None
