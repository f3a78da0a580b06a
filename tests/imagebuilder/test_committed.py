"""The committed exports of the seed templates are what export writes today (regenerate: templates/imagebuilder/
regen.sh), every JSON file in templates/imagebuilder passes botocore's validation plus the service rules, and the
seed's own files are judged: what the seed got wrong is pinned here."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from packer_py.api import load_template
from packer_py.imagebuilder.document import load_document_file
from packer_py.imagebuilder.export import ExportOptions, export_template
from packer_py.imagebuilder.output import write_export
from packer_py.imagebuilder.requests import validate_request

from .conftest import SEED, TEMPLATES

OPERATION_OF = {
    "component": "CreateComponent",
    "recipe": "CreateImageRecipe",
    "infrastructure": "CreateInfrastructureConfiguration",
    "distribution": "CreateDistributionConfiguration",
    "pipeline": "CreateImagePipeline",
}


def _operation(path: Path) -> str:
    stem = path.stem
    return OPERATION_OF["component" if stem.startswith("component") else stem]


@pytest.mark.parametrize("name", ["httpd", "jenkins"])
def test_committed_export_is_current(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(TEMPLATES)  # as regen.sh runs it: positions name the template as given
    exports = export_template(load_template(f"{name}.json"), ExportOptions(cwd=TEMPLATES))
    out = tmp_path / name
    write_export(exports, out, f"packer-py imagebuilder export {name}.json -o imagebuilder/{name}")
    committed = TEMPLATES / "imagebuilder" / name
    ours = sorted(p.relative_to(out) for p in out.rglob("*") if p.is_file())
    theirs = sorted(p.relative_to(committed) for p in committed.rglob("*") if p.is_file())
    assert ours == theirs
    for rel in ours:
        assert (out / rel).read_bytes() == (committed / rel).read_bytes(), f"{rel}: run templates/imagebuilder/regen.sh"


EXPORTED = sorted(
    p
    for p in (TEMPLATES / "imagebuilder").glob("*/*.json")
    if p.parent.name != "seed" and p.stem in OPERATION_OF or p.name.startswith("component-")
)


@pytest.mark.parametrize("path", EXPORTED, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_exported_request_file_is_valid(path: Path) -> None:
    assert validate_request(_operation(path), json.loads(path.read_text())) == []


def test_exported_request_files_are_all_covered() -> None:
    assert len(EXPORTED) == 10


@pytest.mark.parametrize("path", sorted((TEMPLATES / "imagebuilder").glob("*/component-*.yaml")), ids=str)
def test_exported_documents_are_valid(path: Path) -> None:
    load_document_file(path)


SEED_FINDINGS = {
    "component.json": [],
    "infrastructure.json": [],
    "distribution.json": [],
    "recipe.json": ["CreateImageRecipe.components[0].componentArn: 'you-component-arn-here' does not match"],
    "pipeline.json": [
        "CreateImagePipeline.imageRecipeArn: 'your-recipe-arn-here' does not match",
        "CreateImagePipeline.infrastructureConfigurationArn: 'your-infrastructure-config-arn-here' does not match",
        "CreateImagePipeline.distributionConfigurationArn: 'your-distribution-config-arn-here' does not match",
    ],
}


@pytest.mark.parametrize("name", sorted(SEED_FINDINGS))
def test_seed_request_files(name: str) -> None:
    """The seed's JSON files use the real member names; only its pasted-ARN placeholders break the ARN patterns."""
    findings = validate_request(_operation(SEED / name), json.loads((SEED / name).read_text()))
    assert [f.split(" the pattern")[0] for f in findings] == SEED_FINDINGS[name]


def test_seed_command_block_bug() -> None:
    """The seed creates the distribution and the infrastructure from the same configuration.json: each file is
    refused by the other call."""
    infrastructure = json.loads((SEED / "infrastructure.json").read_text())
    distribution = json.loads((SEED / "distribution.json").read_text())
    as_distribution = validate_request("CreateDistributionConfiguration", infrastructure)
    as_infrastructure = validate_request("CreateInfrastructureConfiguration", distribution)
    assert any('Missing required parameter in input: "distributions"' in f for f in as_distribution)
    assert any('Missing required parameter in input: "instanceProfileName"' in f for f in as_infrastructure)
