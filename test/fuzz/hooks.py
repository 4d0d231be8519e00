"""Schemathesis extensions for pdx's API (loaded through `hooks` in schemathesis.toml)."""

import json

import schemathesis


@schemathesis.serializer("application/jose")
def compact_jws(ctx, value):
    # Declarations and attestations are compact JWS (RFC 7515 §7.1): text sent as it is.
    if isinstance(value, bytes):
        return value
    if isinstance(value, str):
        return value.encode("utf-8")
    return json.dumps(value).encode("utf-8")
