#!/usr/bin/env python3
"""Writes sigv4-vectors.json: S3 SigV4 signatures computed by botocore (an independent implementation).

Run: python3 Tests/ObjectStorageTests/Vectors/make-sigv4-vectors.py > Tests/ObjectStorageTests/Vectors/sigv4-vectors.json
The first vector is the GET example of AWS's S3 documentation (its published signature is f0e8bdb8…).
"""
import datetime, hashlib, json
from unittest import mock
import botocore
from botocore.auth import S3SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

EMPTY = hashlib.sha256(b"").hexdigest()
cases = [
    dict(name="aws-doc-get-object-range", method="GET", url="https://examplebucket.s3.amazonaws.com/test.txt",
         headers={"Range": "bytes=0-9"}, body=b"", region="us-east-1", time="20130524T000000Z",
         key="AKIAIOSFODNN7EXAMPLE", secret="wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", token=None),
    dict(name="put-with-body-and-meta", method="PUT", url="http://127.0.0.1:9000/rewind-test/archive/mysql-bin.000001",
         headers={"Content-Type": "application/octet-stream", "x-amz-meta-sha256": "abc", "If-None-Match": "*"},
         body=b"\xfebin\x00\x01 some bytes", region="eu-west-1", time="20261130T101112Z",
         key="AKIDEXAMPLE", secret="wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", token=None),
    dict(name="list-v2-with-query-to-encode", method="GET",
         url="http://127.0.0.1:5000/bucket?list-type=2&prefix=a%20b%2Fc%3D&max-keys=1000&continuation-token=x%2By%3D%3D",
         headers={}, body=b"", region="us-east-1", time="20261130T000001Z",
         key="AKIDEXAMPLE", secret="secret/with+chars", token=None),
    dict(name="session-token-and-unicode-key", method="GET",
         url="https://b.s3.us-west-2.amazonaws.com/dir/caf%C3%A9%20%2B%20%28x%29.bin",
         headers={}, body=b"", region="us-west-2", time="20261130T235959Z",
         key="ASIAEXAMPLE", secret="s3cr3t", token="FQoGZXIvYXdzEXAMPLETOKEN//+=="),
    dict(name="multipart-upload-part", method="PUT",
         url="http://localhost:9000/bucket/seg/000001?partNumber=3&uploadId=VXBsb2FkIElE", headers={},
         body=bytes(range(256)) * 4, region="us-east-1", time="20260101T120000Z",
         key="AKIDEXAMPLE", secret="wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", token=None),
]
out = []
for c in cases:
    req = AWSRequest(method=c["method"], url=c["url"], headers=dict(c["headers"]), data=c["body"])
    req.context["payload_signing_enabled"] = True
    creds = Credentials(c["key"], c["secret"], c["token"])
    t = datetime.datetime.strptime(c["time"], "%Y%m%dT%H%M%SZ")
    with mock.patch("botocore.auth.get_current_datetime", return_value=t):
        S3SigV4Auth(creds, "s3", c["region"]).add_auth(req)
    out.append(dict(name=c["name"], method=c["method"], url=c["url"], headers=c["headers"],
                    body_hex=c["body"].hex(), region=c["region"], time=c["time"], access_key=c["key"],
                    secret_key=c["secret"], session_token=c["token"],
                    payload_hash=req.headers["X-Amz-Content-SHA256"], authorization=req.headers["Authorization"]))
print(json.dumps({"generator": "botocore %s S3SigV4Auth" % botocore.__version__, "vectors": out}, indent=1))
