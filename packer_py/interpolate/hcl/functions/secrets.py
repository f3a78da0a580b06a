"""Functions that read secrets from outside: ``aws_secretsmanager`` / ``aws_secretsmanager_raw`` (boto3, imported
only when called), and ``vault`` / ``consul_key``, which packer-py does not support, and ``env``.

The AWS lookup follows the Packer plugin SDK's ``GetAWSSecret``: the ``AWSCURRENT`` version; a value that is not
JSON is returned as is; a JSON object with one key needs no key argument; numbers print without a fraction.
"""

from __future__ import annotations

from collections.abc import Sequence

from packer_py.interpolate.hcl.functions.context import FunctionContext
from packer_py.interpolate.hcl.functions.spec import Arg, FunctionCallError, HclFunction, Param, define, value
from packer_py.interpolate.hcl.types import STRING, CtyType
from packer_py.interpolate.hcl.values import Value, string_val


def _fetch_secret_string(name: str) -> str:
    if not name:
        raise FunctionCallError(None, "At least one secret name must be provided")
    import boto3
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        client = boto3.client("secretsmanager")
        resp = client.get_secret_value(SecretId=name, VersionStage="AWSCURRENT")
    except (ClientError, BotoCoreError) as exc:
        raise FunctionCallError(None, str(exc)) from exc
    secret = resp.get("SecretString")
    if secret is None:
        raise FunctionCallError(None, "Secret is not string")
    return str(secret)


def secret_value(secret: str, key: str) -> str:
    """The SDK's ``getSecretValue``: plain text as is; a JSON object's value for ``key`` (or its only value)."""
    import json

    try:
        data = json.loads(secret)
    except ValueError:
        return secret
    if not isinstance(data, dict):
        raise FunctionCallError(None, "json: cannot unmarshal into Go value of type map[string]interface {}")
    if key == "" and len(data) > 1:
        raise FunctionCallError(None, "Secret has multiple values and no key was set")
    if key == "":
        if not data:
            return ""
        return _stringify(next(iter(data.values())))
    if key in data:
        return _stringify(data[key])
    raise FunctionCallError(None, f'No secret found for key "{key}"')


def _stringify(v: object) -> str:
    if isinstance(v, str):
        return v
    if isinstance(v, int | float) and not isinstance(v, bool):
        return f"{float(v):.0f}"
    type_name = {bool: "bool", dict: "map[string]interface {}", list: "[]interface {}"}.get(type(v), "<nil>")
    raise FunctionCallError(None, f"Unsupported secret value type: {type_name}")


def _aws_secret(args: Sequence[Arg], ret: CtyType) -> Value:
    key_val = value(args, 1)
    key = "" if key_val.is_null else key_val.as_string()
    return string_val(secret_value(_fetch_secret_string(value(args, 0).as_string()), key))


def _unsupported(name: str) -> object:
    def impl(args: Sequence[Arg], ret: CtyType) -> Value:
        raise FunctionCallError(None, f"the {name} function is not supported by packer-py")

    return impl


def functions(ctx: FunctionContext) -> dict[str, HclFunction]:
    fns = [
        define(
            "aws_secretsmanager", [Param("name", STRING), Param("key", STRING, allow_null=True)], STRING, _aws_secret
        ),
        define(
            "aws_secretsmanager_raw",
            [Param("name", STRING)],
            STRING,
            lambda a, r: string_val(_fetch_secret_string(value(a, 0).as_string())),
        ),
        define("vault", [Param("path", STRING), Param("key", STRING)], STRING, _unsupported("vault")),  # type: ignore[arg-type]
        define("consul_key", [Param("key", STRING)], STRING, _unsupported("consul_key")),  # type: ignore[arg-type]
    ]
    out = {f.name: f for f in fns}
    if ctx.allow_env:
        out["env"] = define(
            "env", [Param("key", STRING)], STRING, lambda a, r: string_val(ctx.getenv(value(a, 0).as_string()))
        )
    return out
