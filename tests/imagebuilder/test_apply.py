"""apply against botocore's Stubber (moto has no Image Builder): order, ARN chaining, idempotence, version bumps."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from botocore.stub import ANY, Stubber

from packer_py.api import load_template
from packer_py.imagebuilder.apply import HASH_TAG, Applier, Clients, content_hash
from packer_py.imagebuilder.export import ExportOptions, export_template

from .conftest import TEMPLATES

REGION = "eu-west-1"
ACCOUNT = "123456789012"
BASE = f"arn:aws:imagebuilder:{REGION}:{ACCOUNT}"


def _client(service: str) -> Any:
    return boto3.client(service, region_name=REGION, aws_access_key_id="x", aws_secret_access_key="x")


@pytest.fixture
def export():  # type: ignore[no-untyped-def]
    (result,) = export_template(load_template(TEMPLATES / "httpd.json"), ExportOptions(cwd=TEMPLATES))
    return result


def _iam_calls(stub: Stubber, export: Any, *, exists: bool) -> None:
    name = export.role.name
    role = {
        "Role": {
            "Path": "/",
            "RoleName": name,
            "RoleId": "AROAEXAMPLEEXAMPLE01",
            "Arn": f"arn:aws:iam::{ACCOUNT}:role/{name}",
            "CreateDate": "2024-01-01T00:00:00Z",
        }
    }
    if exists:
        stub.add_response("get_role", role, {"RoleName": name})
    else:
        stub.add_client_error("get_role", "NoSuchEntity", http_status_code=404, expected_params={"RoleName": name})
        stub.add_response("create_role", role, {"RoleName": name, "AssumeRolePolicyDocument": ANY})
    for policy in export.role.managed_policies:
        stub.add_response("attach_role_policy", {}, {"RoleName": name, "PolicyArn": policy})
    stub.add_response("put_role_policy", {}, {"RoleName": name, "PolicyName": "packer-py-build", "PolicyDocument": ANY})
    profile = {
        "InstanceProfile": {
            "Path": "/",
            "InstanceProfileName": name,
            "InstanceProfileId": "AIPAEXAMPLEEXAMPLE01",
            "Arn": f"arn:aws:iam::{ACCOUNT}:instance-profile/{name}",
            "CreateDate": "2024-01-01T00:00:00Z",
            "Roles": [],
        }
    }
    if exists:
        stub.add_response("get_instance_profile", profile, {"InstanceProfileName": name})
    else:
        stub.add_client_error(
            "get_instance_profile", "NoSuchEntity", http_status_code=404, expected_params={"InstanceProfileName": name}
        )
        stub.add_response("create_instance_profile", profile, {"InstanceProfileName": name})
        stub.add_response("add_role_to_instance_profile", {}, {"InstanceProfileName": name, "RoleName": name})


def _required(kind: str) -> dict[str, Any]:
    return {"timeoutMinutes": 720} if kind == "distributionConfiguration" else {}


def _filters(name: str) -> list[dict[str, Any]]:
    return [{"name": "name", "values": [name]}]


def test_first_apply_creates_in_order_and_chains_arns(export: Any) -> None:
    ib, iam = _client("imagebuilder"), _client("iam")
    name = export.base_name
    component_arn = f"{BASE}:component/{name}/1.0.0/1"
    recipe_arn = f"{BASE}:image-recipe/{name}/1.0.0"
    infra_arn = f"{BASE}:infrastructure-configuration/{name}"
    dist_arn = f"{BASE}:distribution-configuration/{name}"
    pipeline_arn = f"{BASE}:image-pipeline/{name}"
    with Stubber(ib) as st, Stubber(iam) as st_iam:
        _iam_calls(st_iam, export, exists=False)
        st.add_response("list_components", {"componentVersionList": []}, {"owner": "Self", "filters": _filters(name)})
        st.add_response(
            "create_component",
            {"componentBuildVersionArn": component_arn},
            {**export.components[0].request, "tags": ANY, "clientToken": ANY},
        )
        st.add_response(
            "list_image_recipes", {"imageRecipeSummaryList": []}, {"owner": "Self", "filters": _filters(name)}
        )
        expected_recipe = {
            **export.recipe,
            "components": [{"componentArn": component_arn}],
            "tags": ANY,
            "clientToken": ANY,
        }
        st.add_response("create_image_recipe", {"imageRecipeArn": recipe_arn}, expected_recipe)
        st.add_response(
            "list_infrastructure_configurations",
            {"infrastructureConfigurationSummaryList": []},
            {"filters": _filters(name)},
        )
        st.add_response(
            "create_infrastructure_configuration",
            {"infrastructureConfigurationArn": infra_arn},
            {**export.infrastructure, "tags": ANY, "clientToken": ANY},
        )
        st.add_response(
            "list_distribution_configurations",
            {"distributionConfigurationSummaryList": []},
            {"filters": _filters(name)},
        )
        st.add_response(
            "create_distribution_configuration",
            {"distributionConfigurationArn": dist_arn},
            {**export.distribution, "tags": ANY, "clientToken": ANY},
        )
        st.add_response("list_image_pipelines", {"imagePipelineList": []}, {"filters": _filters(name)})
        st.add_response(
            "create_image_pipeline",
            {"imagePipelineArn": pipeline_arn},
            {
                **export.pipeline,
                "imageRecipeArn": recipe_arn,
                "infrastructureConfigurationArn": infra_arn,
                "distributionConfigurationArn": dist_arn,
                "tags": ANY,
                "clientToken": ANY,
            },
        )
        st.add_response(
            "start_image_pipeline_execution",
            {"imageBuildVersionArn": f"{BASE}:image/{name}/1.0.0/1"},
            {"imagePipelineArn": pipeline_arn},
        )
        for status in ("BUILDING", "BUILDING", "AVAILABLE"):
            st.add_response(
                "get_image",
                {"image": {"state": {"status": status}}},
                {"imageBuildVersionArn": f"{BASE}:image/{name}/1.0.0/1"},
            )
        said: list[str] = []
        result = Applier(Clients(ib, iam, None), say=said.append).apply(export, start=True, wait=True)
        st.assert_no_pending_responses()
        st_iam.assert_no_pending_responses()
    assert result.pipeline_arn == pipeline_arn and result.image_status == "AVAILABLE"
    assert [a.kind for a in result.created] == [
        "role",
        "instance profile",
        "component",
        "image-recipe",
        "infrastructure-configuration",
        "distribution-configuration",
        "image-pipeline",
    ]
    assert said[-1].endswith("AVAILABLE")


def test_second_apply_with_same_content_creates_nothing(export: Any) -> None:
    ib, iam = _client("imagebuilder"), _client("iam")
    name = export.base_name
    version_arn = f"{BASE}:component/{name}/1.0.0"
    component_arn = f"{version_arn}/1"
    recipe_arn = f"{BASE}:image-recipe/{name}/1.0.0"
    infra_arn = f"{BASE}:infrastructure-configuration/{name}"
    dist_arn = f"{BASE}:distribution-configuration/{name}"
    pipeline_arn = f"{BASE}:image-pipeline/{name}"
    recipe = {**export.recipe, "components": [{"componentArn": component_arn}]}
    pipeline = {
        **export.pipeline,
        "imageRecipeArn": recipe_arn,
        "infrastructureConfigurationArn": infra_arn,
        "distributionConfigurationArn": dist_arn,
    }
    with Stubber(ib) as st, Stubber(iam) as st_iam:
        _iam_calls(st_iam, export, exists=True)
        st.add_response(
            "list_components",
            {"componentVersionList": [{"arn": version_arn, "name": name, "version": "1.0.0"}], "nextToken": "page2"},
            {"owner": "Self", "filters": _filters(name)},
        )
        st.add_response(
            "list_components",
            {"componentVersionList": []},
            {"owner": "Self", "filters": _filters(name), "nextToken": "page2"},
        )
        st.add_response(
            "list_component_build_versions",
            {"componentSummaryList": [{"arn": component_arn}]},
            {"componentVersionArn": version_arn},
        )
        st.add_response(
            "get_component",
            {"component": {"arn": component_arn, "tags": {HASH_TAG: content_hash(export.components[0].request)}}},
            {"componentBuildVersionArn": component_arn},
        )
        st.add_response(
            "list_image_recipes",
            {"imageRecipeSummaryList": [{"arn": recipe_arn, "name": name}]},
            {"owner": "Self", "filters": _filters(name)},
        )
        st.add_response(
            "get_image_recipe",
            {"imageRecipe": {"arn": recipe_arn, "tags": {HASH_TAG: content_hash(recipe)}}},
            {"imageRecipeArn": recipe_arn},
        )
        for kind, op, member, arn, request in (
            (
                "infrastructureConfiguration",
                "infrastructure_configuration",
                "infrastructureConfigurationSummaryList",
                infra_arn,
                export.infrastructure,
            ),
            (
                "distributionConfiguration",
                "distribution_configuration",
                "distributionConfigurationSummaryList",
                dist_arn,
                export.distribution,
            ),
        ):
            st.add_response(f"list_{op}s", {member: [{"arn": arn, "name": name}]}, {"filters": _filters(name)})
            st.add_response(
                f"get_{op}",
                {kind: {"arn": arn, **_required(kind), "tags": {HASH_TAG: content_hash(request)}}},
                {f"{kind}Arn": arn},
            )
        st.add_response(
            "list_image_pipelines",
            {"imagePipelineList": [{"arn": pipeline_arn, "name": name}]},
            {"filters": _filters(name)},
        )
        st.add_response(
            "get_image_pipeline",
            {"imagePipeline": {"arn": pipeline_arn, "tags": {HASH_TAG: content_hash(pipeline)}}},
            {"imagePipelineArn": pipeline_arn},
        )
        result = Applier(Clients(ib, iam, None)).apply(export)
        st.assert_no_pending_responses()
    assert result.created == []
    assert {a.verb for a in result.actions} == {"reused"}
    assert result.pipeline_arn == pipeline_arn


def test_changed_component_gets_a_bumped_version_and_the_pipeline_is_updated(export: Any) -> None:
    ib, iam = _client("imagebuilder"), _client("iam")
    name = export.base_name
    old_version_arn = f"{BASE}:component/{name}/1.0.3"
    new_component_arn = f"{BASE}:component/{name}/1.0.4/1"
    recipe_arn_old = f"{BASE}:image-recipe/{name}/1.0.0"
    recipe_arn_new = f"{BASE}:image-recipe/{name}/1.0.1"
    infra_arn = f"{BASE}:infrastructure-configuration/{name}"
    dist_arn = f"{BASE}:distribution-configuration/{name}"
    pipeline_arn = f"{BASE}:image-pipeline/{name}"
    with Stubber(ib) as st, Stubber(iam) as st_iam:
        _iam_calls(st_iam, export, exists=True)
        st.add_response(
            "list_components",
            {
                "componentVersionList": [
                    {"arn": f"{BASE}:component/{name}/1.0.0", "name": name, "version": "1.0.0"},
                    {"arn": old_version_arn, "name": name, "version": "1.0.3"},
                ]
            },
            {"owner": "Self", "filters": _filters(name)},
        )
        st.add_response(
            "list_component_build_versions",
            {"componentSummaryList": [{"arn": f"{old_version_arn}/1"}, {"arn": f"{old_version_arn}/2"}]},
            {"componentVersionArn": old_version_arn},
        )
        st.add_response(
            "get_component",
            {"component": {"tags": {HASH_TAG: "old"}}},
            {"componentBuildVersionArn": f"{old_version_arn}/2"},
        )
        st.add_response(
            "create_component",
            {"componentBuildVersionArn": new_component_arn},
            {**export.components[0].request, "semanticVersion": "1.0.4", "tags": ANY, "clientToken": ANY},
        )
        st.add_response(
            "list_image_recipes",
            {"imageRecipeSummaryList": [{"arn": recipe_arn_old, "name": name}]},
            {"owner": "Self", "filters": _filters(name)},
        )
        st.add_response(
            "get_image_recipe", {"imageRecipe": {"tags": {HASH_TAG: "old"}}}, {"imageRecipeArn": recipe_arn_old}
        )
        st.add_response(
            "create_image_recipe",
            {"imageRecipeArn": recipe_arn_new},
            {
                **export.recipe,
                "semanticVersion": "1.0.1",
                "components": [{"componentArn": new_component_arn}],
                "tags": ANY,
                "clientToken": ANY,
            },
        )
        for kind, op, member, arn, request in (
            (
                "infrastructureConfiguration",
                "infrastructure_configuration",
                "infrastructureConfigurationSummaryList",
                infra_arn,
                export.infrastructure,
            ),
            (
                "distributionConfiguration",
                "distribution_configuration",
                "distributionConfigurationSummaryList",
                dist_arn,
                export.distribution,
            ),
        ):
            st.add_response(f"list_{op}s", {member: [{"arn": arn, "name": name}]}, {"filters": _filters(name)})
            st.add_response(
                f"get_{op}",
                {kind: {"arn": arn, **_required(kind), "tags": {HASH_TAG: content_hash(request)}}},
                {f"{kind}Arn": arn},
            )
        st.add_response(
            "list_image_pipelines",
            {"imagePipelineList": [{"arn": pipeline_arn, "name": name}]},
            {"filters": _filters(name)},
        )
        st.add_response(
            "get_image_pipeline", {"imagePipeline": {"tags": {HASH_TAG: "old"}}}, {"imagePipelineArn": pipeline_arn}
        )
        expected = {k: v for k, v in export.pipeline.items() if k != "name"}
        expected.update(
            imagePipelineArn=pipeline_arn,
            imageRecipeArn=recipe_arn_new,
            infrastructureConfigurationArn=infra_arn,
            distributionConfigurationArn=dist_arn,
            clientToken=ANY,
        )
        st.add_response("update_image_pipeline", {"imagePipelineArn": pipeline_arn}, expected)
        st.add_response("tag_resource", {}, {"resourceArn": pipeline_arn, "tags": {HASH_TAG: ANY}})
        result = Applier(Clients(ib, iam, None)).apply(export)
        st.assert_no_pending_responses()
    assert [str(a) for a in result.created] == [
        f"component {name} 1.0.4: created ({new_component_arn})",
        f"image-recipe {name} 1.0.1: created ({recipe_arn_new})",
        f"image-pipeline {name}: updated ({pipeline_arn})",
    ]


def test_aws_errors_are_translated(export: Any) -> None:
    from packer_py.errors import AwsError

    ib, iam = _client("imagebuilder"), _client("iam")
    with Stubber(ib) as st, Stubber(iam) as st_iam:
        _iam_calls(st_iam, export, exists=True)
        st.add_client_error("list_components", "ForbiddenException", "not allowed", http_status_code=403)
        with pytest.raises(AwsError, match="ForbiddenException: not allowed"):
            Applier(Clients(ib, iam, None)).apply(export)
