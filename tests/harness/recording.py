"""The ordered AWS API calls a moto server received, read from moto's request recorder.

moto (server mode) appends one JSON line per request to ``MOTO_RECORDER_FILEPATH`` while recording is on; the
harness turns each line into an ``ApiCall``. The service comes from the SigV4 credential scope
(``Credential=AKID/DATE/REGION/SERVICE/aws4_request``), the action from the form body (``Action=...``, the query
protocol used by EC2, IAM and STS), from ``X-Amz-Target`` (JSON protocol) or, for REST services, from the method
and path.

Requests the harness makes itself (creating a source AMI, listing leftovers, the sshd ``AuthorizedKeysCommand``)
carry ``HARNESS_USER_AGENT`` in their User-Agent and are left out unless asked for, so a test sees exactly the calls
the code under test made.
"""

from __future__ import annotations

import base64
import json
import re
from dataclasses import dataclass, field
from urllib.parse import parse_qs, parse_qsl, urlsplit

HARNESS_USER_AGENT = "packer-py-harness"
"""Marker in the User-Agent of every request the harness itself sends to moto."""

_SCOPE = re.compile(r"Credential=[^/,\s]+/\d{8}/(?P<region>[a-z0-9-]+)/(?P<service>[a-z0-9-]+)/aws4_request")


@dataclass(frozen=True)
class ApiCall:
    service: str
    """The SigV4 signing name: ``ec2``, ``iam``, ``sts``, ..."""
    action: str
    """``RunInstances``; for REST services ``METHOD /path``."""
    region: str
    from_harness: bool = False
    params: tuple[tuple[str, str], ...] = field(default=(), compare=False)
    """The form parameters of a query-protocol request (EC2, IAM, STS), in order: what moto was asked even where it
    does not keep the value (moto 5 accepts an AMI ``Description`` change and drops it)."""

    def pair(self) -> tuple[str, str]:
        return (self.service, self.action)

    def param(self, name: str) -> str | None:
        return next((value for key, value in self.params if key == name), None)


def _header(headers: dict[str, str], name: str) -> str:
    lowered = name.lower()
    for key, value in headers.items():
        if key.lower() == lowered:
            return value
    return ""


def _body_text(entry: dict[str, object]) -> str:
    body = entry.get("body") or ""
    if not isinstance(body, str):
        return ""
    if entry.get("body_encoded"):
        return base64.b64decode(body).decode("utf-8", errors="replace")
    return body


def parse_entry(entry: dict[str, object]) -> ApiCall | None:
    """One recorded request as an ``ApiCall``; ``None`` for requests that are not AWS API calls (``/moto-api/...``)."""
    raw_headers = entry.get("headers")
    headers = {str(k): str(v) for k, v in raw_headers.items()} if isinstance(raw_headers, dict) else {}
    scope = _SCOPE.search(_header(headers, "Authorization"))
    if scope is None:
        return None
    url = str(entry.get("url") or "")
    split = urlsplit(url)
    action = ""
    params: tuple[tuple[str, str], ...] = ()
    target = _header(headers, "X-Amz-Target")
    if target:
        action = target.rsplit(".", 1)[-1]
    else:
        params = tuple(parse_qsl(_body_text(entry), keep_blank_values=True))
        for source in (_body_text(entry), split.query):
            values = parse_qs(source).get("Action")
            if values:
                action = values[0]
                break
    if not action:
        action = f"{entry.get('method', 'GET')} {split.path or '/'}"
    return ApiCall(
        service=scope["service"],
        action=action,
        region=scope["region"],
        from_harness=HARNESS_USER_AGENT in _header(headers, "User-Agent"),
        params=params,
    )


def parse_recording(text: str) -> list[ApiCall]:
    """All AWS API calls in a recording, in the order moto received them."""
    calls = []
    for line in text.splitlines():
        if not line.strip():
            continue
        call = parse_entry(json.loads(line))
        if call is not None:
            calls.append(call)
    return calls
