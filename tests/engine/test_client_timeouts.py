"""Timeouts say which wait ran out, with the limit (issue 11: "a hung request times out with a clear message")."""

from __future__ import annotations

import httpx
import pytest

from dtui.engine.client import CONNECT_TIMEOUT, REQUEST_TIMEOUT, EngineClient
from dtui.engine.endpoint import parse_host
from dtui.engine.errors import EngineUnreachable


def _timeout(kind: type[httpx.TimeoutException], **limits: float) -> httpx.TimeoutException:
    request = httpx.Request("GET", "http://docker/containers/json", extensions={"timeout": limits})
    return kind("timed out", request=request)


@pytest.fixture
def client() -> EngineClient:
    return EngineClient(parse_host("tcp://10.0.0.9:2375"))


def test_defaults_are_a_short_connect_and_a_longer_answer() -> None:
    assert CONNECT_TIMEOUT == 5.0 and REQUEST_TIMEOUT == 30.0
    timeout = EngineClient(parse_host("tcp://10.0.0.9:2375"))._timeout
    assert (timeout.connect, timeout.read) == (CONNECT_TIMEOUT, REQUEST_TIMEOUT)


def test_connect_timeout_says_unreachable_with_the_limit(client: EngineClient) -> None:
    error = client._unreachable(_timeout(httpx.ConnectTimeout, connect=5.0, read=30.0))
    assert isinstance(error, EngineUnreachable)
    assert str(error) == "cannot reach the Docker engine at tcp://10.0.0.9:2375: connecting timed out after 5 s"


def test_read_timeout_says_the_engine_did_not_answer(client: EngineClient) -> None:
    error = client._unreachable(_timeout(httpx.ReadTimeout, connect=5.0, read=30.0))
    assert str(error) == (
        "the Docker engine at tcp://10.0.0.9:2375 did not answer within 30 s (request timed out); "
        "it may be overloaded or hung"
    )


def test_timeout_without_a_request_falls_back_to_the_client_limits(client: EngineClient) -> None:
    error = client._unreachable(httpx.ReadTimeout("timed out"))
    assert "did not answer within 30 s" in str(error)
