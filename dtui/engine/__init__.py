"""The engine layer: HTTP to the Docker Engine API (no Textual, no Rich).

httpcore (under httpx) imports trio whenever trio is installed, only so it can run under a
trio event loop. dtui runs on asyncio alone, and trio (which test tools such as selenium
bring along) costs tens of milliseconds at every start, so httpcore is loaded here with
trio hidden: it then takes its asyncio path only. trio itself stays importable afterwards.
"""

import sys

if "httpcore" not in sys.modules and "trio" not in sys.modules:
    sys.modules["trio"] = None  # type: ignore[assignment]  # `import trio` raises ImportError
    try:
        import httpcore  # noqa: F401
    finally:
        del sys.modules["trio"]
