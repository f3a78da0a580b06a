"""Credentials, region, endpoints and the botocore boundary, against the harness's moto server."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from packer_py.builders.amazon_ebs.access import CANNOT_ASSUME_ROLE, NO_CREDENTIALS, AwsAccess
from packer_py.builders.amazon_ebs.boundary import AwsApiError, AwsRequestError, matches
from packer_py.builders.amazon_ebs.config import EbsConfig
from packer_py.errors import AwsError, UnsupportedError
from tests.builders.amazon_ebs.support import decode
from tests.harness.ports import free_port

BASE = {
    "source_ami": "ami-0123456789abcdef0",
    "instance_type": "t2.micro",
    "ssh_username": "ec2-user",
    "ami_name": "packer-test",
}


@pytest.fixture(autouse=True)
def no_ambient_credentials(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """botocore also reads the process environment and ~/.aws: point both at nothing."""
    for key in (
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AWS_PROFILE",
        "AWS_REGION",
        "AWS_DEFAULT_REGION",
        "AWS_ENDPOINT_URL",
        "AWS_ENDPOINT_URL_EC2",
    ):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-credentials"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-config"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")


def config(**overrides: object) -> EbsConfig:
    return EbsConfig.from_decoded(decode({**BASE, **overrides}))


def access_key(access: AwsAccess) -> str:
    return str(access._session.get_credentials().get_frozen_credentials().access_key)


# -- credentials -----------------------------------------------------------------------------------------------------
def test_template_keys_come_first() -> None:
    env = {"AWS_ACCESS_KEY_ID": "FROMENV", "AWS_SECRET_ACCESS_KEY": "x"}
    access = AwsAccess.open(config(region="us-east-1", access_key="FROMTEMPLATE", secret_key="s"), env)
    assert access_key(access) == "FROMTEMPLATE"


def test_environment_keys_are_next() -> None:
    env = {"AWS_ACCESS_KEY_ID": "FROMENV", "AWS_SECRET_ACCESS_KEY": "x"}
    assert access_key(AwsAccess.open(config(region="us-east-1"), env)) == "FROMENV"


def test_profile_of_a_shared_credentials_file(tmp_path: Path) -> None:
    path = tmp_path / "credentials"
    path.write_text(
        "[default]\naws_access_key_id = DEFAULTKEY\naws_secret_access_key = a\n"
        "[builds]\naws_access_key_id = BUILDSKEY\naws_secret_access_key = b\n"
    )
    access = AwsAccess.open(config(region="us-east-1", shared_credentials_file=str(path), profile="builds"), {})
    assert access_key(access) == "BUILDSKEY"
    access = AwsAccess.open(config(region="us-east-1", shared_credentials_file=str(path)), {"AWS_PROFILE": "builds"})
    assert access_key(access) == "BUILDSKEY"


def test_no_credentials_is_packers_error_before_any_call() -> None:
    with pytest.raises(AwsRequestError) as info:
        AwsAccess.open(config(region="us-east-1", skip_metadata_api_check=True), {})
    assert str(info.value) == NO_CREDENTIALS
    assert str(info.value).startswith("no valid credential sources for  found.\n\nPlease see \n")


def test_skip_credential_validation_defers_the_failure_to_the_first_call(moto: Any) -> None:
    access = AwsAccess.open(
        config(region="us-east-1", skip_credential_validation=True, custom_endpoint_ec2=moto.endpoint), {}
    )
    with pytest.raises(AwsRequestError, match="NoCredentialProviders"):
        access.ec2().call("describe_regions")


def test_assume_role_goes_through_sts_at_the_custom_endpoint(moto: Any) -> None:
    access = AwsAccess.open(
        config(
            region="us-east-1",
            access_key="testing",
            secret_key="testing",
            custom_endpoint_ec2=moto.endpoint,
            assume_role={"role_arn": "arn:aws:iam::123456789012:role/builder", "session_name": "ci"},
        ),
        {},
    )
    assert ("sts", "AssumeRole") in moto.api_calls()
    assert access_key(access) != "testing"
    access.ec2().call("describe_regions")  # signed with the role's credentials


def test_a_role_that_cannot_be_assumed_is_packers_error() -> None:
    dead = f"http://127.0.0.1:{free_port()}"
    with pytest.raises(AwsRequestError) as info:
        AwsAccess.open(
            config(
                region="us-east-1",
                access_key="testing",
                secret_key="testing",
                custom_endpoint_ec2=dead,
                max_retries=1,
                assume_role={"role_arn": "arn:aws:iam::123456789012:role/x"},
            ),
            {},
        )
    text = str(info.value)
    assert text.startswith(CANNOT_ASSUME_ROLE.split("{error}")[0].format(arn="arn:aws:iam::123456789012:role/x"))
    assert "RequestError: send request failed" in text


def test_vault_is_not_supported() -> None:
    """(The schema's prepare already refuses Vault, as Packer does with no Vault server; this is the backstop.)"""
    with pytest.raises(UnsupportedError, match="vault_aws_engine"):
        AwsAccess.open(EbsConfig(region="us-east-1", vault_aws_engine_name="role"), {})


# -- region ----------------------------------------------------------------------------------------------------------
def test_region_falls_back_to_the_environment_and_else_fails() -> None:
    keys = {"access_key": "a", "secret_key": "b"}
    assert AwsAccess.open(config(**keys), {"AWS_REGION": "eu-west-3"}).region == "eu-west-3"
    assert AwsAccess.open(config(**keys), {"AWS_DEFAULT_REGION": "eu-north-1"}).region == "eu-north-1"
    with pytest.raises(AwsRequestError, match="MissingRegion: could not find region configuration"):
        AwsAccess.open(config(**keys), {})


# -- endpoints and retries -------------------------------------------------------------------------------------------
def test_custom_endpoint_serves_every_client_as_in_packer_1_6_6() -> None:
    access = AwsAccess.open(
        config(region="us-east-1", access_key="a", secret_key="b", custom_endpoint_ec2="http://127.0.0.1:9"), {}
    )
    for service in ("ec2", "iam", "sts"):
        assert access.client(service).raw.meta.endpoint_url == "http://127.0.0.1:9"


def test_service_specific_endpoint_variables_win_over_the_general_one() -> None:
    env = {"AWS_ENDPOINT_URL": "http://127.0.0.1:1", "AWS_ENDPOINT_URL_EC2": "http://127.0.0.1:2"}
    access = AwsAccess.open(config(region="us-east-1", access_key="a", secret_key="b"), env)
    assert access.ec2().raw.meta.endpoint_url == "http://127.0.0.1:2"
    assert access.iam().raw.meta.endpoint_url == "http://127.0.0.1:1"


def test_sdk_retries_follow_max_retries_not_packers_waiter_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "2")
    access = AwsAccess.open(config(region="us-east-1", access_key="a", secret_key="b", max_retries=4), {})
    assert access.ec2().raw.meta.config.retries["total_max_attempts"] == 5


def test_clients_are_cached_per_service_and_region() -> None:
    access = AwsAccess.open(config(region="us-east-1", access_key="a", secret_key="b"), {})
    assert access.ec2() is access.ec2("us-east-1")
    assert access.ec2("eu-west-1") is not access.ec2()
    assert access.ec2("eu-west-1").region == "eu-west-1"


# -- the boundary ----------------------------------------------------------------------------------------------------
def test_aws_errors_read_like_aws_sdk_go(moto: Any) -> None:
    access = AwsAccess.open(
        config(region="us-east-1", access_key="a", secret_key="b", custom_endpoint_ec2=moto.endpoint), {}
    )
    with pytest.raises(AwsApiError) as info:
        access.ec2().call("describe_images", ImageIds=["ami-00000000000000000"])
    error = info.value
    assert error.code == "InvalidAMIID.NotFound" and error.status == 400
    assert str(error).startswith("InvalidAMIID.NotFound: The image id '[ami-00000000000000000]' does not exist\n")
    assert str(error).split("\n")[1].startswith("\tstatus code: 400, request id: ")
    assert matches(error, "InvalidAMIID.NotFound", "does not exist")
    assert not matches(error, "InvalidAMIID.NotFound", "throttled")
    assert not matches(AwsError("x"), "InvalidAMIID.NotFound")


def test_an_unreachable_endpoint_is_a_request_error() -> None:
    dead = f"http://127.0.0.1:{free_port()}"
    access = AwsAccess.open(
        config(region="us-east-1", access_key="a", secret_key="b", custom_endpoint_ec2=dead, max_retries=1), {}
    )
    with pytest.raises(AwsRequestError, match="^RequestError: send request failed\ncaused by: "):
        access.ec2().call("describe_regions")
