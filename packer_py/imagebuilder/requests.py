"""Check an Image Builder request the way the service would, before anything is sent.

Two layers, because botocore only does half the job:

1. botocore's own ``ParamValidator`` against the ``imagebuilder`` service model: required members, unknown members,
   Python types and ``min`` lengths. ``clientToken`` is required by every ``Create*`` shape but filled in by boto3
   and the AWS CLI (it is an idempotency token), so a request without one is checked with a stand-in token.
2. What ``ParamValidator`` skips and the service rejects with ``InvalidParameterValueException``: the model's
   ``max`` lengths, ``pattern`` regular expressions and ``enum`` values, walked over the whole request; plus the
   rules that are not in the model at all (EC2 Image Builder User Guide): an AMI name must contain
   ``{{imagebuilder:buildDate}}``, a component has ``data`` or ``uri`` but not both, and a recipe needs at least
   one component.

The same dict is boto3's keyword arguments, the body of the API call and the ``--cli-input-json`` file of
``aws imagebuilder <operation>``, so one check serves export, deploy.sh and apply.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from packer_py.imagebuilder.errors import RequestError

SERVICE = "imagebuilder"

OPERATIONS = {
    "create-component": "CreateComponent",
    "create-image-recipe": "CreateImageRecipe",
    "create-infrastructure-configuration": "CreateInfrastructureConfiguration",
    "create-distribution-configuration": "CreateDistributionConfiguration",
    "create-image-pipeline": "CreateImagePipeline",
}
"""CLI command -> API operation, for the five request files an export writes (in dependency order)."""

BUILD_DATE = "{{imagebuilder:buildDate}}"
_BUILD_DATE = re.compile(r"{{\s*imagebuilder:buildDate\s*}}")


@lru_cache(maxsize=1)
def _model() -> Any:
    import botocore.session  # type: ignore[import-untyped]

    return botocore.session.get_session().get_service_model(SERVICE)


def input_shape(operation: str) -> Any:
    return _model().operation_model(operation).input_shape


def validate_request(operation: str, params: dict[str, Any]) -> list[str]:
    """Every reason the service would refuse ``params`` for ``operation`` (an API name such as ``CreateComponent``).

    Empty when the request is acceptable.
    """
    from botocore.validate import ParamValidator  # type: ignore[import-untyped]

    shape = input_shape(operation)
    checked = dict(params)
    if "clientToken" in shape.members and "clientToken" not in checked:
        checked["clientToken"] = "packer-py-validation"  # boto3 and the AWS CLI fill the idempotency token in
    report = ParamValidator().validate(checked, shape)
    findings = []
    if report.has_errors():
        findings += [f"{operation}: {line.strip()}" for line in report.generate_report().splitlines() if line.strip()]
    findings += _constraints(shape, params, operation)
    findings += _service_rules(operation, params)
    return findings


def check_request(operation: str, params: dict[str, Any]) -> None:
    """``validate_request`` that raises ``RequestError``."""
    findings = validate_request(operation, params)
    if findings:
        raise RequestError(operation, findings)


def _constraints(shape: Any, value: object, path: str) -> list[str]:
    """The ``max``/``pattern``/``enum`` constraints of the model, which ``ParamValidator`` does not check."""
    meta = shape.metadata
    out: list[str] = []
    kind = shape.type_name
    if kind == "structure" and isinstance(value, dict):
        for key, item in value.items():
            if key in shape.members:
                out += _constraints(shape.members[key], item, f"{path}.{key}")
    elif kind == "list" and isinstance(value, list):
        if "max" in meta and len(value) > meta["max"]:
            out.append(f"{path}: {len(value)} items, more than the maximum {meta['max']}")
        for index, item in enumerate(value):
            out += _constraints(shape.member, item, f"{path}[{index}]")
    elif kind == "map" and isinstance(value, dict):
        if "max" in meta and len(value) > meta["max"]:
            out.append(f"{path}: {len(value)} entries, more than the maximum {meta['max']}")
        for key, item in value.items():
            out += _constraints(shape.key, key, f"{path} key {key!r}")
            out += _constraints(shape.value, item, f"{path}[{key!r}]")
    elif kind == "string" and isinstance(value, str):
        if "max" in meta and len(value) > meta["max"]:
            out.append(f"{path}: {len(value)} characters, more than the maximum {meta['max']}")
        pattern = meta.get("pattern")
        if pattern and not re.search(pattern, value):
            out.append(f"{path}: {value!r} does not match the pattern {pattern}")
        if shape.enum and value not in shape.enum:
            out.append(f"{path}: {value!r} is not one of {', '.join(shape.enum)}")
    elif kind in ("integer", "long") and isinstance(value, int) and not isinstance(value, bool):
        if "max" in meta and value > meta["max"]:
            out.append(f"{path}: {value} is more than the maximum {meta['max']}")
    return out


def _service_rules(operation: str, params: dict[str, Any]) -> list[str]:
    out: list[str] = []
    if operation == "CreateComponent" and ("data" in params) == ("uri" in params):
        out.append(f"{operation}: exactly one of data and uri is required (InvalidParameterCombinationException)")
    if operation == "CreateImageRecipe" and not params.get("components"):
        out.append(f"{operation}.components: a recipe needs at least one component")
    if operation in ("CreateDistributionConfiguration", "UpdateDistributionConfiguration"):
        distributions = params.get("distributions") or []
        if not distributions:
            out.append(f"{operation}.distributions: at least one distribution is required")
        for index, dist in enumerate(distributions):
            name = (dist.get("amiDistributionConfiguration") or {}).get("name")
            if isinstance(name, str) and not _BUILD_DATE.search(name):
                out.append(
                    f"{operation}.distributions[{index}].amiDistributionConfiguration.name: {name!r} must contain "
                    f"'{BUILD_DATE}' to ensure that the name will be unique"
                )
    return out
