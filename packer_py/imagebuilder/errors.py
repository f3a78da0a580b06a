"""The Image Builder errors, under packer-py's tree::

PackerPyError
├── TemplateError
│   └── ExportError          a template cannot be exported (the message names the reason)
├── ValidationError
│   ├── DocumentError        an AWSTOE component document breaks the format (findings listed)
│   └── RequestError         an Image Builder request breaks the service model (findings listed)
└── BuildError
    ├── ComponentRunError    run-component: a phase of the document failed on the host
    └── AwsError             (packer_py.errors) a botocore error, translated in ``boundary.py``
"""

from __future__ import annotations

from packer_py.errors import BuildError, TemplateError, ValidationError


class ExportError(TemplateError):
    """The template cannot be turned into Image Builder resources; ``reason`` is a short kind for reports."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


class DocumentError(ValidationError):
    """An AWSTOE document breaks the format; ``findings`` are ``path: message`` lines."""

    def __init__(self, source: str, findings: list[str]) -> None:
        super().__init__(f"{source}: invalid AWSTOE document:\n" + "\n".join(f"  * {f}" for f in findings))
        self.findings = findings


class RequestError(ValidationError):
    """An Image Builder request that the service (or botocore) would reject."""

    def __init__(self, operation: str, findings: list[str]) -> None:
        super().__init__(f"{operation}: invalid request:\n" + "\n".join(f"  * {f}" for f in findings))
        self.operation = operation
        self.findings = findings


class ComponentRunError(BuildError):
    """``run-component``: the document's run failed (a step with ``onFailure: Abort`` or ``Continue`` failed)."""
