"""The HTML Ashby keeps in a ``text/html`` note: bold, italic, underline, links, lists, code.

Any other element is removed but its text stays (``<p>hi</p>`` → ``hi``); the text of elements that
are not text (``script``, ``style``, ...) goes with them. Attributes are dropped, except a link's
``href`` when it is an http(s) or mailto URL. Text is re-escaped and open elements are closed, so the
result is well-formed whatever was sent.
"""

from __future__ import annotations

from html import escape
from html.parser import HTMLParser

KEPT = frozenset({"b", "i", "u", "a", "ul", "ol", "li", "code", "pre"})
#: Elements whose content is not text: removed with everything inside them.
DROPPED_WITH_CONTENT = frozenset({"script", "style", "template", "iframe", "object", "noscript", "head"})
_LINK_SCHEMES = ("http://", "https://", "mailto:")


class _Sanitizer(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.open: list[str] = []
        self.skipping = 0  # depth inside DROPPED_WITH_CONTENT elements

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in DROPPED_WITH_CONTENT:
            self.skipping += 1
        elif tag in KEPT and not self.skipping:
            if tag == "li" and self._innermost("li", "ul", "ol") == "li":
                self.handle_endtag("li")  # a new item ends the open one, as in HTML
            href = dict(attrs).get("href") if tag == "a" else None
            if href and href.strip().lower().startswith(_LINK_SCHEMES):
                self.out.append(f'<a href="{escape(href.strip())}">')
            else:
                self.out.append(f"<{tag}>")
            self.open.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in KEPT and not self.skipping:  # <b/>: an empty element
            self.handle_starttag(tag, attrs)
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in DROPPED_WITH_CONTENT:
            self.skipping = max(0, self.skipping - 1)
        elif tag in KEPT and not self.skipping and tag in self.open:
            while self.open:  # close what was opened inside it and left open
                inner = self.open.pop()
                self.out.append(f"</{inner}>")
                if inner == tag:
                    break

    def _innermost(self, *tags: str) -> str | None:
        return next((tag for tag in reversed(self.open) if tag in tags), None)

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.out.append(escape(data, quote=False))


def sanitize(html: str) -> str:
    """``html`` with only the kept elements (see the module docstring)."""
    parser = _Sanitizer()
    parser.feed(html)
    parser.close()
    parser.out.extend(f"</{tag}>" for tag in reversed(parser.open))
    return "".join(parser.out)


__all__ = ["KEPT", "sanitize"]
