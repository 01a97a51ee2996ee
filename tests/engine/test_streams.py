"""Incremental decoders: log frames, lines, timestamps and JSON lines, cut anywhere."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from dtui.engine.errors import StreamError
from dtui.engine.streams import (
    FrameDecoder,
    LineSplitter,
    LogDecoder,
    LogLine,
    iter_json_lines,
    iter_log_batches,
    iter_log_lines,
    parse_rfc3339,
    split_timestamp,
)

UTC = timezone.utc
TS = "2026-11-28T01:00:24.224915264Z"
TS_DT = datetime(2026, 11, 28, 1, 0, 24, 224915, tzinfo=UTC)


def frame(kind: int, payload: bytes) -> bytes:
    """Encode one multiplexed frame the way the daemon does."""
    return bytes([kind, 0, 0, 0]) + len(payload).to_bytes(4, "big") + payload


def out(text: str, stamp: datetime | None = None) -> LogLine:
    return LogLine(text, "stdout", stamp)


def err(text: str, stamp: datetime | None = None) -> LogLine:
    return LogLine(text, "stderr", stamp)


def decode(chunks: Iterable[bytes], tty: bool = False, timestamps: bool = False) -> list[LogLine]:
    decoder = LogDecoder(tty, timestamps)
    lines: list[LogLine] = []
    for chunk in chunks:
        lines.extend(decoder.feed(chunk))
    lines.extend(decoder.flush())
    return lines


def cuts(data: bytes, at: int) -> list[bytes]:
    return [data[:at], data[at:]]


def bytewise(data: bytes) -> list[bytes]:
    return [data[i : i + 1] for i in range(len(data))]


async def agen(chunks: Iterable[bytes]) -> AsyncIterator[bytes]:
    for chunk in chunks:
        yield chunk


# A body mixing every feature except the long line; small enough to cut everywhere.
MIXED = b"".join(
    [
        frame(1, b"hello\n"),
        frame(2, b"warn: disk at 91%\n"),
        frame(1, b"caf\xc3"),  # "é" cut between two stdout frames...
        frame(2, b"stderr in between\n"),
        frame(1, b"\xa9 \xe2\x82"),  # ...and "€" too
        frame(1, b"\xac\n"),
        frame(1, b"dos line\r\n"),
        frame(2, b"progress 10%\rprogress 55%\rprogress 100%\n"),
        frame(1, b"bad \xff\xfe byte\n"),
        frame(0, b"from stdin\n"),
        frame(1, b"\n"),
        frame(2, b"bye"),  # last line without newline
    ]
)
MIXED_LINES = [
    out("hello"),
    err("warn: disk at 91%"),
    err("stderr in between"),
    out("café €"),
    out("dos line"),
    err("progress 100%"),
    out("bad \ufffd\ufffd byte"),
    out("from stdin"),
    out(""),
    err("bye"),
]


def test_mixed_body_in_one_chunk() -> None:
    assert decode([MIXED]) == MIXED_LINES


@pytest.mark.parametrize("at", range(len(MIXED) + 1))
def test_mixed_body_cut_at_every_offset(at: int) -> None:
    assert decode(cuts(MIXED, at)) == MIXED_LINES


def test_mixed_body_cut_twice_everywhere() -> None:
    for first in range(0, len(MIXED) + 1, 3):
        for second in range(first, len(MIXED) + 1):
            chunks = [MIXED[:first], MIXED[first:second], MIXED[second:]]
            assert decode(chunks) == MIXED_LINES, (first, second)


def test_mixed_body_byte_by_byte() -> None:
    assert decode(bytewise(MIXED)) == MIXED_LINES


LONG = (b"0123456789" * 4000)[:39999] + b"X"  # 40 000 bytes, no newline inside
LONG_BODY = b"".join(
    [
        frame(1, LONG[:16384]),
        frame(2, b"interleaved 1\n"),
        frame(1, LONG[16384:32768]),
        frame(2, b"interleaved 2\n"),
        frame(1, LONG[32768:] + b"\n"),  # 7232 + 1 bytes
        frame(1, b"after\n"),
    ]
)
LONG_LINES = [err("interleaved 1"), err("interleaved 2"), out(LONG.decode()), out("after")]


def test_long_line_rebuilt_from_16k_frames_cut_at_every_offset() -> None:
    for at in range(len(LONG_BODY) + 1):
        lines = decode(cuts(LONG_BODY, at))
        assert lines == LONG_LINES, at
    assert len(LONG_LINES[2].text) == 40000


def test_long_line_byte_by_byte() -> None:
    assert decode(bytewise(LONG_BODY)) == LONG_LINES


def test_error_frame_raises_after_lines_before_it() -> None:
    decoder = LogDecoder(tty=False)
    body = frame(1, b"before\n") + frame(1, b"partial") + frame(3, b"Error grabbing logs: boom\n")

    assert decoder.feed(body) == [out("before"), out("partial")]
    assert decoder.error is not None
    assert decoder.error.message == "Error grabbing logs: boom"
    with pytest.raises(StreamError, match="^Error grabbing logs: boom$"):
        decoder.feed(frame(1, b"more\n"))
    with pytest.raises(StreamError, match="boom"):
        decoder.flush()


def test_error_frame_alone_raises_at_once() -> None:
    decoder = LogDecoder(tty=False)
    body = frame(3, b"Error grabbing logs: boom\n")

    assert decoder.feed(body[:20]) == []  # frame still incomplete
    with pytest.raises(StreamError, match="^Error grabbing logs: boom$") as caught:
        decoder.feed(body[20:])
    assert caught.value.status is None


@pytest.mark.asyncio
async def test_iter_log_lines_yields_then_raises() -> None:
    body = frame(2, b"one\n") + frame(1, b"two") + frame(3, b"Error grabbing logs: gone")
    seen: list[LogLine] = []
    with pytest.raises(StreamError, match="gone"):
        async for line in iter_log_lines(agen(cuts(body, 13)), tty=False, timestamps=False):
            seen.append(line)
    assert seen == [err("one"), out("two")]


def test_non_multiplexed_body_is_an_error() -> None:
    with pytest.raises(StreamError, match="not multiplexed"):
        LogDecoder(tty=False).feed(b"plain tty output\r\n")


def test_frame_decoder_returns_good_frames_before_a_bad_header() -> None:
    decoder = FrameDecoder()

    assert decoder.feed(frame(1, b"ok\n") + b"\x01\x00\x07\x00garbage") == [(1, b"ok\n")]
    assert decoder.pending
    with pytest.raises(StreamError, match="01 00 07 00"):
        decoder.feed(b"")


def test_frame_decoder_header_split_and_type_zero() -> None:
    decoder = FrameDecoder()
    body = frame(0, b"in") + frame(2, b"") + frame(1, b"x" * 70000)

    assert decoder.feed(body[:3]) == []
    assert decoder.pending
    assert decoder.feed(body[3:11]) == [(1, b"in")]
    assert decoder.feed(body[11:20]) == [(2, b"")]
    assert decoder.feed(body[20:-1]) == []
    assert decoder.feed(body[-1:]) == [(1, b"x" * 70000)]
    assert not decoder.pending


def test_frame_decoder_flush_returns_truncated_frame() -> None:
    decoder = FrameDecoder()
    decoder.feed(frame(1, b"cut here")[:-4])

    assert decoder.flush() == [(1, b"cut ")]
    assert not decoder.pending
    decoder.feed(b"\x01\x00\x00")
    assert decoder.flush() == []


def test_truncated_body_keeps_what_arrived() -> None:
    body = frame(1, b"whole\n") + frame(1, b"half of a line\n")[:-8]
    assert decode([body]) == [out("whole"), out("half of")]


TTY = b"line one\r\nprog 1%\rprog 50%\rprog 100%\r\ncaf\xc3\xa9 \xff\r\nlast"
TTY_LINES = [out("line one"), out("prog 100%"), out("café \ufffd"), out("last")]


@pytest.mark.parametrize("at", range(len(TTY) + 1))
def test_tty_body_cut_at_every_offset(at: int) -> None:
    assert decode(cuts(TTY, at), tty=True) == TTY_LINES


def test_tty_body_byte_by_byte() -> None:
    assert decode(bytewise(TTY), tty=True) == TTY_LINES


# ------------------------------------------------------------------------- line splitter


def test_cr_at_chunk_end_then_lf_is_one_line_end() -> None:
    splitter = LineSplitter()

    assert splitter.feed(b"abc\r") == []
    assert splitter.pending
    assert splitter.feed(b"\ndef\n") == ["abc", "def"]
    assert not splitter.pending


def test_cr_at_chunk_end_then_text_is_an_overwrite() -> None:
    splitter = LineSplitter()

    assert splitter.feed(b"10%\r") == []
    assert splitter.feed(b"20%\r") == []
    assert splitter.feed(b"100%\n") == ["100%"]


def test_trailing_carriage_returns_do_not_erase() -> None:
    splitter = LineSplitter()

    assert splitter.feed(b"done\r\r") == []
    assert splitter.feed(b"\n") == ["done"]
    assert splitter.feed(b"a\r\rb\r\n") == ["b"]
    assert splitter.feed(b"kept\r") == []
    assert splitter.flush() == ["kept"]


def test_flush_incomplete_utf8_and_reuse() -> None:
    splitter = LineSplitter()

    assert splitter.feed(b"x\n\xe2\x82") == ["x"]
    assert splitter.flush() == ["\ufffd"]
    assert splitter.flush() == []
    assert splitter.feed(b"again\n") == ["again"]


def test_max_line_truncates_partial_and_complete_lines() -> None:
    splitter = LineSplitter(max_line=10)

    for piece in (b"01234", b"56789AB", b"CDEF"):
        assert splitter.feed(piece) == []
    assert splitter.feed(b"GH\nshort\n0123456789tail\n") == ["0123456789", "short", "0123456789"]


def test_overwrite_after_truncation_still_applies() -> None:
    splitter = LineSplitter(max_line=10)

    assert splitter.feed(b"0123456789ABCDEF") == []
    assert splitter.feed(b"XYZ\rnew") == []
    assert splitter.flush() == ["new"]


def test_keep_prefix_survives_overwrite() -> None:
    splitter = LineSplitter(keep_prefix=lambda head: 4 if head.startswith("[t] ") else 0)

    assert splitter.feed(b"[t] 1%\r2%") == []
    assert splitter.feed(b"\r3%\n[t] a\rb\nplain\rc\n") == ["[t] 3%", "[t] b", "c"]


def test_max_line_must_be_positive() -> None:
    with pytest.raises(ValueError):
        LineSplitter(max_line=0)


# ---------------------------------------------------------------------------- timestamps


def test_split_timestamp_nanoseconds_truncated() -> None:
    stamp, rest = split_timestamp(f"{TS} hello world")
    assert stamp == TS_DT
    assert stamp is not None and stamp.utcoffset() == timedelta(0)
    assert rest == "hello world"

    stamp, rest = split_timestamp("2026-11-28T01:00:24.999999999Z x")
    assert stamp == datetime(2026, 11, 28, 1, 0, 24, 999999, tzinfo=UTC)  # not rounded up


@pytest.mark.parametrize(
    ("line", "expected", "rest"),
    [
        ("2026-11-28T01:00:24.5Z short", datetime(2026, 11, 28, 1, 0, 24, 500000, tzinfo=UTC), "short"),
        ("2026-11-28T01:00:24Z none", datetime(2026, 11, 28, 1, 0, 24, tzinfo=UTC), "none"),
        ("2026-11-28T02:00:24.25+01:00 off", datetime(2026, 11, 28, 1, 0, 24, 250000, tzinfo=UTC), "off"),
        (f"{TS}", TS_DT, ""),
        (f"{TS}  two spaces", TS_DT, " two spaces"),
    ],
)
def test_split_timestamp_variants(line: str, expected: datetime, rest: str) -> None:
    assert split_timestamp(line) == (expected, rest)


@pytest.mark.parametrize(
    "line",
    [
        "2026-13-28T01:00:24.224915264Z bad month",
        "2026-11-28T25:00:24.224915264Z bad hour",
        "2026-11-28T01:00:24.224915264Zglued",
        "2026-11-28 01:00:24Z space separator",
        "hello world",
        "",
        "٢٠٢٦-11-28T01:00:24Z non-ascii digits",
        "2026-11-28T01:00:24,224915264Z comma",
        "2026-11-28T01:00:24.22491526aZ letter in fraction",
        "2026-11-28T01:00:24.２２４915264Z wide digits",
        "2026-11-28T01:00:24.224915264+ plus sign",
    ],
)
def test_split_timestamp_malformed_keeps_line(line: str) -> None:
    assert split_timestamp(line) == (None, line)


def test_split_timestamp_fast_path_agrees_with_the_regex() -> None:
    from dtui.engine import streams

    for month, day, hour, fraction in [(1, 1, 0, "000000000"), (2, 28, 23, "999999999"), (12, 31, 12, "000001000")]:
        line = f"2026-{month:02}-{day:02}T{hour:02}:59:59.{fraction}Z text"
        match = streams._LINE_TIMESTAMP.match(line)
        assert match is not None
        assert split_timestamp(line) == (streams._match_to_datetime(match), "text")


def test_parse_rfc3339() -> None:
    assert parse_rfc3339(TS) == TS_DT
    assert parse_rfc3339("0001-01-01T00:00:00Z") == datetime(1, 1, 1, tzinfo=UTC)
    assert parse_rfc3339("yesterday") is None
    assert parse_rfc3339(f"{TS} trailing") is None


STAMPED_LONG = b"".join(
    [
        frame(1, f"{TS} ".encode() + LONG[:16384]),
        frame(2, b"2026-11-28T01:00:24.300000000Z interleaved\n"),
        frame(1, b"2026-11-28T01:00:24.224915999Z " + LONG[16384:32768]),
        frame(1, b"2026-11-28T01:00:24.225000000Z " + LONG[32768:] + b"\n"),
        frame(1, b"2026-11-28T01:00:25.000000000Z progress 1%\rprogress 99%\n"),
        frame(2, b"2026-13-28T01:00:26.000000000Z malformed\n"),
        frame(1, b"2026-11-28T01:00:27.000000000Z no newline"),
    ]
)
STAMPED_LINES = [
    err("interleaved", datetime(2026, 11, 28, 1, 0, 24, 300000, tzinfo=UTC)),
    out(LONG.decode(), TS_DT),
    out("progress 99%", datetime(2026, 11, 28, 1, 0, 25, tzinfo=UTC)),
    err("2026-13-28T01:00:26.000000000Z malformed"),
    out("no newline", datetime(2026, 11, 28, 1, 0, 27, tzinfo=UTC)),
]


def test_timestamps_continuation_frames_lose_their_stamp() -> None:
    assert decode([STAMPED_LONG], timestamps=True) == STAMPED_LINES


def test_timestamps_cut_at_many_offsets() -> None:
    boundaries = [i for i in range(len(STAMPED_LONG)) if i % 97 == 0 or i < 80]
    for at in boundaries + list(range(len(STAMPED_LONG) - 250, len(STAMPED_LONG) + 1)):
        assert decode(cuts(STAMPED_LONG, at), timestamps=True) == STAMPED_LINES, at


def test_timestamps_tty() -> None:
    body = f"{TS} a\r\n{TS} 1%\r2%\r\n{TS} end".encode()
    expected = [out("a", TS_DT), out("2%", TS_DT), out("end", TS_DT)]
    for at in range(len(body) + 1):
        assert decode(cuts(body, at), tty=True, timestamps=True) == expected


def test_timestamps_off_keeps_prefix_in_text() -> None:
    assert decode([frame(1, f"{TS} hi\n".encode())]) == [out(f"{TS} hi")]


@pytest.mark.asyncio
async def test_iter_log_batches_flushes_at_end() -> None:
    chunks = [frame(1, b"a\nb\n"), frame(1, b"c"), frame(2, b"d")]
    batches = [batch async for batch in iter_log_batches(agen(chunks), tty=False)]
    assert batches == [[out("a"), out("b")], [out("c"), err("d")]]


# ---------------------------------------------------------------------------- json lines

JSON_BODY = (
    b'{"Type":"container","Action":"start","Actor":{"ID":"abc","Attributes":{"name":"caf\xc3\xa9"}}}\n'
    b"\n"
    b"   \r\n"
    b"{not json}\n"
    b"[1, 2]\n"
    b'{"bad utf8": "\xff"}\n'
    b'{"Action":"die","Actor":{"Attributes":{"exitCode":"0"}}}\r\n'
    b'{"last":true}'
)
JSON_OBJECTS: list[dict[str, Any]] = [
    {"Type": "container", "Action": "start", "Actor": {"ID": "abc", "Attributes": {"name": "café"}}},
    {"Action": "die", "Actor": {"Attributes": {"exitCode": "0"}}},
    {"last": True},
]


async def collect_json(chunks: Iterable[bytes], **kwargs: Any) -> list[dict[str, Any]]:
    return [value async for value in iter_json_lines(agen(chunks), **kwargs)]


@pytest.mark.asyncio
async def test_json_lines_cut_at_every_offset() -> None:
    for at in range(len(JSON_BODY) + 1):
        assert await collect_json(cuts(JSON_BODY, at)) == JSON_OBJECTS, at
    assert await collect_json(bytewise(JSON_BODY)) == JSON_OBJECTS


@pytest.mark.asyncio
async def test_json_lines_oversized_line_skipped() -> None:
    chunks = [b'{"a":1}\n{"big":"', b"x" * 50, b'"}\n{"b":', b"2}\n"]
    assert await collect_json(chunks, max_line=40) == [{"a": 1}, {"b": 2}]
