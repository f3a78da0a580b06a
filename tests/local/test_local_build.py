"""``packer-py build -local``: the seed's templates/httpd.json, unchanged, builds on this machine; what its
provisioners wrote is in the AMI's layer and not on the host."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import tarfile
import time
from pathlib import Path

from .conftest import require_isolation

REPO = Path(__file__).resolve().parents[2]
SEED = REPO / "templates" / "httpd.json"
HOST_PATHS = ("/var/www/html/index.html", "/var/lib/packer-py-local", "/etc/packer-py-local-build-test")


def build_local(template: Path, sandbox: Path, *args: str) -> tuple[subprocess.CompletedProcess[str], float]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(PACKER_PY_LOCAL_DIR=str(sandbox), HOME=str(sandbox.parent))
    started = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-m", "packer_py", "build", "-local", "-color=false", *args, str(template)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    return proc, time.monotonic() - started


def layer_members(sandbox: Path, image_id: str) -> dict[str, bytes | None]:
    with tarfile.open(sandbox / "images" / f"{image_id}.tar.gz") as tf:
        out: dict[str, bytes | None] = {}
        for m in tf.getmembers():
            f = tf.extractfile(m) if m.isreg() else None
            out["/" + m.name] = f.read() if f is not None else None
        return out


def test_seed_template_builds_unchanged(tmp_path: Path) -> None:
    require_isolation()
    before = {p: os.path.exists(p) for p in HOST_PATHS}
    seed_text = SEED.read_text()
    sandbox = tmp_path / "sandbox"
    proc, took = build_local(SEED, sandbox)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    out = proc.stdout
    assert "==> local mode: registered source image ami-06ce3edf0cff21f07 in eu-west-1" in out
    assert "embedded S3: created bucket your-bucket-name-here with a placeholder object index_packer.html" in out
    assert "    amazon-ebs: Building an AMI for Kubes & Clouds!" in out
    assert "    amazon-ebs: download: s3://your-bucket-name-here/index_packer.html to /var/www/html/index.html" in out
    m = re.search(r"--> amazon-ebs: AMIs were created:\neu-west-1: (ami-[0-9a-f]+)\n", out)
    assert m, out
    image_id = m.group(1)
    assert f"(packer-py local diff {image_id})" in out
    assert took < 60

    layer = layer_members(sandbox, image_id)
    assert b"Placeholder for s3://your-bucket-name-here/index_packer.html" in (layer["/var/www/html/index.html"] or b"")
    assert (layer["/var/lib/packer-py-local/packages/httpd"] or b"").startswith(b"installed by yum")
    assert "/var/lib/packer-py-local/services/httpd.enabled" in layer
    record = json.loads((sandbox / "images" / f"{image_id}.json").read_text())
    assert record["name"].startswith("httpd ") and record["region"] == "eu-west-1"
    assert {"path": "/var/www/html/index.html", "kind": "added", "type": "file"} in record["changes"]

    assert {p: os.path.exists(p) for p in HOST_PATHS} == before  # nothing on the host
    assert SEED.read_text() == seed_text
    assert sorted(p.name for p in sandbox.iterdir()) == ["images", "ssh_host_ecdsa_key"]  # no instance left

    diff = subprocess.run(
        [sys.executable, "-m", "packer_py", "local", "diff", image_id],
        cwd=REPO,
        capture_output=True,
        text=True,
        env={**os.environ, "PACKER_PY_LOCAL_DIR": str(sandbox)},
        timeout=60,
    )
    assert "A /var/www/html/index.html" in diff.stdout.splitlines()


def test_commands_really_run_in_the_namespace(tmp_path: Path) -> None:
    """Two builds in parallel, each on its own instance: scp transfers and an AMI copy in one, SFTP and a pty in the
    other. Each build's provisioners wrote into its own layer only."""
    require_isolation()
    template = tmp_path / "probe.json"
    (tmp_path / "uploaded.txt").write_text("uploaded\n")
    base = {
        "type": "amazon-ebs",
        "region": "us-east-1",
        "source_ami": "ami-0123456789abcdef0",
        "instance_type": "t3.micro",
        "ssh_username": "ubuntu",
        "ami_name": "{{build_name}} {{timestamp}}",
    }
    template.write_text(
        json.dumps(
            {
                "builders": [
                    {**base, "name": "scp", "ami_regions": ["eu-west-1"]},
                    {**base, "name": "sftp", "ssh_file_transfer_method": "sftp", "ssh_pty": True},
                ],
                "provisioners": [
                    {"type": "shell", "inline": ["echo uid=$(id -u)", "sudo touch /etc/packer-py-local-build-test"]},
                    {"type": "file", "source": str(tmp_path / "uploaded.txt"), "destination": "/opt/uploaded.txt"},
                    {"type": "shell", "inline": ["sudo apt-get install -y nginx", "cat /opt/uploaded.txt"]},
                    {"type": "shell", "inline": ["hostname > /etc/built-on"], "only": ["sftp"]},
                ],
            }
        )
    )
    sandbox = tmp_path / "sandbox"
    proc, _ = build_local(template, sandbox)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    for name in ("scp", "sftp"):
        assert f"    {name}: uid=0" in proc.stdout
        assert f"    {name}: uploaded" in proc.stdout
    ids = re.findall(r"^(us-east-1|eu-west-1): (ami-[0-9a-f]+)$", proc.stdout, re.M)
    assert sorted(region for region, _ in ids) == ["eu-west-1", "us-east-1", "us-east-1"]
    layers = {image_id: layer_members(sandbox, image_id) for _, image_id in ids}
    for image_id, layer in layers.items():
        assert "/etc/packer-py-local-build-test" in layer, image_id
        assert layer["/opt/uploaded.txt"] == b"uploaded\n"
        assert "/var/lib/packer-py-local/packages/nginx" in layer
    built_on = [layer["/etc/built-on"] for layer in layers.values() if "/etc/built-on" in layer]
    assert len(built_on) == 1 and (built_on[0] or b"").startswith(b"i-")  # the sftp build's instance only
    assert not os.path.exists("/etc/packer-py-local-build-test")


def test_a_failing_provisioner_fails_the_build_and_leaves_no_instance(tmp_path: Path) -> None:
    require_isolation()
    template = tmp_path / "fail.json"
    template.write_text(
        json.dumps(
            {
                "builders": [
                    {
                        "type": "amazon-ebs",
                        "region": "eu-west-1",
                        "source_ami": "ami-06ce3edf0cff21f07",
                        "instance_type": "t2.micro",
                        "ssh_username": "ec2-user",
                        "ami_name": "fails",
                    }
                ],
                "provisioners": [{"type": "shell", "inline": ["echo about to fail", "exit 1"]}],
            }
        )
    )
    sandbox = tmp_path / "sandbox"
    proc, _ = build_local(template, sandbox)
    assert proc.returncode == 1
    assert "Script exited with non-zero exit status: 1" in proc.stdout + proc.stderr
    assert not (sandbox / "instances").exists()
    assert not list((sandbox / "images").glob("*")) if (sandbox / "images").exists() else True


def test_options_naming_account_resources_get_stand_ins(tmp_path: Path) -> None:
    """A template written for a real account (its VPC, subnet, security groups, instance profile, named profile,
    bastion) builds locally unchanged; local mode says what it left out or created."""
    require_isolation()
    template = tmp_path / "account.json"
    template.write_text(
        json.dumps(
            {
                "builders": [
                    {
                        "type": "amazon-ebs",
                        "profile": "production",
                        "region": "eu-central-1",
                        "source_ami": "ami-0aaaaaaaaaaaaaaaa",
                        "instance_type": "m5.large",
                        "ssh_username": "ec2-user",
                        "ami_name": "account {{timestamp}}",
                        "vpc_id": "vpc-0123456789abcdef0",
                        "subnet_id": "subnet-0123456789abcdef0",
                        "security_group_ids": ["sg-0123456789abcdef0"],
                        "iam_instance_profile": "packer-builds",
                        "ssh_bastion_host": "bastion.example.com",
                        "ssh_interface": "private_ip",
                    }
                ],
                "provisioners": [{"type": "shell", "inline": ["echo built"]}],
            }
        )
    )
    proc, _ = build_local(template, tmp_path / "sandbox")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert (
        "==> local mode: amazon-ebs: left out vpc_id, subnet_id, security_group_ids: the embedded EC2 has only its "
        "default VPC and subnet" in proc.stdout
    )
    assert "==> local mode: created IAM instance profile packer-builds" in proc.stdout
    assert "    amazon-ebs: built" in proc.stdout
    assert re.search(r"^eu-central-1: ami-[0-9a-f]+$", proc.stdout, re.M)


def test_ctrl_c_during_provisioning_cleans_up_everything(tmp_path: Path) -> None:
    require_isolation()
    tag = f"packer-py-local-ctrl-c-{os.getpid()}"
    template = tmp_path / "slow.json"
    template.write_text(
        json.dumps(
            {
                "builders": [
                    {
                        "type": "amazon-ebs",
                        "region": "eu-west-1",
                        "source_ami": "ami-06ce3edf0cff21f07",
                        "instance_type": "t2.micro",
                        "ssh_username": "ec2-user",
                        "ami_name": "slow",
                    }
                ],
                "provisioners": [{"type": "shell", "inline": ["echo sleeping", f"bash -c 'exec -a {tag} sleep 120'"]}],
            }
        )
    )
    sandbox = tmp_path / "sandbox"
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env["PACKER_PY_LOCAL_DIR"] = str(sandbox)
    proc = subprocess.Popen(
        [sys.executable, "-m", "packer_py", "build", "-local", "-color=false", str(template)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    assert proc.stdout is not None
    seen = []
    for line in proc.stdout:
        seen.append(line)
        if "amazon-ebs: sleeping" in line:
            break
    time.sleep(0.5)
    assert subprocess.run(["pgrep", "-f", tag], capture_output=True).returncode == 0
    proc.send_signal(signal.SIGINT)
    rest = proc.stdout.read()
    assert proc.wait(timeout=60) == 1, "".join(seen) + rest
    assert "Cleanly cancelled builds after being interrupted." in rest
    assert "Terminating the source AWS instance..." in rest
    assert subprocess.run(["pgrep", "-f", tag], capture_output=True).returncode == 1
    assert sorted(p.name for p in sandbox.iterdir()) == ["ssh_host_ecdsa_key"]
