"""``aws_secretsmanager``: read a secret through boto3; the one place botocore errors become template errors.

Packer (aws-sdk-go v1) prints SDK errors as ``Code: message``; the messages users see most are kept verbatim,
e.g. ``MissingRegion: could not find region configuration`` when no region is configured (corpus case 008).
"""

from __future__ import annotations

import json

from packer_py.interpolate.gotemplate.exceptions import FuncError
from packer_py.interpolate.gotemplate.gostrings import go_quote

__all__ = ["get_secret"]

_MISSING_REGION = "MissingRegion: could not find region configuration"
_NO_CREDENTIALS = (
    "NoCredentialProviders: no valid providers in chain. Deprecated.\n"
    "\tFor verbose messaging see aws.Config.CredentialsChainVerboseErrors"
)


def get_secret(name: str, key: str) -> str:
    """Packer's ``GetAWSSecret(name, key)``: the secret string, or one key of a JSON object secret."""
    if not name:
        raise FuncError("At least one secret name must be provided")
    import boto3  # type: ignore[import-untyped]  # lazy: only templates using aws_secretsmanager pay for boto3
    from botocore.exceptions import (  # type: ignore[import-untyped]
        BotoCoreError,
        ClientError,
        NoCredentialsError,
        NoRegionError,
    )

    try:
        client = boto3.session.Session().client("secretsmanager")
        response = client.get_secret_value(SecretId=name, VersionStage="AWSCURRENT")
    except NoRegionError as exc:
        raise FuncError(_MISSING_REGION) from exc
    except NoCredentialsError as exc:
        raise FuncError(_NO_CREDENTIALS) from exc
    except ClientError as exc:
        error = exc.response.get("Error", {})
        meta = exc.response.get("ResponseMetadata", {})
        raise FuncError(
            f"{error.get('Code', 'Unknown')}: {error.get('Message', '')}\n"
            f"\tstatus code: {meta.get('HTTPStatusCode', 0)}, request id: {meta.get('RequestId', '')}"
        ) from exc
    except BotoCoreError as exc:
        raise FuncError(str(exc)) from exc
    secret = response.get("SecretString")
    if secret is None:
        raise FuncError("Secret is not string")
    return _secret_value(secret, key)


def _secret_value(secret: str, key: str) -> str:
    try:
        decoded = json.loads(secret)
    except ValueError:
        return secret  # a plaintext secret
    if not isinstance(decoded, dict):
        raise FuncError(f"json: cannot unmarshal {_json_kind(decoded)} into Go value of type map[string]string")
    for value in decoded.values():
        if not isinstance(value, str) and value is not None:
            raise FuncError(f"json: cannot unmarshal {_json_kind(value)} into Go value of type string")
    values = {k: ("" if v is None else v) for k, v in decoded.items()}
    if not key and len(values) > 1:
        raise FuncError("Secret has multiple values and no key was set")
    if not key and values:
        return next(iter(values.values()))
    if key in values:
        return values[key]
    raise FuncError(f"No secret found for key {go_quote(key)}")


def _json_kind(value: object) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, list):
        return "array"
    if isinstance(value, str):
        return "string"
    return "object"
