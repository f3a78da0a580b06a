"""Credentials, region and endpoints: Packer's ``AccessConfig.Session()``, over botocore.

Credentials, first match wins (aws-sdk-go-base ``GetCredentials`` as vendored by Packer 1.6.6):

1. ``access_key`` / ``secret_key`` / ``token`` from the template;
2. ``AWS_ACCESS_KEY_ID`` / ``AWS_SECRET_ACCESS_KEY`` / ``AWS_SESSION_TOKEN``;
3. the shared credentials file (``shared_credentials_file``) and ``profile`` (or ``AWS_PROFILE``), then the rest of
   boto3's chain (shared config, credential process, container and instance roles). ``skip_metadata_api_check``
   removes the instance-metadata provider, as Packer's does.

With ``assume_role.role_arn`` those credentials only serve to call STS ``AssumeRole``; the role's credentials are
refreshed before they expire. Without any credentials Packer fails with the (oddly worded) aws-sdk-go-base error
``no valid credential sources for  found.``; so does packer-py, before any AWS call unless
``skip_credential_validation`` is set. Packer 1.6.6 never calls ``sts:GetCallerIdentity`` (newer plugins do, unless
``skip_credential_validation``); packer-py does not either, so a build's AWS calls match Packer's one for one.

Endpoints: ``custom_endpoint_ec2`` is set on Packer 1.6.6's shared SDK session, so it serves **every** client of the
build (EC2, IAM, STS): one moto server is enough. Without it, boto3's ``AWS_ENDPOINT_URL_<SERVICE>`` and
``AWS_ENDPOINT_URL`` apply (read from the build's environment).

SDK retries: Packer's ``max_retries`` (default 10) becomes botocore's ``total_max_attempts`` (+1). It is passed
explicitly because botocore would otherwise read ``AWS_MAX_ATTEMPTS``, which Packer reserves for its waiters.

Speed: clients come from a plain botocore session (boto3 adds nothing a build uses, and its import pulls in
s3transfer), with models cut down to the operations a build calls (``models.py``); one client per service and
region serves the whole build.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from packer_py.builders.amazon_ebs.boundary import AwsRequestError, aws_errors
from packer_py.builders.amazon_ebs.config import EbsConfig
from packer_py.errors import AwsError, UnsupportedError

log = logging.getLogger("packer_py.builders.amazon_ebs")

NO_CREDENTIALS = (
    "no valid credential sources for  found.\n\n"
    "Please see \n"
    "for more information about providing credentials.\n\n"
    "Error: NoCredentialProviders: no valid providers in chain. Deprecated.\n"
    "\tFor verbose messaging see aws.Config.CredentialsChainVerboseErrors\n"
)

CANNOT_ASSUME_ROLE = """IAM Role ({arn}) cannot be assumed.

There are a number of possible causes of this - the most common are:
  * The credentials used in order to assume the role are invalid
  * The credentials do not have appropriate permission to assume the role
  * The role ARN is not valid

Error: {error}
"""

_SERVICE_ENV = {"ec2": "EC2", "iam": "IAM", "sts": "STS"}


def _user_agent() -> str:
    from packer_py import PACKER_VERSION

    return f"packer-py (packer/{PACKER_VERSION})"


@dataclass
class AwsClient:
    """One botocore client; ``call`` is the only way steps reach AWS, so every botocore error is translated.

    ``full`` makes a client with botocore's whole model, for an operation the cut model lacks (see ``models.py``).
    """

    service: str
    region: str
    raw: Any
    full: Callable[[], Any] | None = None

    def call(self, operation: str, **params: object) -> dict[str, Any]:
        log.debug("%s.%s in %s", self.service, operation, self.region)
        method = getattr(self.raw, operation, None)
        if method is None and self.full is not None:
            log.info("%s.%s is not in the cut model; using the full one", self.service, operation)
            self.raw, self.full = self.full(), None
            method = getattr(self.raw, operation)
        with aws_errors():
            if method is None:
                method = getattr(self.raw, operation)
            result: dict[str, Any] = method(**params)
        return result


@dataclass
class AwsAccess:
    """The session of one build: credentials resolved once, one cached client per (service, region).

    Creating botocore clients is not thread-safe, so ``client`` holds a lock (region copies run in threads).
    """

    config: EbsConfig
    environ: Mapping[str, str]
    region: str = ""
    _session: Any = None
    _full_session: Any = None
    _clients: dict[tuple[str, str], AwsClient] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @classmethod
    def open(cls, config: EbsConfig, environ: Mapping[str, str]) -> AwsAccess:
        """Resolve region and credentials (raising Packer's errors), ready to make clients."""
        if config.vault_aws_engine_name:
            raise UnsupportedError("vault_aws_engine is not supported by packer-py; use static or chained credentials")
        access = cls(config, environ)
        access._session = access._make_session()
        with aws_errors():  # a profile that does not exist surfaces here
            region = config.region or access._session.get_config_variable("region") or ""
            credentials = access._session.get_credentials()
        if not region:
            raise AwsRequestError("MissingRegion: could not find region configuration")
        access.region = region
        if not config.skip_credential_validation and credentials is None:
            raise AwsRequestError(NO_CREDENTIALS)
        if config.assume_role.role_arn:
            access._session = access._assume_role()
        return access

    # -- credentials -----------------------------------------------------------------------------------------------
    def _make_session(self, *, cut_models: bool = True) -> Any:
        import botocore.session  # type: ignore[import-untyped]

        from packer_py.builders.amazon_ebs.models import model_loader

        config, env = self.config, self.environ
        core = botocore.session.Session()
        if cut_models:
            core.register_component("data_loader", model_loader(env))
        if config.shared_credentials_file:
            core.set_config_variable("credentials_file", os.path.expanduser(config.shared_credentials_file))
        profile = config.profile or env.get("AWS_PROFILE", "")
        if profile:
            core.set_config_variable("profile", profile)
        if config.skip_metadata_api_check:
            resolver = core.get_component("credential_provider")
            resolver.remove("iam-role")
        region = config.region or env.get("AWS_REGION", "") or env.get("AWS_DEFAULT_REGION", "") or None
        if config.access_key and config.secret_key:
            core.set_credentials(config.access_key, config.secret_key, config.token or None)
        elif env.get("AWS_ACCESS_KEY_ID") and env.get("AWS_SECRET_ACCESS_KEY"):
            core.set_credentials(
                env["AWS_ACCESS_KEY_ID"], env["AWS_SECRET_ACCESS_KEY"], env.get("AWS_SESSION_TOKEN") or None
            )
        if region:
            core.set_config_variable("region", region)
        return core

    def _assume_role(self) -> Any:
        """aws-sdk-go-base: STS ``AssumeRole`` with the base credentials; refreshed before expiry."""
        from botocore.credentials import RefreshableCredentials  # type: ignore[import-untyped]

        role = self.config.assume_role
        sts = self._make_client(self._session, "sts", self.region)
        params: dict[str, object] = {
            "RoleArn": role.role_arn,
            "RoleSessionName": role.session_name or str(time.time_ns()),
        }
        if role.duration_seconds:
            params["DurationSeconds"] = role.duration_seconds
        if role.external_id:
            params["ExternalId"] = role.external_id
        if role.policy:
            params["Policy"] = role.policy
        if role.policy_arns:
            params["PolicyArns"] = [{"arn": arn} for arn in role.policy_arns]
        if role.tags:
            params["Tags"] = [{"Key": k, "Value": v} for k, v in role.tags.items()]
        if role.transitive_tag_keys:
            params["TransitiveTagKeys"] = list(role.transitive_tag_keys)

        def fetch() -> dict[str, str]:
            try:
                creds = sts.call("assume_role", **params)["Credentials"]
            except AwsError as exc:
                raise AwsRequestError(CANNOT_ASSUME_ROLE.format(arn=role.role_arn, error=exc)) from exc
            return {
                "access_key": creds["AccessKeyId"],
                "secret_key": creds["SecretAccessKey"],
                "token": creds["SessionToken"],
                "expiry_time": creds["Expiration"].isoformat(),
            }

        refreshable = RefreshableCredentials.create_from_metadata(fetch(), fetch, "assume-role")
        core = self._make_session()
        core._credentials = refreshable  # botocore has no public setter for refreshable credentials
        return core

    # -- clients ---------------------------------------------------------------------------------------------------
    def endpoint(self, service: str) -> str | None:
        if self.config.custom_endpoint_ec2:
            return self.config.custom_endpoint_ec2
        specific = self.environ.get(f"AWS_ENDPOINT_URL_{_SERVICE_ENV.get(service, service.upper())}", "")
        return specific or self.environ.get("AWS_ENDPOINT_URL", "") or None

    def _raw_client(self, session: Any, service: str, region: str) -> Any:
        from botocore.config import Config  # type: ignore[import-untyped]

        boto_config = Config(
            retries={"total_max_attempts": self.config.max_retries + 1, "mode": "standard"},
            user_agent_extra=_user_agent(),
        )
        with aws_errors():
            return session.create_client(
                service,
                region_name=region,
                endpoint_url=self.endpoint(service),
                verify=not self.config.insecure_skip_tls_verify,
                config=boto_config,
            )

    def _make_client(self, session: Any, service: str, region: str) -> AwsClient:
        def full() -> Any:
            with self._lock:
                if self._full_session is None:
                    self._full_session = self._make_session(cut_models=False)
                    self._full_session._credentials = session.get_credentials()
                return self._raw_client(self._full_session, service, region)

        return AwsClient(service, region, self._raw_client(session, service, region), full)

    def client(self, service: str, region: str | None = None) -> AwsClient:
        key = (service, region or self.region)
        with self._lock:
            if key not in self._clients:
                self._clients[key] = self._make_client(self._session, service, key[1])
            return self._clients[key]

    def ec2(self, region: str | None = None) -> AwsClient:
        return self.client("ec2", region)

    def iam(self) -> AwsClient:
        return self.client("iam")
