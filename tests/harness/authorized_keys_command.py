"""sshd ``AuthorizedKeysCommand`` for the test sshd: print the public keys of the EC2 key pairs moto holds.

    AuthorizedKeysCommand /usr/bin/python3 -I -S <this file> <moto endpoint> <regions file>

This is how the key pair a build creates through the EC2 API (``CreateKeyPair`` or ``ImportKeyPair``) becomes the
key that logs in, as cloud-init does on a real instance. sshd runs it on every login attempt, so it is plain
standard-library HTTP (``DescribeKeyPairs`` with ``IncludePublicKey=true``), never a boto3 import (0.7 s).

Which regions: those listed in the regions file (one per line), plus every region in which the moto recording shows
a ``CreateKeyPair`` or ``ImportKeyPair`` call. Asking all of moto's 30-odd regions would force moto to build each
region's default VPC and AMI catalogue on the first login after a reset (about 1.5 s).

What moto (5.x) returns, checked by tests/harness/test_harness.py: ``DescribeKeyPairs`` with
``IncludePublicKey=true`` gives the OpenSSH public key line for key pairs made by ``CreateKeyPair`` (RSA, the default,
and ``KeyType=ed25519``) and by ``ImportKeyPair`` (the imported line, comment included); like EC2, moto refuses to
import an ECDSA key. So no other source of public keys is needed.

moto does not check signatures, so the request carries a syntactically valid SigV4 ``Authorization`` header whose
credential scope selects the region. The User-Agent marks the call as the harness's own, so it is left out of the
API calls a test asserts on. Runs under any Python 3 (``-S``: no site-packages needed); on any failure it prints
nothing, and sshd refuses the key.
"""

import base64
import html
import http.client
import json
import re
import sys
import threading
from urllib.parse import urlsplit

USER_AGENT = "packer-py-harness authorized-keys-command"
TIMEOUT = 10.0


def _request(host, port, method, path, body, headers):
    conn = http.client.HTTPConnection(host, port, timeout=TIMEOUT)
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    finally:
        conn.close()


def regions_with_key_pairs(host, port):
    """Regions where the recording shows a key pair being created or imported."""
    try:
        status, text = _request(host, port, "GET", "/moto-api/recorder/download-recording", None, {})
    except (OSError, http.client.HTTPException):
        return set()
    if status != 200:
        return set()
    found = set()
    for line in text.splitlines():
        try:
            entry = json.loads(line)
            body = entry.get("body") or ""
            if entry.get("body_encoded"):
                body = base64.b64decode(body).decode("utf-8", "replace")
            authorization = str((entry.get("headers") or {}).get("Authorization", ""))
        except (ValueError, TypeError, AttributeError):
            continue
        if "Action=CreateKeyPair" not in body and "Action=ImportKeyPair" not in body:
            continue
        scope = re.search(r"Credential=[^/]+/\d{8}/([a-z0-9-]+)/ec2/aws4_request", authorization)
        if scope:
            found.add(scope.group(1))
    return found


def public_keys(host, port, region, out, lock):
    headers = {
        "Content-Type": "application/x-www-form-urlencoded; charset=utf-8",
        "User-Agent": USER_AGENT,
        "X-Amz-Date": "20200101T000000Z",
        "Authorization": (
            f"AWS4-HMAC-SHA256 Credential=testing/20200101/{region}/ec2/aws4_request, "
            "SignedHeaders=content-type;host;x-amz-date, Signature=0"
        ),
    }
    body = "Action=DescribeKeyPairs&Version=2016-11-15&IncludePublicKey=true"
    try:
        status, text = _request(host, port, "POST", "/", body, headers)
    except (OSError, http.client.HTTPException):
        return
    if status != 200:
        return
    keys = [html.unescape(k).strip() for k in re.findall(r"<publicKey>([^<]*)</publicKey>", text)]
    with lock:
        out.extend(k for k in keys if k)


def main(argv):
    if len(argv) < 3:
        return 0
    endpoint = urlsplit(argv[1])
    host, port = endpoint.hostname or "127.0.0.1", endpoint.port or 80
    regions = set()
    try:
        with open(argv[2], encoding="utf-8") as handle:
            regions.update(line.strip() for line in handle if line.strip())
    except OSError:
        pass
    regions.update(regions_with_key_pairs(host, port))
    keys, lock = [], threading.Lock()
    threads = [threading.Thread(target=public_keys, args=(host, port, r, keys, lock)) for r in sorted(regions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seen = set()
    for key in keys:
        if key not in seen:
            seen.add(key)
            sys.stdout.write(key + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
