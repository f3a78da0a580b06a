"""``export --resolve-source``: a ``source_ami_filter`` resolved to one AMI ID, as the amazon-ebs builder does.

Packer's rule (builder/amazon/common/ami_filter.go): DescribeImages with the filters and owners; no image is an
error; several images need ``most_recent`` (newest ``CreationDate`` wins), otherwise that is an error too.
"""

from __future__ import annotations

from typing import Any

from packer_py.imagebuilder.errors import ExportError


def resolve_source_ami(region: str, source_filter: dict[str, Any], ec2: Any = None) -> str:
    from packer_py.imagebuilder.apply import aws_errors

    if ec2 is None:
        import boto3  # type: ignore[import-untyped]

        ec2 = boto3.client("ec2", region_name=region)
    filters = [
        {"Name": str(name), "Values": [str(v) for v in (values if isinstance(values, list) else [values])]}
        for name, values in (source_filter.get("filters") or {}).items()
    ]
    kwargs: dict[str, Any] = {"Filters": filters}
    if source_filter.get("owners"):
        kwargs["Owners"] = [str(o) for o in source_filter["owners"]]
    with aws_errors("DescribeImages for source_ami_filter"):
        images = ec2.describe_images(**kwargs).get("Images", [])
    if not images:
        raise ExportError("source-ami-filter", "No AMI was found matching filters")
    if len(images) > 1 and not source_filter.get("most_recent"):
        raise ExportError(
            "source-ami-filter",
            "Your query returned more than one result. Please try a more specific search, or set most_recent to true.",
        )
    newest = max(images, key=lambda image: image.get("CreationDate", ""))
    return str(newest["ImageId"])
