"""The shims first on the instance's PATH: sudo runs as root, package and service managers are simulated and
recorded, and the aws CLI talks to the embedded endpoint."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest

from packer_py.local.session import LocalSession

from .conftest import SOURCE_AMI, Booted, boot, run


@pytest.fixture(scope="module")
def instance(session: LocalSession) -> Booted:
    return boot(session, "packer_test_shims")


@pytest.fixture(scope="module")
def client(instance: Booted) -> Iterator[Any]:
    c = instance.connect()
    yield c
    c.close()


def test_shims_are_first_on_path(client: Any) -> None:
    status, out, _ = run(client, "command -v sudo yum apt-get systemctl aws")
    assert status == 0
    assert out.split() == [f"/run/packer-py/shims/{n}" for n in ("sudo", "yum", "apt-get", "systemctl", "aws")]


def test_sudo_runs_its_command_as_root(client: Any) -> None:
    assert run(client, "sudo -n -E id -u") == (0, "0\n", "")
    assert run(client, "sudo -u nobody FOO=bar sh -c 'echo $FOO'") == (0, "bar\n", "")
    assert run(client, "sudo false")[0] == 1
    assert run(client, "sudo -i 'echo $0 ok'")[1].endswith("ok\n")


def test_seed_yum_line_records_httpd(client: Any, instance: Booted) -> None:
    status, out, _ = run(client, "sudo yum update && sudo yum -y install httpd mod_ssl")
    assert status == 0
    assert "[packer-py local] yum update: simulated" in out
    assert "[packer-py local] yum install httpd mod_ssl: simulated" in out
    assert (
        (instance.directory / "upper/var/lib/packer-py-local/packages/httpd").read_text().startswith("installed by yum")
    )
    assert not os.path.exists("/var/lib/packer-py-local")
    assert run(client, "rpm -q httpd")[:2] == (0, "httpd\n")
    assert run(client, "rpm -q nginx")[:2] == (1, "package nginx is not installed\n")
    assert run(client, "sudo yum -y remove mod_ssl && rpm -qa")[1].splitlines()[-1] == "httpd"


def test_apt_and_amazon_linux_extras(client: Any) -> None:
    status, out, _ = run(client, "apt-get update && apt-get install -y -o Dpkg::Options::=x nginx=1.18 curl/stable")
    assert status == 0 and "apt-get install nginx curl: simulated" in out
    assert run(client, "sudo amazon-linux-extras install -y nginx1")[0] == 0
    assert run(client, "rpm -q nginx nginx1 curl")[0] == 0


def test_service_managers_record_state(client: Any) -> None:
    status, out, _ = run(client, "sudo systemctl enable httpd")
    assert status == 0 and "systemctl enable httpd: simulated" in out
    assert run(client, "systemctl is-enabled httpd.service")[:2] == (0, "enabled\n")
    assert run(client, "systemctl is-active httpd")[:2] == (3, "inactive\n")
    assert run(client, "service httpd start && systemctl is-active httpd")[1].endswith("active\n")
    assert run(client, "chkconfig nginx on && chkconfig nginx")[0] == 0
    assert run(client, "chkconfig sshd")[0] == 1


def test_aws_s3_cp_fetches_from_the_embedded_s3(session: LocalSession, client: Any, instance: Booted) -> None:
    said = session.create_s3_placeholders([("your-bucket-name-here", "index_packer.html")], "eu-west-1")
    assert said == [
        "embedded S3: created bucket your-bucket-name-here with a placeholder object index_packer.html for "
        "s3://your-bucket-name-here/index_packer.html"
    ]
    cmd = "sudo aws s3 cp s3://your-bucket-name-here/index_packer.html /var/www/html/index.html"
    status, out, err = run(client, cmd)
    assert (status, err) == (0, "")
    assert out == "download: s3://your-bucket-name-here/index_packer.html to /var/www/html/index.html\n"
    page = (instance.directory / "upper/var/www/html/index.html").read_text()
    assert "Placeholder for s3://your-bucket-name-here/index_packer.html" in page


def test_aws_s3_cp_of_a_missing_object_says_it_made_a_placeholder(client: Any) -> None:
    status, out, _ = run(client, "aws s3 cp s3://other-bucket/conf/app.conf /etc/app.conf && cat /etc/app.conf")
    assert status == 0
    assert "s3://other-bucket/conf/app.conf is not in the embedded S3: created a placeholder object" in out
    assert run(client, "echo up > /root/up.txt && aws s3 cp /root/up.txt s3://other-bucket/up.txt --quiet")[0] == 0
    assert "up.txt" in run(client, "aws s3 ls s3://other-bucket/")[1]


def test_aws_generic_operations_use_the_embedded_ec2(client: Any, instance: Booted) -> None:
    status, out, err = run(client, f"aws ec2 describe-instances --instance-ids {instance.instance_id}")
    assert status == 0, err
    assert instance.instance_id in out and SOURCE_AMI in out
    status, _, err = run(client, "aws ec2 describe-images --image-ids ami-00000000000000000")
    assert status == 254 and "InvalidAMIID" in err
