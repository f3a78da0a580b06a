"""``packer-py imagebuilder apply``: create or update an export's resources through boto3, safely re-runnable.

Order (each ARN returned is the one passed on): S3 staging (bucket, files, documents given by ``uri``), IAM role
and instance profile, components -> recipe -> infrastructure -> distribution -> pipeline, then optionally a pipeline
execution, followed until the image is AVAILABLE (or fails).

Idempotence is decided by looking resources up, never by provoking errors: ``list_*`` with a ``name`` filter
(all pages). Each resource carries a ``packer-py:content-sha256`` tag, the hash of its request (with the real ARNs of
what it depends on), so

* components and recipes (immutable, versioned): the newest version with the same hash is reused; a different hash
  creates the next patch version (``1.0.0`` -> ``1.0.1``), never an error about an existing version;
* infrastructure, distribution and pipeline (mutable): created when missing, updated in place (``update_*`` plus the
  hash tag) when the hash differs, left alone otherwise.

The client token of every create call is derived from the same hash, so a retried call cannot create twice.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from packer_py.errors import AwsError, BuildError
from packer_py.imagebuilder.plan import STAGING_PARAMETER, TRUST_POLICY, BuildExport
from packer_py.imagebuilder.requests import check_request

HASH_TAG = "packer-py:content-sha256"
TERMINAL = {"AVAILABLE", "FAILED", "CANCELLED", "DEPRECATED", "DELETED", "DISABLED"}


@contextmanager
def aws_errors(action: str) -> Iterator[None]:
    """botocore errors become ``AwsError`` here, the one boundary for boto3 calls of apply."""
    from botocore.exceptions import BotoCoreError, ClientError  # type: ignore[import-untyped]

    try:
        yield
    except ClientError as exc:
        error = exc.response.get("Error", {})
        raise AwsError(f"{action}: {error.get('Code', 'Error')}: {error.get('Message', exc)}") from exc
    except BotoCoreError as exc:
        raise AwsError(f"{action}: {exc}") from exc


@dataclass
class Clients:
    imagebuilder: Any
    iam: Any
    s3: Any

    @classmethod
    def for_region(cls, region: str) -> Clients:
        import boto3  # type: ignore[import-untyped]

        session = boto3.session.Session(region_name=region)
        return cls(session.client("imagebuilder"), session.client("iam"), session.client("s3"))


@dataclass
class Action:
    kind: str
    name: str
    verb: str
    """created | reused | updated | uploaded | started"""
    arn: str = ""

    def __str__(self) -> str:
        return f"{self.kind} {self.name}: {self.verb}" + (f" ({self.arn})" if self.arn else "")


@dataclass
class ApplyResult:
    actions: list[Action] = field(default_factory=list)
    pipeline_arn: str = ""
    image_arn: str = ""
    image_status: str = ""

    @property
    def created(self) -> list[Action]:
        return [a for a in self.actions if a.verb in ("created", "updated")]


def content_hash(request: dict[str, Any]) -> str:
    material = {k: v for k, v in request.items() if k not in ("tags", "clientToken", "description")}
    return hashlib.sha256(json.dumps(material, sort_keys=True).encode()).hexdigest()


def bump_patch(version: str) -> str:
    major, minor, patch = (int(p) for p in version.split("."))
    return f"{major}.{minor}.{patch + 1}"


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(p) for p in version.split("/")[0].split("."))


@dataclass
class Applier:
    clients: Clients
    say: Callable[[str], None] = lambda _text: None
    sleep: Callable[[float], None] = lambda _s: None
    poll_interval: float = 30.0
    max_polls: int = 480

    def apply(self, export: BuildExport, *, start: bool = False, wait: bool = False) -> ApplyResult:
        result = ApplyResult()
        if export.bucket:
            result.actions += self.stage(export)
        profile = export.infrastructure["instanceProfileName"]
        if export.role is not None:
            self._role(export, result)
        component_arns = []
        for component in export.components:
            request = dict(component.request)
            if component.uri_key:
                request["uri"] = f"s3://{export.bucket}/{export.prefix}{component.uri_key}"
            component_arns.append(self._versioned("component", request, result))
        recipe = dict(export.recipe)
        recipe["components"] = []
        for arn, original in zip(component_arns, export.recipe["components"], strict=False):
            entry = {**original, "componentArn": arn}
            if export.bucket and "parameters" in entry:
                entry["parameters"] = [{"name": STAGING_PARAMETER, "value": [export.bucket]}]
            recipe["components"].append(entry)
        recipe_arn = self._versioned("image-recipe", recipe, result)
        infrastructure = {**export.infrastructure, "instanceProfileName": profile}
        infrastructure_arn = self._mutable("infrastructure-configuration", infrastructure, result)
        distribution_arn = self._mutable("distribution-configuration", export.distribution, result)
        pipeline = {
            **export.pipeline,
            "imageRecipeArn": recipe_arn,
            "infrastructureConfigurationArn": infrastructure_arn,
            "distributionConfigurationArn": distribution_arn,
        }
        result.pipeline_arn = self._mutable("image-pipeline", pipeline, result)
        if start:
            self._start(result, wait)
        return result

    # -- S3 and IAM ------------------------------------------------------------------------------------------------
    def stage(self, export: BuildExport) -> list[Action]:
        """The S3 part alone: the staging bucket (created when missing), the staged files and the component documents
        given by ``uri``, at the keys the component downloads from. Also what a test needs before running the
        component with ``run-component``, which has no Image Builder to stage for it."""
        actions: list[Action] = []
        s3 = self.clients.s3
        bucket = export.bucket
        if not bucket:
            return actions
        from botocore.exceptions import ClientError

        try:
            s3.head_bucket(Bucket=bucket)
        except ClientError:
            with aws_errors(f"create bucket {bucket}"):
                kwargs: dict[str, Any] = {"Bucket": bucket}
                if export.region != "us-east-1":
                    kwargs["CreateBucketConfiguration"] = {"LocationConstraint": export.region}
                s3.create_bucket(**kwargs)
            actions.append(Action("bucket", str(bucket), "created"))
        uploads = [(item.key, item.source.read_bytes()) for item in export.staged]
        uploads += [(c.uri_key, c.text.encode()) for c in export.components if c.uri_key]
        for key, data in uploads:
            with aws_errors(f"upload s3://{bucket}/{export.prefix}{key}"):
                s3.put_object(Bucket=bucket, Key=f"{export.prefix}{key}", Body=data)
            actions.append(Action("object", f"{export.prefix}{key}", "uploaded"))
        return actions

    def _role(self, export: BuildExport, result: ApplyResult) -> None:
        iam = self.clients.iam
        role = export.role
        assert role is not None
        with aws_errors(f"IAM role {role.name}"):
            if not self._iam_exists(lambda: iam.get_role(RoleName=role.name)):
                iam.create_role(RoleName=role.name, AssumeRolePolicyDocument=json.dumps(TRUST_POLICY))
                result.actions.append(Action("role", role.name, "created"))
            for policy in role.managed_policies:
                iam.attach_role_policy(RoleName=role.name, PolicyArn=policy)
            if role.inline_policy is not None:
                iam.put_role_policy(
                    RoleName=role.name, PolicyName="packer-py-build", PolicyDocument=json.dumps(role.inline_policy)
                )
            if not self._iam_exists(lambda: iam.get_instance_profile(InstanceProfileName=role.name)):
                iam.create_instance_profile(InstanceProfileName=role.name)
                iam.add_role_to_instance_profile(InstanceProfileName=role.name, RoleName=role.name)
                result.actions.append(Action("instance profile", role.name, "created"))

    @staticmethod
    def _iam_exists(call: Callable[[], Any]) -> bool:
        from botocore.exceptions import ClientError

        try:
            call()
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") == "NoSuchEntity":
                return False
            raise
        return True

    # -- Image Builder ---------------------------------------------------------------------------------------------
    def _list(self, kind: str, name: str) -> list[dict[str, Any]]:
        """Every resource of ``kind`` named ``name`` that this account owns (all pages)."""
        ib = self.clients.imagebuilder
        operation, member = {
            "component": ("list_components", "componentVersionList"),
            "image-recipe": ("list_image_recipes", "imageRecipeSummaryList"),
            "infrastructure-configuration": (
                "list_infrastructure_configurations",
                "infrastructureConfigurationSummaryList",
            ),
            "distribution-configuration": ("list_distribution_configurations", "distributionConfigurationSummaryList"),
            "image-pipeline": ("list_image_pipelines", "imagePipelineList"),
        }[kind]
        kwargs: dict[str, Any] = {"filters": [{"name": "name", "values": [name]}]}
        if kind in ("component", "image-recipe"):
            kwargs["owner"] = "Self"
        found: list[dict[str, Any]] = []
        with aws_errors(f"{operation} {name}"):
            while True:
                check_request(_api(operation), kwargs)
                page = getattr(ib, operation)(**kwargs)
                found += [item for item in page.get(member, []) if item.get("name") == name]
                token = page.get("nextToken")
                if not token:
                    break
                kwargs["nextToken"] = token
        return found

    def _versioned(self, kind: str, request: dict[str, Any], result: ApplyResult) -> str:
        ib = self.clients.imagebuilder
        name = request["name"]
        digest = content_hash(request)
        existing = self._list(kind, name)
        version = request["semanticVersion"]
        if existing:
            newest = max(existing, key=lambda item: _version_key(_arn_version(item["arn"])))
            newest_version = _arn_version(newest["arn"])
            arn, tags = self._current(kind, newest["arn"])
            if tags.get(HASH_TAG) == digest:
                result.actions.append(Action(kind, name, "reused", arn))
                return arn
            if _version_key(version) <= _version_key(newest_version):
                version = bump_patch(newest_version)
        body = {**request, "semanticVersion": version, "tags": {**request.get("tags", {}), HASH_TAG: digest}}
        body["clientToken"] = digest
        operation = "create_component" if kind == "component" else "create_image_recipe"
        member = "componentBuildVersionArn" if kind == "component" else "imageRecipeArn"
        check_request(_api(operation), body)
        with aws_errors(f"{operation} {name} {version}"):
            arn = str(getattr(ib, operation)(**body)[member])
        result.actions.append(Action(kind, f"{name} {version}", "created", arn))
        return arn

    def _current(self, kind: str, version_arn: str) -> tuple[str, dict[str, str]]:
        """The ARN to use for an existing version, and its tags."""
        ib = self.clients.imagebuilder
        with aws_errors(f"read {version_arn}"):
            if kind == "component":
                builds = []
                kwargs: dict[str, Any] = {"componentVersionArn": version_arn}
                while True:
                    page = ib.list_component_build_versions(**kwargs)
                    builds += page.get("componentSummaryList", [])
                    if not page.get("nextToken"):
                        break
                    kwargs["nextToken"] = page["nextToken"]
                if not builds:
                    return version_arn, {}
                arn = str(max(builds, key=lambda b: int(b["arn"].rsplit("/", 1)[1]))["arn"])
                component = ib.get_component(componentBuildVersionArn=arn)["component"]
                return arn, dict(component.get("tags", {}))
            recipe = ib.get_image_recipe(imageRecipeArn=version_arn)["imageRecipe"]
            return version_arn, dict(recipe.get("tags", {}))

    def _mutable(self, kind: str, request: dict[str, Any], result: ApplyResult) -> str:
        ib = self.clients.imagebuilder
        name = request["name"]
        digest = content_hash(request)
        existing = self._list(kind, name)
        create, update, get, arn_member, get_member = {
            "infrastructure-configuration": (
                "create_infrastructure_configuration",
                "update_infrastructure_configuration",
                "get_infrastructure_configuration",
                "infrastructureConfigurationArn",
                "infrastructureConfiguration",
            ),
            "distribution-configuration": (
                "create_distribution_configuration",
                "update_distribution_configuration",
                "get_distribution_configuration",
                "distributionConfigurationArn",
                "distributionConfiguration",
            ),
            "image-pipeline": (
                "create_image_pipeline",
                "update_image_pipeline",
                "get_image_pipeline",
                "imagePipelineArn",
                "imagePipeline",
            ),
        }[kind]
        if not existing:
            body = {**request, "tags": {**request.get("tags", {}), HASH_TAG: digest}, "clientToken": digest}
            check_request(_api(create), body)
            with aws_errors(f"{create} {name}"):
                arn = str(getattr(ib, create)(**body)[arn_member])
            result.actions.append(Action(kind, name, "created", arn))
            return arn
        arn = str(existing[0]["arn"])
        with aws_errors(f"{get} {name}"):
            current = getattr(ib, get)(**{arn_member: arn})[get_member]
        if current.get("tags", {}).get(HASH_TAG) == digest:
            result.actions.append(Action(kind, name, "reused", arn))
            return arn
        body = {k: v for k, v in request.items() if k not in ("name", "tags")}
        body[arn_member] = arn
        body["clientToken"] = digest
        check_request(_api(update), body)
        with aws_errors(f"{update} {name}"):
            getattr(ib, update)(**body)
            ib.tag_resource(resourceArn=arn, tags={HASH_TAG: digest})
        result.actions.append(Action(kind, name, "updated", arn))
        return arn

    def _start(self, result: ApplyResult, wait: bool) -> None:
        ib = self.clients.imagebuilder
        with aws_errors("start_image_pipeline_execution"):
            started = ib.start_image_pipeline_execution(imagePipelineArn=result.pipeline_arn)
        result.image_arn = str(started["imageBuildVersionArn"])
        result.actions.append(Action("image", result.image_arn, "started"))
        self.say(f"Started {result.image_arn}")
        if not wait:
            return
        last = ""
        for _ in range(self.max_polls):
            with aws_errors(f"get_image {result.image_arn}"):
                image = ib.get_image(imageBuildVersionArn=result.image_arn)["image"]
            status = str(image.get("state", {}).get("status", ""))
            if status != last:
                self.say(f"Image {result.image_arn}: {status}")
                last = status
            if status in TERMINAL:
                result.image_status = status
                if status != "AVAILABLE":
                    reason = image.get("state", {}).get("reason", "")
                    raise BuildError(f"image build {status}: {reason}".rstrip(": "))
                return
            self.sleep(self.poll_interval)
        raise BuildError(f"image build still {last} after {self.max_polls} polls")


def _arn_version(arn: str) -> str:
    """``.../component/name/1.0.0`` (or a recipe's ``.../image-recipe/name/1.0.0``) -> ``1.0.0``."""
    return arn.rstrip("/").rsplit("/", 1)[1]


def _api(method: str) -> str:
    """``create_image_recipe`` -> ``CreateImageRecipe``."""
    return "".join(part.capitalize() for part in method.split("_"))
