"""EC2 Image Builder: export a Packer template as Image Builder resources, apply them, run a component locally.

A packer-py extension (Packer has no such command). Modules, one job each:

* ``export``: template -> ``BuildExport`` (``provisioners``: provisioners -> AWSTOE steps; ``resources``: amazon-ebs
  options -> recipe/infrastructure/distribution/pipeline; ``values``: times and build variables);
* ``output``: an export written to a directory (``deploy``: deploy.sh; ``readme``: README.md) and read back;
* ``requests``: botocore's ``ParamValidator`` plus the service rules botocore does not check;
* ``document``: AWSTOE documents against ``awstoe-document.schema.json`` and the rules a schema cannot say;
* ``apply``: boto3, in dependency order, idempotent; ``toe``: run a document over SSH with AWSTOE's semantics.

Importing this package loads neither boto3, botocore, paramiko nor PyYAML.
"""

from __future__ import annotations

from packer_py.imagebuilder.errors import ComponentRunError, DocumentError, ExportError, RequestError
from packer_py.imagebuilder.plan import BuildExport, ExportWarning

__all__ = [
    "BuildExport",
    "ComponentRunError",
    "DocumentError",
    "ExportError",
    "ExportWarning",
    "RequestError",
]
