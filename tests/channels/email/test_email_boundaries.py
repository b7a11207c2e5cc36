"""The boundary matcher answers every line exactly as the feed parser's own regex does."""

from __future__ import annotations

import email
import email.feedparser
import re
from email.policy import compat32

from hypothesis import given, settings
from hypothesis import strategies as st

from kefu.channels.email import boundaries
from kefu.channels.email.boundaries import PREFIX, SUFFIX, BoundaryMatcher, boundary_matcher

GROUPS = ("sep", "end", "ws", "linesep")
# Boundaries with the characters re.escape changes, and lines built from the pieces
# that decide a match: the separator, dashes, blanks and every kind of line end.
BOUNDARIES = st.text(alphabet="ab=_.+()?*[]\\'-: ", min_size=1, max_size=12)
PIECES = st.sampled_from(["--", "-", " ", "\t", "\r", "\n", "\r\n", "x", "=_"])


def _the_regex(separator: str) -> re.Pattern[str]:
    return re.compile(PREFIX + re.escape(separator) + SUFFIX)


@settings(max_examples=600, deadline=None)
@given(boundary=BOUNDARIES, before=st.lists(PIECES, max_size=2), after=st.lists(PIECES, max_size=6))
def test_the_matcher_agrees_with_the_regex(
    boundary: str, before: list[str], after: list[str]
) -> None:
    separator = "--" + boundary
    line = "".join(before) + separator + "".join(after)
    expected = _the_regex(separator).match(line)
    found = BoundaryMatcher(separator).match(line)
    assert (found is None) == (expected is None), repr(line)
    if expected is not None and found is not None:
        assert [found.group(g) for g in GROUPS] == [expected.group(g) for g in GROUPS]


def test_only_the_boundary_pattern_is_replaced() -> None:
    assert isinstance(boundary_matcher(PREFIX + re.escape("--a(b)") + SUFFIX), BoundaryMatcher)
    assert boundary_matcher(r"(\r\n|\r|\n)\Z") is None
    assert boundary_matcher(PREFIX + "--a(b)" + SUFFIX) is None  # not re.escape's output
    boundaries.install()
    feed_re = getattr(email.feedparser, "re")  # noqa: B009 (not in the stubs)
    assert feed_re.compile(r"\d+").match("42")  # any other pattern is re's own
    assert feed_re.escape("a.b") == re.escape("a.b")


def test_multipart_mail_parses_into_the_same_parts() -> None:
    raw = (
        b"From: a@example.com\r\nSubject: t\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: multipart/mixed; boundary="o(u)t.er+"\r\n\r\n'
        b"preamble\r\n--o(u)t.er+\r\n"
        b'Content-Type: multipart/alternative; boundary="in"\r\n\r\n'
        b"--in\r\nContent-Type: text/plain\r\n\r\nplain\r\n"
        b"--in \t\r\nContent-Type: text/html\r\n\r\n<p>html</p>\r\n--in--\r\n"
        b"--o(u)t.er+\r\nContent-Type: text/plain\r\n\r\nlast part\r\n"
        b"--o(u)t.er+--\r\nepilogue\r\n"
    )
    boundaries.install()
    message = email.message_from_bytes(raw, policy=compat32)
    leaves = [(p.get_content_type(), p.get_payload()) for p in message.walk()]
    assert leaves[2:] == [
        ("text/plain", "plain"),
        ("text/html", "<p>html</p>"),
        ("text/plain", "last part"),
    ]
    assert message.preamble == "preamble"
    assert message.epilogue == "epilogue\r\n"
    assert not message.defects
