"""The address a browser opens (shared by the command and the server)."""

from __future__ import annotations


def url_of(address: str, port: int, token: str) -> str:
    """The address to open in a browser (the token is its first path segment)."""
    host = f"[{address}]" if ":" in address and not address.startswith("[") else address
    return f"http://{host}:{port}/{token}/"
