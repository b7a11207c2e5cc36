"""HTML is sanitised with a conservative allow-list and turned into readable text."""

from __future__ import annotations

from kefu.shield.html import html_to_text, sanitize_html


def test_scripts_styles_and_handlers_are_removed() -> None:
    dirty = (
        '<p onclick="steal()">Hi<script>alert(1)</script><style>p{}</style>'
        '<img src=x onerror="alert(1)"><b style="color:red">bold</b></p>'
    )
    clean = sanitize_html(dirty)
    assert clean == "<p>Hi<b>bold</b></p>"


def test_javascript_urls_are_dropped_and_links_get_a_safe_rel() -> None:
    clean = sanitize_html('<a href="javascript:alert(1)">x</a> <a href="https://ex.com">y</a>')
    assert "javascript" not in clean
    assert '<a href="https://ex.com" rel="noopener noreferrer nofollow">y</a>' in clean


def test_html_to_text_keeps_blocks_links_and_entities() -> None:
    html = "<div>密码是 Abc123&amp;x</div><p>see <a href='https://ex.com/a'>here</a></p><script>x</script>"
    assert html_to_text(html) == "密码是 Abc123&x\n\nsee <https://ex.com/a> here"
