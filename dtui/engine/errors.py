"""One error hierarchy for every Engine API failure.

Each error carries the HTTP status (when there was a response) and the daemon's own
message, so the UI can show exactly what the engine said.
"""

from __future__ import annotations


class EngineError(Exception):
    """Base of every error the engine layer raises.

    Attributes:
        status: HTTP status code, or None when no response was received.
        message: The daemon's own message (or a description of the failure).
    """

    title = "Engine error"

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.status = status

    def __str__(self) -> str:
        return self.message


class NotModified(EngineError):
    """304: the container already was in the requested state."""

    title = "Nothing to do"


class BadRequest(EngineError):
    """400: the daemon rejected the parameters."""

    title = "Bad request"


class Forbidden(EngineError):
    """403: the engine refuses the operation (e.g. removing a network containers use)."""

    title = "Refused"


class NotFound(EngineError):
    """404: no such container, image or endpoint."""

    title = "Not found"


class Conflict(EngineError):
    """409: the request conflicts with the object's state."""

    title = "Conflict"


class ServerError(EngineError):
    """5xx: the daemon failed to carry out the request."""

    title = "Engine failure"


class NotInSwarm(ServerError):
    """503: the engine is not a member of a swarm (``docker swarm init`` makes one)."""

    title = "Not in a swarm"


class NotSwarmManager(ServerError):
    """503: the engine is a swarm worker; only managers list or change services and nodes."""

    title = "Not a swarm manager"


class UpdateOutOfSequence(ServerError):
    """500 ``update out of sequence``: the object changed since it was read (re-read, retry)."""

    title = "Changed meanwhile"


class EngineUnreachable(EngineError):
    """No HTTP answer at all: refused, missing socket, timeout, dropped link."""

    title = "Engine unreachable"


class StreamError(EngineError):
    """The daemon reported an error inside an already-started stream (log frame type 3)."""

    title = "Stream error"


_BY_STATUS: dict[int, type[EngineError]] = {
    304: NotModified,
    400: BadRequest,
    403: Forbidden,
    404: NotFound,
    409: Conflict,
}


def _swarm_error(status: int, message: str) -> type[EngineError] | None:
    """The swarm errors the engine reports as a plain 500/503, told apart by their text."""
    text = message.lower()
    if status == 500 and "update out of sequence" in text:
        return UpdateOutOfSequence
    if status != 503:
        return None
    if "worker nodes" in text:
        return NotSwarmManager
    if "not a swarm manager" in text or "not part of a swarm" in text:
        return NotInSwarm
    return None


# Podman answers 500 where Docker says 409 or 400; its message (or ``cause``) tells which.
_PODMAN_500: tuple[tuple[str, type[EngineError]], ...] = (
    ("is already in use", Conflict),
    ("container state improper", Conflict),
    ("can only kill running containers", Conflict),
    ("cannot remove container", Conflict),
    ("is running or paused", Conflict),
    ("is not running", Conflict),
    ("is not paused", Conflict),
    ("is already paused", Conflict),
    ("is being used", Conflict),
    ("is in use", Conflict),
    ("invalid signal", BadRequest),
    ("invalid container name", BadRequest),
    ("names must match", BadRequest),
    ("invalid filter", BadRequest),
    ("is an invalid filter", BadRequest),
    ("failed to parse filter", BadRequest),
)


def _podman_class(message: str) -> type[EngineError] | None:
    lowered = message.lower()
    for needle, cls in _PODMAN_500:
        if needle in lowered:
            return cls
    return None


def error_for_status(status: int, message: str) -> EngineError:
    """Build the error matching an HTTP status.

    A 500 whose message is one Podman sends where Docker would say 409 or 400 (name in use,
    kill of a stopped container, invalid signal...) becomes that Conflict or BadRequest.

    Args:
        status: The HTTP status code of the response.
        message: The daemon's message (already extracted from JSON or text).

    Returns:
        An instance of the most specific EngineError subclass.
    """
    cls = _swarm_error(status, message) or (_podman_class(message) if status == 500 else None)
    cls = cls or _BY_STATUS.get(status)
    if cls is None:
        cls = ServerError if status >= 500 else EngineError
    return cls(message or f"HTTP {status}", status=status)
