"""TLS for ``tcp://`` engines: the docker CLI's flags and variables as an ``ssl.SSLContext``.

The docker CLI rules: ``--tlsverify`` (or a non-empty ``DOCKER_TLS_VERIFY``) turns TLS on and
checks the engine's certificate; ``--tls``, a non-empty ``DOCKER_TLS`` or a ``DOCKER_CERT_PATH``
alone turn TLS on *without* checking it. Certificate files default to ``ca.pem``, ``cert.pem``
and ``key.pem`` in ``DOCKER_CERT_PATH`` (else the docker config directory), used only when they
exist; a file named explicitly by a flag must exist.

httpx 0.28 deprecates ``cert=`` and string ``verify=``, so everything goes into one context.
"""

from __future__ import annotations

import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

CA_FILE = "ca.pem"
CERT_FILE = "cert.pem"
KEY_FILE = "key.pem"


class TlsError(ValueError):
    """The TLS settings cannot be turned into a working context (missing or bad files)."""


@dataclass(frozen=True, slots=True)
class TlsFlags:
    """The TLS command-line flags, as given (None/False when absent).

    Attributes:
        tls: ``--tls``: use TLS.
        verify: ``--tlsverify``: use TLS and check the engine's certificate.
        ca_cert: ``--tlscacert``: the CA that signed the engine's certificate.
        cert: ``--tlscert``: the client certificate.
        key: ``--tlskey``: the client certificate's key.
    """

    tls: bool = False
    verify: bool = False
    ca_cert: str | None = None
    cert: str | None = None
    key: str | None = None

    @property
    def given(self) -> bool:
        """True when any TLS flag was used on the command line."""
        return self.tls or self.verify or any((self.ca_cert, self.cert, self.key))


@dataclass(frozen=True, slots=True)
class TlsSettings:
    """How to speak TLS to one engine.

    Attributes:
        verify: Check the engine's certificate and host name.
        ca_cert: CA file to check it against (None: the system's CAs).
        cert: Client certificate file, if any.
        key: Client key file (None: the key is inside ``cert``).
    """

    verify: bool
    ca_cert: str | None = None
    cert: str | None = None
    key: str | None = None

    def ssl_context(self) -> ssl.SSLContext:
        """Build the client-side SSL context.

        Raises:
            TlsError: When a file is missing or unreadable, or a key does not match.
        """
        try:
            if self.verify:
                context = ssl.create_default_context(cafile=self.ca_cert)
            else:
                context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
                context.check_hostname = False
                context.verify_mode = ssl.CERT_NONE
            context.minimum_version = ssl.TLSVersion.TLSv1_2
            if self.cert:
                context.load_cert_chain(self.cert, self.key)
        except (OSError, ssl.SSLError) as error:
            raise TlsError(f"TLS files unusable ({self._files_text()}): {error}") from error
        return context

    def _files_text(self) -> str:
        labelled = (("CA", self.ca_cert), ("cert", self.cert), ("key", self.key))
        named = [f"{label} {path}" for label, path in labelled if path]
        return ", ".join(named) or "no files"


def default_cert_dir(environ: Mapping[str, str], config_dir: Path | None) -> Path | None:
    """``DOCKER_CERT_PATH``, else the docker config directory (``~/.docker``)."""
    cert_path = environ.get("DOCKER_CERT_PATH", "")
    if cert_path:
        return Path(cert_path).expanduser()
    return config_dir


def _pick_file(explicit: str | None, directory: Path | None, name: str, flag: str) -> str | None:
    if explicit:
        path = Path(explicit).expanduser()
        if not path.is_file():
            raise TlsError(f"{flag} {explicit}: no such file")
        return str(path)
    if directory is not None and (directory / name).is_file():
        return str(directory / name)
    return None


def tls_settings(flags: TlsFlags, environ: Mapping[str, str], config_dir: Path | None) -> TlsSettings | None:
    """Resolve TLS from the flags and the environment, as the docker CLI does.

    Args:
        flags: The command-line TLS flags.
        environ: Environment (``DOCKER_TLS_VERIFY``, ``DOCKER_TLS``, ``DOCKER_CERT_PATH``).
        config_dir: The docker config directory, the last place certificate files are looked for.

    Returns:
        The settings, or None when TLS is off.

    Raises:
        TlsError: When a file named by a flag does not exist.
    """
    verify = flags.verify or bool(environ.get("DOCKER_TLS_VERIFY"))
    enabled = verify or flags.given or bool(environ.get("DOCKER_TLS")) or bool(environ.get("DOCKER_CERT_PATH"))
    if not enabled:
        return None
    directory = default_cert_dir(environ, config_dir)
    return TlsSettings(
        verify=verify,
        ca_cert=_pick_file(flags.ca_cert, directory, CA_FILE, "--tlscacert"),
        cert=_pick_file(flags.cert, directory, CERT_FILE, "--tlscert"),
        key=_pick_file(flags.key, directory, KEY_FILE, "--tlskey"),
    )


def _existing(path: Path) -> str | None:
    return str(path) if path.is_file() else None


def tls_settings_from_dir(directory: Path, skip_verify: bool) -> TlsSettings | None:
    """TLS for a Docker context: its stored files, or None when it has none and verifies.

    Args:
        directory: ``contexts/tls/<hash>/docker`` (may not exist).
        skip_verify: The context's ``SkipTLSVerify``.
    """
    found = {name: _existing(directory / name) for name in (CA_FILE, CERT_FILE, KEY_FILE)}
    if not skip_verify and not any(found.values()):
        return None
    return TlsSettings(verify=not skip_verify, ca_cert=found[CA_FILE], cert=found[CERT_FILE], key=found[KEY_FILE])
