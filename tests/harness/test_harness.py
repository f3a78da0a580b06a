"""The end-to-end harness itself: a real moto server and a real sshd that trusts moto's key pairs."""

from __future__ import annotations

import io
import json
import socket
from pathlib import Path
from typing import Any

import paramiko
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519, rsa

from tests.harness.moto_server import MotoServer
from tests.harness.ports import SilentPort
from tests.harness.recording import HARNESS_USER_AGENT, ApiCall, parse_entry
from tests.harness.sshd import Sshd


def _ec2(moto: MotoServer, region: str = "us-east-1") -> Any:
    """A client like the code under test would make: not marked as the harness's own."""
    import boto3

    return boto3.session.Session().client(
        "ec2",
        region_name=region,
        endpoint_url=moto.endpoint,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


def _private_key(material: str) -> paramiko.PKey:
    for key_class in (paramiko.Ed25519Key, paramiko.RSAKey, paramiko.ECDSAKey):
        try:
            return key_class.from_private_key(io.StringIO(material))
        except paramiko.SSHException:
            continue
    raise AssertionError("unparseable key material")


def _login(server: Sshd, key: paramiko.PKey) -> str:
    """Log in with ``key`` only (no agent, no default keys) and return ``id -un``."""
    client = paramiko.SSHClient()
    client.set_missing_host_key_policy(paramiko.AutoAddPolicy())
    try:
        client.connect(
            server.host,
            server.port,
            username=server.user,
            pkey=key,
            allow_agent=False,
            look_for_keys=False,
            timeout=10,
        )
        _, stdout, _ = client.exec_command("id -un")
        return stdout.read().decode().strip()
    finally:
        client.close()


# -- moto server ---------------------------------------------------------------------------------------------------


def test_moto_server_is_a_real_process_on_loopback(moto: MotoServer) -> None:
    assert moto.endpoint.startswith("http://127.0.0.1:")
    assert moto.process.poll() is None
    with socket.create_connection(("127.0.0.1", moto.port), timeout=5):
        pass
    assert moto.aws_env()["AWS_ENDPOINT_URL"] == moto.endpoint


def test_reset_forgets_resources_and_recording(moto: MotoServer) -> None:
    _ec2(moto).create_key_pair(KeyName="before-reset")
    assert moto.api_calls() == [("ec2", "CreateKeyPair")]
    moto.reset()
    assert moto.api_calls() == []
    assert _ec2(moto).describe_key_pairs()["KeyPairs"] == []


def test_api_calls_are_ordered_and_leave_out_the_harness(moto: MotoServer) -> None:
    ec2 = _ec2(moto, "eu-west-1")
    ec2.describe_images(Owners=["self"])
    ec2.create_security_group(GroupName="g", Description="d")
    moto.client("ec2").describe_regions()  # the harness's own call
    ec2.delete_security_group(GroupName="g")
    assert moto.api_calls() == [
        ("ec2", "DescribeImages"),
        ("ec2", "CreateSecurityGroup"),
        ("ec2", "DeleteSecurityGroup"),
    ]
    assert ("ec2", "DescribeRegions") in moto.api_calls(include_harness=True)
    assert {call.region for call in moto.api_log()} == {"eu-west-1"}


def test_default_ami_is_one_moto_ships(moto: MotoServer) -> None:
    ami = moto.default_ami()
    assert ami.image_id.startswith("ami-")
    assert ami.name.startswith("amzn2-ami-hvm-")
    assert ami.owner_id != moto.account_id
    images = _ec2(moto).describe_images(ImageIds=[ami.image_id])["Images"]
    assert images[0]["RootDeviceType"] == "ebs"


def test_register_ami_with_name_and_tags(moto: MotoServer) -> None:
    ami = moto.register_ami("base-image-1", region="us-west-2", tags={"os": "linux"})
    found = _ec2(moto, "us-west-2").describe_images(Owners=["self"], Filters=[{"Name": "tag:os", "Values": ["linux"]}])[
        "Images"
    ]
    assert [(image["ImageId"], image["Name"]) for image in found] == [(ami.image_id, "base-image-1")]
    assert ami.owner_id == moto.account_id
    assert not moto.leftovers(), "harness-registered AMIs are not leftovers"


def test_leftovers_report_what_a_build_left_behind(moto: MotoServer) -> None:
    ec2 = _ec2(moto, "eu-central-1")
    source = moto.default_ami("eu-central-1")
    ec2.create_key_pair(KeyName="packer_tmp")
    group = ec2.create_security_group(GroupName="packer_sg", Description="tmp")["GroupId"]
    instance = ec2.run_instances(ImageId=source.image_id, MinCount=1, MaxCount=1)["Instances"][0]["InstanceId"]
    import boto3

    iam = boto3.session.Session().client(
        "iam", region_name="us-east-1", endpoint_url=moto.endpoint, aws_access_key_id="t", aws_secret_access_key="t"
    )
    iam.create_role(RoleName="packer-role", AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17"}))
    iam.create_instance_profile(InstanceProfileName="packer-profile")

    kinds = {(r.kind, r.region) for r in moto.leftovers()}
    assert {
        ("key_pair", "eu-central-1"),
        ("security_group", "eu-central-1"),
        ("instance", "eu-central-1"),
        ("volume", "eu-central-1"),
        ("iam_role", "global"),
        ("iam_instance_profile", "global"),
    } <= kinds

    ec2.terminate_instances(InstanceIds=[instance])
    ec2.delete_key_pair(KeyName="packer_tmp")
    ec2.delete_security_group(GroupId=group)
    iam.delete_instance_profile(InstanceProfileName="packer-profile")
    iam.delete_role(RoleName="packer-role")
    for volume in ec2.describe_volumes()["Volumes"]:
        ec2.delete_volume(VolumeId=volume["VolumeId"])
    assert not moto.leftovers(), str(moto.leftovers())


def test_leftovers_cover_every_region_when_asked(moto: MotoServer) -> None:
    _ec2(moto, "ap-southeast-2").create_key_pair(KeyName="far-away")
    moto.recording_path.write_text("")  # forget which regions were touched
    assert not moto.leftovers()
    assert [r.name for r in moto.leftovers(all_regions=True)] == ["far-away"]


# -- the recording parser ------------------------------------------------------------------------------------------


def _entry(headers: dict[str, str], body: str = "", url: str = "http://127.0.0.1:1/", method: str = "POST") -> Any:
    return {"headers": headers, "body": body, "body_encoded": False, "url": url, "method": method}


SCOPE = "AWS4-HMAC-SHA256 Credential=AKID/20240101/eu-west-3/{}/aws4_request, SignedHeaders=host, Signature=0"


def test_recording_entry_of_the_query_protocol() -> None:
    entry = _entry({"Authorization": SCOPE.format("ec2"), "User-Agent": "Boto3/1"}, "Action=RunInstances&X=1")
    assert parse_entry(entry) == ApiCall("ec2", "RunInstances", "eu-west-3")


def test_recording_entry_of_the_json_protocol_and_harness_marker() -> None:
    entry = _entry(
        {
            "Authorization": SCOPE.format("ssm"),
            "X-Amz-Target": "AmazonSSM.GetParameter",
            "User-Agent": f"Boto3/1 {HARNESS_USER_AGENT}",
        }
    )
    assert parse_entry(entry) == ApiCall("ssm", "GetParameter", "eu-west-3", from_harness=True)


def test_recording_entry_of_a_rest_service_and_a_moto_api_call() -> None:
    rest = _entry({"Authorization": SCOPE.format("s3")}, url="http://127.0.0.1:1/bucket/key", method="PUT")
    assert parse_entry(rest) == ApiCall("s3", "PUT /bucket/key", "eu-west-3")
    assert parse_entry(_entry({}, url="http://127.0.0.1:1/moto-api/reset")) is None


# -- sshd ------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("key_type", ["rsa", "ed25519"])
def test_key_pair_created_through_ec2_logs_in(moto: MotoServer, sshd: Sshd, key_type: str) -> None:
    material = _ec2(moto).create_key_pair(KeyName=f"packer_{key_type}", KeyType=key_type)["KeyMaterial"]
    assert _login(sshd, _private_key(material)) == sshd.user


def test_key_pair_in_another_region_logs_in(moto: MotoServer, sshd: Sshd) -> None:
    material = _ec2(moto, "sa-east-1").create_key_pair(KeyName="packer_far", KeyType="ed25519")["KeyMaterial"]
    assert _login(sshd, _private_key(material)) == sshd.user


def test_imported_key_pair_logs_in(moto: MotoServer, sshd: Sshd) -> None:
    """EC2 (and moto) import RSA and Ed25519 public keys; the key's comment is kept and harmless."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public = key.public_key().public_bytes(serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH)
    _ec2(moto).import_key_pair(KeyName="imported", PublicKeyMaterial=public + b" me@host")
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL, serialization.NoEncryption()
    )
    assert _login(sshd, paramiko.RSAKey.from_private_key(io.StringIO(pem.decode()))) == sshd.user


def test_unknown_and_deleted_key_pairs_are_refused(moto: MotoServer, sshd: Sshd) -> None:
    stranger = ed25519.Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.OpenSSH, serialization.NoEncryption()
    )
    with pytest.raises(paramiko.AuthenticationException):
        _login(sshd, _private_key(stranger.decode()))
    ec2 = _ec2(moto)
    material = ec2.create_key_pair(KeyName="short-lived", KeyType="ed25519")["KeyMaterial"]
    ec2.delete_key_pair(KeyName="short-lived")
    with pytest.raises(paramiko.AuthenticationException):
        _login(sshd, _private_key(material))


def test_key_lookups_are_not_recorded_as_calls_of_the_code_under_test(moto: MotoServer, sshd: Sshd) -> None:
    material = _ec2(moto).create_key_pair(KeyName="k", KeyType="ed25519")["KeyMaterial"]
    _login(sshd, _private_key(material))
    assert moto.api_calls() == [("ec2", "CreateKeyPair")]
    assert ("ec2", "DescribeKeyPairs") in moto.api_calls(include_harness=True)


def test_harness_client_key_logs_in_without_moto(sshd: Sshd) -> None:
    assert _login(sshd, paramiko.Ed25519Key.from_private_key_file(str(sshd.client_key_path))) == sshd.user


def test_drop_connections_ends_open_sessions(sshd: Sshd) -> None:
    client = paramiko.SSHClient()
    client.set_missing_host_key_policy(paramiko.AutoAddPolicy())
    client.connect(
        sshd.host, sshd.port, username=sshd.user, key_filename=str(sshd.client_key_path), look_for_keys=False
    )
    try:
        assert sshd.drop_connections() >= 1
        transport = client.get_transport()
        assert transport is not None
        transport.join(timeout=5)
        assert not transport.is_active()
    finally:
        client.close()


def test_password_login(sshd_password: Sshd) -> None:
    shadow_before = Path("/etc/shadow").read_bytes()
    client = paramiko.SSHClient()
    client.set_missing_host_key_policy(paramiko.AutoAddPolicy())
    try:
        client.connect(
            sshd_password.host,
            sshd_password.port,
            username="root",
            password=sshd_password.password,
            allow_agent=False,
            look_for_keys=False,
        )
        with pytest.raises(paramiko.AuthenticationException):
            other = paramiko.SSHClient()
            other.set_missing_host_key_policy(paramiko.AutoAddPolicy())
            other.connect(
                sshd_password.host,
                sshd_password.port,
                username="root",
                password="wrong",
                allow_agent=False,
                look_for_keys=False,
            )
    finally:
        client.close()
    assert Path("/etc/shadow").read_bytes() == shadow_before, "the system's password database is never changed"


def _run(server: Sshd, key: paramiko.PKey, command: str) -> tuple[int, str]:
    client = paramiko.SSHClient()
    client.set_missing_host_key_policy(paramiko.AutoAddPolicy())
    try:
        client.connect(server.host, server.port, username=server.user, pkey=key, allow_agent=False, look_for_keys=False)
        _, stdout, _ = client.exec_command(command)
        out = stdout.read().decode()
        return stdout.channel.recv_exit_status(), out
    finally:
        client.close()


def test_ec2_user_logs_in_with_a_key_pair_made_through_ec2(moto: MotoServer, ec2_sshd: Sshd) -> None:
    material = _ec2(moto, "eu-west-1").create_key_pair(KeyName="packer_x", KeyType="ed25519")["KeyMaterial"]
    assert ec2_sshd.user == "ec2-user"
    status, out = _run(ec2_sshd, _private_key(material), 'echo "$0 $HOME"; id -u')
    assert status == 0
    assert out.splitlines() == [f"sh {ec2_sshd.directory / 'home'}", "0"]
    assert "packer-py test instance" not in Path("/etc/passwd").read_text(), "the system account database is unchanged"


def test_ec2_instance_commands_are_stand_ins(ec2_sshd: Sshd) -> None:
    """The seed template's commands succeed without installing anything on (or fetching anything to) this host."""
    key = paramiko.Ed25519Key.from_private_key_file(str(ec2_sshd.client_key_path))
    before = len(ec2_sshd.shimmed_commands())
    status, out = _run(
        ec2_sshd,
        key,
        "sudo yum update && sudo yum -y install httpd && "
        "sudo aws s3 cp s3://bucket/index.html /var/www/html/index.html && sudo systemctl enable httpd && "
        "sudo -E env X=1 sh -c 'echo ran $X'",
    )
    assert status == 0
    assert "ran 1" in out
    assert not Path("/var/www/html/index.html").exists()
    assert ec2_sshd.shimmed_commands()[before:] == [
        "sudo yum update",
        "yum update",
        "sudo yum -y install httpd",
        "yum -y install httpd",
        "sudo aws s3 cp s3://bucket/index.html /var/www/html/index.html",
        "aws s3 cp s3://bucket/index.html /var/www/html/index.html",
        "sudo systemctl enable httpd",
        "systemctl enable httpd",
        "sudo -E env X=1 sh -c echo ran $X",
    ]


def test_silent_port_accepts_and_never_speaks(silent_port: SilentPort) -> None:
    with socket.create_connection((silent_port.host, silent_port.port), timeout=5) as conn:
        conn.settimeout(0.3)
        with pytest.raises(TimeoutError):
            conn.recv(1)
