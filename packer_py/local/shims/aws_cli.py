"""packer-py local mode: the ``aws`` command inside a local instance, pointed at the embedded moto endpoint.

Run by the ``aws`` shim with the host's interpreter (standard library only, plus botocore for the generic
``aws SERVICE OPERATION --param value`` form). ``aws s3`` is done with plain path-style HTTP, as moto's server
does not check signatures: ``cp`` (both directions, ``--recursive``), ``ls``, ``mb``, ``rb``, ``rm``. An object a
provisioner downloads that does not exist in the embedded S3 is created as a placeholder first, and the shim says so:
the real bucket is in an AWS account local mode does not use.

Settings come from the environment the shim script sets: ``PACKER_PY_LOCAL_ENDPOINT`` and ``AWS_DEFAULT_REGION``.
"""

from __future__ import annotations

import json
import os
import sys
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET

ENDPOINT = os.environ.get("PACKER_PY_LOCAL_ENDPOINT", "")
PREFIX = "[packer-py local]"


class CliError(Exception):
    pass


def _url(bucket: str, key: str = "", query: dict[str, str] | None = None) -> str:
    path = "/" + urllib.parse.quote(bucket)
    if key:
        path += "/" + urllib.parse.quote(key)
    url = ENDPOINT.rstrip("/") + path
    if query:
        url += "?" + urllib.parse.urlencode(query)
    return url


def _request(method: str, url: str, data: bytes | None = None) -> bytes:
    # moto routes a request by its signature's credential scope; it does not check the signature itself
    region = os.environ.get("AWS_DEFAULT_REGION") or "us-east-1"
    scope = f"packer-py-local/20200101/{region}/s3/aws4_request"
    auth = f"AWS4-HMAC-SHA256 Credential={scope}, SignedHeaders=host, Signature=0"
    headers = {"Authorization": auth, "Content-Type": "application/octet-stream"}
    req = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=60) as resp:
            body: bytes = resp.read()
            return body
    except urllib.error.HTTPError as exc:
        raise CliError(f"{method} {url}: HTTP {exc.code} {_s3_error(exc.read())}") from exc


def _s3_error(body: bytes) -> str:
    try:
        root = ET.fromstring(body)
    except ET.ParseError:
        return ""
    return " ".join(t.text or "" for t in root.iter() if t.tag.endswith(("Code", "Message")))


def _exists(bucket: str, key: str) -> bool:
    try:
        _request("HEAD", _url(bucket, key))
        return True
    except CliError:
        return False


def _split(uri: str) -> tuple[str, str]:
    rest = uri[len("s3://") :]
    bucket, _, key = rest.partition("/")
    return bucket, key


def _list(bucket: str, prefix: str, delimiter: str = "") -> tuple[list[tuple[str, int, str]], list[str]]:
    objects: list[tuple[str, int, str]] = []
    prefixes: list[str] = []
    token = ""
    while True:
        query = {"list-type": "2", "prefix": prefix}
        if delimiter:
            query["delimiter"] = delimiter
        if token:
            query["continuation-token"] = token
        root = ET.fromstring(_request("GET", _url(bucket, query=query)))
        ns = root.tag[: root.tag.index("}") + 1] if root.tag.startswith("{") else ""
        for c in root.findall(f"{ns}Contents"):
            objects.append(
                (c.findtext(f"{ns}Key") or "", int(c.findtext(f"{ns}Size") or 0), c.findtext(f"{ns}LastModified") or "")
            )
        prefixes += [p.findtext(f"{ns}Prefix") or "" for p in root.findall(f"{ns}CommonPrefixes")]
        token = root.findtext(f"{ns}NextContinuationToken") or ""
        if not token:
            return objects, prefixes


def _make_bucket(bucket: str) -> None:
    region = os.environ.get("AWS_DEFAULT_REGION") or "us-east-1"
    body = None
    if region != "us-east-1":
        body = (
            '<CreateBucketConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">'
            f"<LocationConstraint>{region}</LocationConstraint></CreateBucketConfiguration>"
        ).encode()
    _request("PUT", _url(bucket), body)


def _placeholder(bucket: str, key: str) -> None:
    text = f"Placeholder for s3://{bucket}/{key}, created by packer-py local mode (no real S3 here).\n"
    body = (
        f"<!DOCTYPE html>\n<html><body><p>{text.strip()}</p></body></html>\n"
        if key.endswith((".html", ".htm"))
        else text
    )
    try:
        _make_bucket(bucket)
    except CliError:
        pass  # it exists already
    _request("PUT", _url(bucket, key), body.encode())
    print(f"{PREFIX} s3://{bucket}/{key} is not in the embedded S3: created a placeholder object", flush=True)


def _download(bucket: str, key: str, dest: str, quiet: bool) -> None:
    if dest.endswith("/") or os.path.isdir(dest):
        dest = os.path.join(dest, os.path.basename(key))
    parent = os.path.dirname(dest)
    if parent:
        os.makedirs(parent, exist_ok=True)
    data = _request("GET", _url(bucket, key))
    with open(dest, "wb") as f:
        f.write(data)
    if not quiet:
        print(f"download: s3://{bucket}/{key} to {dest}", flush=True)


def _upload(src: str, bucket: str, key: str, quiet: bool) -> None:
    if not key or key.endswith("/"):
        key += os.path.basename(src)
    with open(src, "rb") as f:
        _request("PUT", _url(bucket, key), f.read())
    if not quiet:
        print(f"upload: {src} to s3://{bucket}/{key}", flush=True)


def s3(args: list[str]) -> int:
    if not args:
        raise CliError("usage: aws s3 <cp|ls|mb|rb|rm> ...")
    cmd, rest = args[0], args[1:]
    flags = {a for a in rest if a.startswith("--")}
    paths = [a for a in rest if not a.startswith("--")]
    quiet = "--quiet" in flags or "--only-show-errors" in flags
    recursive = "--recursive" in flags
    if cmd == "cp" and len(paths) == 2:
        src, dst = paths
        if src.startswith("s3://") and not dst.startswith("s3://"):
            bucket, key = _split(src)
            if recursive:
                for k, _, _ in _list(bucket, key)[0]:
                    _download(bucket, k, os.path.join(dst, os.path.relpath(k, key or ".")), quiet)
                return 0
            if not _exists(bucket, key):
                _placeholder(bucket, key)
            _download(bucket, key, dst, quiet)
            return 0
        if dst.startswith("s3://") and not src.startswith("s3://"):
            bucket, key = _split(dst)
            if recursive:
                for root, _, files in os.walk(src):
                    for name in files:
                        full = os.path.join(root, name)
                        _upload(full, bucket, key.rstrip("/") + "/" + os.path.relpath(full, src), quiet)
                return 0
            _upload(src, bucket, key, quiet)
            return 0
        sb, sk = _split(src)
        db, dk = _split(dst)
        _request("PUT", _url(db, dk or sk), _request("GET", _url(sb, sk)))
        if not quiet:
            print(f"copy: {src} to {dst}", flush=True)
        return 0
    if cmd == "ls":
        if not paths:
            listing = ET.fromstring(_request("GET", ENDPOINT.rstrip("/") + "/"))
            for b in listing.iter():
                if b.tag.endswith("Name"):
                    print(f"2000-01-01 00:00:00 {b.text}")
            return 0
        bucket, key = _split(paths[0])
        objects, prefixes = _list(bucket, key, "" if recursive else "/")
        for p in prefixes:
            print(f"{'PRE':>30} {p[len(key) :] if not recursive else p}")
        for k, size, modified in objects:
            print(f"{modified[:10]} {modified[11:19]} {size:>10} {k if recursive else k[len(key) :]}")
        return 0
    if cmd == "mb" and paths:
        bucket, _ = _split(paths[0])
        _make_bucket(bucket)
        print(f"make_bucket: {bucket}")
        return 0
    if cmd == "rb" and paths:
        bucket, _ = _split(paths[0])
        if "--force" in flags:
            for k, _, _ in _list(bucket, "")[0]:
                _request("DELETE", _url(bucket, k))
        _request("DELETE", _url(bucket))
        print(f"remove_bucket: {bucket}")
        return 0
    if cmd == "rm" and paths:
        bucket, key = _split(paths[0])
        keys = [k for k, _, _ in _list(bucket, key)[0]] if recursive else [key]
        for k in keys:
            _request("DELETE", _url(bucket, k))
            if not quiet:
                print(f"delete: s3://{bucket}/{k}")
        return 0
    raise CliError(f"aws s3 {' '.join(args)}: not supported by packer-py local mode's aws shim")


def _pascal(option: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in option.split("-"))


def generic(service: str, operation: str, args: list[str], region: str) -> int:
    """``aws SERVICE OPERATION --param value ...``: parameters mapped onto the operation's input shape."""
    import botocore.session  # type: ignore[import-untyped]

    session = botocore.session.get_session()
    client = session.create_client(
        service,
        region_name=region,
        endpoint_url=ENDPOINT,
        aws_access_key_id="packer-py-local",
        aws_secret_access_key="packer-py-local-secret",
    )
    op_name = _pascal(operation)
    model = client.meta.service_model.operation_model(op_name)
    members = model.input_shape.members if model.input_shape is not None else {}
    params: dict[str, object] = {}
    i = 0
    while i < len(args):
        arg = args[i]
        if not arg.startswith("--"):
            raise CliError(f"unexpected argument {arg!r}")
        name, _, inline = arg[2:].partition("=")
        negated = name.startswith("no-") and _pascal(name[3:]) in members
        key = _pascal(name[3:] if negated else name)
        shape = members.get(key)
        if shape is None:
            raise CliError(f"Unknown options: {arg}")
        values: list[str] = [inline] if inline else []
        i += 1
        while not inline and i < len(args) and not args[i].startswith("--"):
            values.append(args[i])
            i += 1
        params[key] = _convert(shape, values, negated)
    result = getattr(client, _snake(op_name))(**params)
    result.pop("ResponseMetadata", None)
    if result:
        print(json.dumps(result, indent=4, default=str))
    return 0


def _snake(name: str) -> str:
    out = ""
    for i, ch in enumerate(name):
        if ch.isupper() and i and (not name[i - 1].isupper() or (i + 1 < len(name) and name[i + 1].islower())):
            out += "_"
        out += ch.lower()
    return out


def _convert(shape: object, values: list[str], negated: bool) -> object:
    type_name = getattr(shape, "type_name", "string")
    if type_name == "boolean":
        return not negated if not values else values[0].lower() == "true"
    if type_name == "list":
        member = getattr(shape, "member", None)
        if len(values) == 1 and values[0].startswith("["):
            return json.loads(values[0])
        return [_convert(member, [v], False) for v in values]
    if type_name in ("structure", "map"):
        return json.loads(" ".join(values))
    if type_name in ("integer", "long"):
        return int(values[0])
    if type_name in ("float", "double"):
        return float(values[0])
    if type_name == "blob":
        return values[0].encode()
    return values[0] if values else ""


def main(argv: list[str]) -> int:
    region = os.environ.get("AWS_DEFAULT_REGION") or os.environ.get("AWS_REGION") or "us-east-1"
    args: list[str] = []
    it = iter(argv)
    for arg in it:
        if arg in ("--region", "--profile", "--output", "--endpoint-url", "--cli-read-timeout", "--query", "--color"):
            value = next(it, "")
            if arg == "--region":
                region = value
            continue
        if arg.startswith("--region="):
            region = arg.split("=", 1)[1]
            continue
        if arg in ("--no-sign-request", "--no-verify-ssl", "--no-paginate", "--debug", "--no-cli-pager"):
            continue
        args.append(arg)
    if not args or args[0] in ("help", "--version"):
        print("aws-cli (packer-py local mode shim; embedded endpoint " + ENDPOINT + ")")
        return 0
    try:
        if args[0] == "s3":
            return s3(args[1:])
        if len(args) < 2:
            raise CliError(f"usage: aws {args[0]} OPERATION [--param value ...]")
        return generic(args[0], args[1], args[2:], region)
    except CliError as exc:
        print(f"{PREFIX} aws: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"{PREFIX} aws: {exc}", file=sys.stderr)
        return 1
    except Exception as exc:  # botocore's errors, reported like the CLI does
        print(f"\nAn error occurred: {exc}", file=sys.stderr)
        return 254


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
