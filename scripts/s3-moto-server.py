"""Runs moto's server for scripts/s3-sandbox, with its signature check reading the request URI as sent.

moto checks a SigV4 signature against the URL that werkzeug rebuilds, which decodes `%2F` in query values (and
other escapes in keys), so a request signed as AWS specifies (`prefix=a%2Fb`) fails there, boto3's included. This
makes moto canonicalise the URI it received, as AWS does; nothing else changes.
"""
import sys
from urllib.parse import urlparse

from moto.core import responses
from moto.server import main

_setup_class = responses.BaseResponse.setup_class


def setup_class(self, request, full_url, headers, *args, **kwargs):
    _setup_class(self, request, full_url, headers, *args, **kwargs)
    environ = getattr(request, "environ", None) or {}
    raw = environ.get("RAW_URI") or environ.get("REQUEST_URI")
    if raw and raw.startswith("/"):
        parsed = urlparse(self.uri)
        self.uri = "%s://%s%s" % (parsed.scheme, parsed.netloc, raw)


responses.BaseResponse.setup_class = setup_class

if __name__ == "__main__":
    main(sys.argv[1:])
