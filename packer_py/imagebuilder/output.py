"""Writing an export to a directory, and reading it back for ``apply DIR``.

Layout (directly in DIR for a template with one build, in ``DIR/<build>/`` otherwise)::

    component-<name>.yaml     the AWSTOE document          component-<name>.json   CreateComponent request
    recipe.json  infrastructure.json  distribution.json  pipeline.json               the other requests
    iam-trust-policy.json  iam-role-policy.json                                        when a role is created
    files/...                 staged files, uploaded by deploy.sh / apply
    deploy.sh  README.md  export.json (what apply reads: names, region, bucket, role, staged files)
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from packer_py.imagebuilder.deploy import deploy_script, trust_policy_text
from packer_py.imagebuilder.errors import ExportError
from packer_py.imagebuilder.plan import BuildExport, ComponentFile, RoleSpec, StagedFile
from packer_py.imagebuilder.readme import build_readme, index_readme

MANIFEST = "export.json"


def _json(value: Any) -> str:
    return json.dumps(value, indent=4, ensure_ascii=False) + "\n"


def write_export(exports: list[BuildExport], out_dir: Path, command: str) -> list[Path]:
    """Write every build's files; returns the paths written (relative to ``out_dir``), sorted."""
    written: list[Path] = []

    def put(path: Path, text: str, *, executable: bool = False) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        if executable:
            path.chmod(0o755)
        written.append(path.relative_to(out_dir))

    for export in exports:
        folder = out_dir / export.folder if export.folder else out_dir
        for component in export.components:
            put(folder / f"{component.stem}.yaml", component.text)
        for name, _operation, request in export.requests():
            put(folder / name, _json(request))
        if export.role is not None:
            put(folder / "iam-trust-policy.json", trust_policy_text())
            if export.role.inline_policy is not None:
                put(folder / "iam-role-policy.json", _json(export.role.inline_policy))
        for item in export.staged:
            target = folder / "files" / item.key
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                shutil.copyfile(item.source, target)
            except OSError as exc:
                raise ExportError("missing-file", f"{item.source}: {exc.strerror or exc}") from None
            written.append(target.relative_to(out_dir))
        put(folder / "deploy.sh", deploy_script(export), executable=True)
        put(folder / "README.md", build_readme(export, command))
        put(folder / MANIFEST, _json(_manifest(export)))
    if len(exports) > 1:
        put(out_dir / "README.md", index_readme(exports, command))
    return sorted(written)


def _manifest(export: BuildExport) -> dict[str, Any]:
    return {
        "build": export.build_name,
        "template": export.template,
        "region": export.region,
        "name": export.base_name,
        "bucket": export.bucket,
        "prefix": export.prefix,
        "components": [{"stem": c.stem, "uri_key": c.uri_key} for c in export.components],
        "role": None
        if export.role is None
        else {"name": export.role.name, "managed_policies": list(export.role.managed_policies)},
        "staged": [item.key for item in export.staged],
        "warnings": [{"kind": w.kind, "message": str(w)} for w in export.warnings],
    }


def read_export(folder: Path) -> BuildExport:
    """An export directory (one build's folder) as a ``BuildExport``, for ``apply DIR``."""
    import yaml  # type: ignore[import-untyped]

    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ExportError("export-dir", f"{folder}: not a packer-py export ({MANIFEST}: {exc})") from None

    def load(name: str) -> dict[str, Any]:
        result: dict[str, Any] = json.loads((folder / name).read_text(encoding="utf-8"))
        return result

    components = []
    for item in manifest["components"]:
        text = (folder / f"{item['stem']}.yaml").read_text(encoding="utf-8")
        components.append(
            ComponentFile(item["stem"], yaml.safe_load(text), text, load(f"{item['stem']}.json"), item.get("uri_key"))
        )
    role = None
    if manifest.get("role"):
        inline = load("iam-role-policy.json") if (folder / "iam-role-policy.json").exists() else None
        role = RoleSpec(manifest["role"]["name"], inline, tuple(manifest["role"]["managed_policies"]))
    return BuildExport(
        build_name=manifest["build"],
        template=manifest["template"],
        folder="",
        region=manifest["region"],
        base_name=manifest["name"],
        components=components,
        recipe=load("recipe.json"),
        infrastructure=load("infrastructure.json"),
        distribution=load("distribution.json"),
        pipeline=load("pipeline.json"),
        role=role,
        bucket=manifest.get("bucket"),
        prefix=manifest.get("prefix", ""),
        staged=[StagedFile(folder / "files" / key, key) for key in manifest.get("staged", [])],
    )


def export_folders(directory: Path) -> list[Path]:
    """The build folders of an export directory (itself, or its sub-folders that hold a manifest)."""
    if (directory / MANIFEST).exists():
        return [directory]
    found = sorted(p.parent for p in directory.glob(f"*/{MANIFEST}"))
    if not found:
        raise ExportError("export-dir", f"{directory}: no {MANIFEST} here or in a sub-folder")
    return found


def relative_command(argv: list[str]) -> str:
    """The command line as a person would retype it (paths kept as given)."""
    import shlex

    return " ".join(shlex.quote(a) for a in argv)


def export_command(
    template: str,
    output: str,
    *,
    var_names: Iterable[str] = (),
    var_files: Sequence[str] = (),
    only: Sequence[str] = (),
    except_: Sequence[str] = (),
    bucket: str | None = None,
    name: str | None = None,
    resolve_source: bool = False,
) -> str:
    """The ``packer-py imagebuilder export`` command that makes this export again, quoted in its README files.

    ``-var`` values are left out (``-var=NAME=...``): they may be secrets, and the README is meant to be committed."""
    argv = ["packer-py", "imagebuilder", "export", *[f"-var={key}=..." for key in var_names]]
    argv += [f"-var-file={f}" for f in var_files] + [f"-only={','.join(only)}"] * bool(only)
    argv += [f"-except={','.join(except_)}"] * bool(except_) + (["--bucket", bucket] if bucket else [])
    argv += (["--name", name] if name else []) + ["--resolve-source"] * resolve_source + [template, "-o", output]
    return relative_command(argv)


def is_export_dir(target: str) -> bool:
    """``apply TARGET``: a folder is an export directory unless it is an HCL2 template (named ``*.pkr.hcl`` /
    ``*.pkr.json``, or holding ``*.pkr.hcl`` files); anything else is a template, exported on the fly."""
    return (
        os.path.isdir(target)
        and not target.endswith((".pkr.hcl", ".pkr.json"))
        and not any(Path(target).glob("*.pkr.hcl"))
    )


__all__ = ["export_command", "export_folders", "is_export_dir", "read_export", "relative_command", "write_export"]
