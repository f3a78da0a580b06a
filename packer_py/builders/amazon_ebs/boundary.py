"""The one place where botocore's exceptions become packer-py's.

::

    AwsError (packer_py.errors)           any failed AWS call
    ├── AwsApiError                       AWS answered with an error code (botocore ClientError)
    └── AwsRequestError                   no usable answer: endpoint unreachable, no credentials, no region, ...

Every AWS call of the builder goes through ``AwsClient.call`` (see ``access.py``), which runs it inside
``aws_errors()``. Steps then match errors by ``code`` and message substring, as Packer's ``awserrors.Matches`` does,
and never see a botocore type.

The text of an ``AwsApiError`` is what aws-sdk-go's ``awserr`` prints, because Packer 1.6.6 embeds it in its own
messages (``Error querying AMI: InvalidAMIID.NotFound: The image id '[ami-1]' does not exist`` followed by
``\\n\\tstatus code: 400, request id: ...``).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from packer_py.errors import AwsError


class AwsApiError(AwsError):
    """AWS refused a request. ``code`` is AWS's error code (``InvalidGroup.NotFound``)."""

    def __init__(self, code: str, aws_message: str, *, status: int = 0, request_id: str = "") -> None:
        text = f"{code}: {aws_message}"
        if status or request_id:
            text += f"\n\tstatus code: {status}, request id: {request_id}"
        super().__init__(text)
        self.code = code
        self.aws_message = aws_message
        self.status = status
        self.request_id = request_id

    def matches(self, code: str, message: str = "") -> bool:
        """Packer's ``awserrors.Matches``: same code, and ``message`` is part of AWS's message."""
        return self.code == code and message in self.aws_message


class AwsRequestError(AwsError):
    """A request that got no AWS answer (connection refused, missing credentials or region)."""


def matches(exc: BaseException | None, code: str, message: str = "") -> bool:
    """``awserrors.Matches`` for any exception: only ``AwsApiError`` can match."""
    return isinstance(exc, AwsApiError) and exc.matches(code, message)


@contextmanager
def aws_errors() -> Iterator[None]:
    """Translate botocore's exceptions raised inside the block (botocore is imported only on failure)."""
    try:
        yield
    except AwsError:
        raise
    except Exception as exc:
        raise translate(exc) from exc


def translate(exc: Exception) -> Exception:
    """The packer-py error for a botocore exception; other exceptions are returned unchanged."""
    from botocore import exceptions as bx  # type: ignore[import-untyped]

    if isinstance(exc, bx.ClientError):
        error = exc.response.get("Error", {})
        meta = exc.response.get("ResponseMetadata", {})
        return AwsApiError(
            str(error.get("Code", "Unknown")),
            str(error.get("Message", "")),
            status=int(meta.get("HTTPStatusCode", 0) or 0),
            request_id=str(meta.get("RequestId", "")),
        )
    if isinstance(exc, bx.NoRegionError):
        return AwsRequestError("MissingRegion: could not find region configuration")
    if isinstance(exc, bx.NoCredentialsError | bx.PartialCredentialsError):
        return AwsRequestError(
            "NoCredentialProviders: no valid providers in chain. Deprecated.\n"
            "\tFor verbose messaging see aws.Config.CredentialsChainVerboseErrors"
        )
    if isinstance(exc, bx.ProfileNotFound):
        return AwsRequestError(f"SharedConfigProfileNotExistsError: {exc}")
    if isinstance(exc, bx.EndpointConnectionError):
        return AwsRequestError(f"RequestError: send request failed\ncaused by: {exc}")
    if isinstance(exc, bx.BotoCoreError):
        return AwsRequestError(str(exc))
    return exc
