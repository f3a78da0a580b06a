"""EC2 actions on a local instance act on its sandbox: StopInstances stops its OS, CreateImage keeps its upper layer
as the AMI's tarball, TerminateInstances deletes its directory."""

from __future__ import annotations

import os
import subprocess
import tarfile
from pathlib import Path

import paramiko
import pytest

from packer_py.local.cloud import SourceImage
from packer_py.local.instances import sweep_stale
from packer_py.local.session import LocalSession

from .conftest import SOURCE_AMI, boot, run


def test_stop_create_image_copy_and_terminate(session: LocalSession) -> None:
    inst = boot(session, "packer_lifecycle")
    client = inst.connect()
    tag = f"packer-py-local-{os.getpid()}"
    assert run(client, "mkdir -p /var/www/html && echo page > /var/www/html/index.html && rm -f /etc/motd")[0] == 0
    assert run(client, f"(exec -a {tag} sleep 600) > /dev/null 2>&1 &")[0] == 0
    assert subprocess.run(["pgrep", "-f", tag], capture_output=True).returncode == 0
    client.close()

    inst.ec2.stop_instances(InstanceIds=[inst.instance_id])
    assert subprocess.run(["pgrep", "-f", tag], capture_output=True).returncode == 1  # died with the instance's OS

    image_id = inst.ec2.create_image(InstanceId=inst.instance_id, Name="web 1")["ImageId"]
    store = session.instances.images
    record = store.get(image_id)
    assert (record.region, record.name, record.instance_id) == ("eu-west-1", "web 1", inst.instance_id)
    letters = {c.path: c.letter for c in record.changes}
    assert letters["/var/www/html/index.html"] == "A"
    if os.path.exists("/etc/motd"):
        assert letters["/etc/motd"] == "D"
    with tarfile.open(store.directory / record.layer) as tf:
        f = tf.extractfile("var/www/html/index.html")
        assert f is not None and f.read() == b"page\n"

    copied = session.cloud.client("ec2", "us-west-2").copy_image(
        SourceImageId=image_id, SourceRegion="eu-west-1", Name="web 1"
    )["ImageId"]
    copy = store.get(copied)
    assert copy.region == "us-west-2" and copy.copied_from == f"eu-west-1:{image_id}"

    inst.ec2.terminate_instances(InstanceIds=[inst.instance_id])
    assert not inst.directory.exists()
    assert not os.path.exists("/var/www/html/index.html") or open("/var/www/html/index.html").read() != "page\n"
    with pytest.raises(paramiko.AuthenticationException):
        inst.connect()  # a terminated instance's key logs in nowhere


def test_a_stopped_instance_boots_again_with_its_disk(session: LocalSession) -> None:
    inst = boot(session, "packer_restart")
    client = inst.connect()
    assert run(client, "echo kept > /root/state")[0] == 0
    client.close()
    inst.ec2.stop_instances(InstanceIds=[inst.instance_id])
    inst.ec2.start_instances(InstanceIds=[inst.instance_id])
    client = inst.connect()
    assert run(client, "cat /root/state")[1] == "kept\n"
    client.close()
    inst.ec2.terminate_instances(InstanceIds=[inst.instance_id])


def test_closing_the_session_removes_instances_but_keeps_images(tmp_path_factory: pytest.TempPathFactory) -> None:
    directory = tmp_path_factory.mktemp("closing")
    with LocalSession.start(directory) as s:
        inst = boot(s, "packer_closing")
        client = inst.connect()
        assert run(client, "touch /etc/closing")[0] == 0
        client.close()
        image_id = inst.ec2.create_image(InstanceId=inst.instance_id, Name="closing")["ImageId"]
        assert inst.directory.exists()
    assert sorted(p.name for p in directory.iterdir()) == ["images", "ssh_host_ecdsa_key"]
    assert sorted(p.name for p in (directory / "images").iterdir()) == [f"{image_id}.json", f"{image_id}.tar.gz"]


def test_a_template_private_key_logs_in(session: LocalSession, tmp_path: Path) -> None:
    key = paramiko.RSAKey.generate(2048)  # EC2 imports RSA and ED25519 keys only
    key_file = tmp_path / "id_rsa"
    key.write_private_key_file(str(key_file))
    region = "ap-southeast-2"
    session.register_source_images([SourceImage(region, SOURCE_AMI)])
    ec2 = session.cloud.client("ec2", region)

    note = session.authorize_private_key(region, str(key_file), "my-key")
    assert note == f"imported key pair my-key in {region} from ssh_private_key_file {key_file}"
    named = ec2.run_instances(ImageId=SOURCE_AMI, MinCount=1, MaxCount=1, KeyName="my-key")["Instances"][0]
    assert _login_host(session, key) == named["InstanceId"]

    note = session.authorize_private_key(region, str(key_file), "")
    assert note == f"the instances in {region} accept the key of ssh_private_key_file {key_file}"
    ec2.terminate_instances(InstanceIds=[named["InstanceId"]])
    bare = ec2.run_instances(ImageId=SOURCE_AMI, MinCount=1, MaxCount=1)["Instances"][0]
    assert _login_host(session, key) == bare["InstanceId"]
    ec2.terminate_instances(InstanceIds=[bare["InstanceId"]])


def _login_host(session: LocalSession, key: paramiko.PKey) -> str:
    client = paramiko.SSHClient()
    client.set_missing_host_key_policy(paramiko.AutoAddPolicy())
    client.connect(
        session.ssh.host, port=session.ssh.port, username="root", pkey=key, allow_agent=False, look_for_keys=False
    )
    try:
        return run(client, "hostname")[1].strip()
    finally:
        client.close()


def test_leftovers_of_a_killed_run_are_swept(tmp_path: Path) -> None:
    dead = subprocess.Popen(["true"])
    dead.wait()
    stale, live = tmp_path / "instances" / "i-0dead", tmp_path / "instances" / "i-0live"
    for path, pid in ((stale, dead.pid), (live, os.getpid())):
        (path / "upper" / "etc").mkdir(parents=True)
        (path / "owner.pid").write_text(f"{pid}\n")
    (tmp_path / "sessions" / f"{dead.pid}-abcd1234" / "shims").mkdir(parents=True)
    assert sweep_stale(tmp_path) == ["i-0dead", f"{dead.pid}-abcd1234"]
    assert live.exists() and not stale.exists()
