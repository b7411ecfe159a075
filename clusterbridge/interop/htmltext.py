"""Turn the portal's HTML descriptions into clean plain text with the standard library's
HTML parser: block elements become line breaks, list items bullets, entities are decoded
and scripts or styles are dropped."""

from html.parser import HTMLParser

BLOCK_TAGS = {
    "address",
    "article",
    "blockquote",
    "div",
    "dl",
    "dt",
    "dd",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "ol",
    "p",
    "pre",
    "section",
    "table",
    "tr",
    "ul",
}
SKIPPED_TAGS = {"script", "style", "head", "template"}


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.current: list[str] = []
        self.skipping = 0

    def _break(self) -> None:
        line = " ".join("".join(self.current).split())
        self.current = []
        if line:
            self.lines.append(line)

    def _paragraph(self) -> None:
        self._break()
        if self.lines and self.lines[-1] != "":
            self.lines.append("")

    def handle_starttag(self, tag, attrs) -> None:
        if tag in SKIPPED_TAGS:
            self.skipping += 1
        elif tag == "br":
            self._break()
        elif tag == "li":
            self._break()
            self.current.append("• ")
        elif tag in ("td", "th"):
            self.current.append(" ")
        elif tag in BLOCK_TAGS:
            self._paragraph()

    def handle_startendtag(self, tag, attrs) -> None:
        if tag in ("br", "hr"):
            self._break()

    def handle_endtag(self, tag) -> None:
        if tag in SKIPPED_TAGS:
            self.skipping = max(0, self.skipping - 1)
        elif tag == "li":
            self._break()
        elif tag in BLOCK_TAGS:
            self._paragraph()

    def handle_data(self, data) -> None:
        if not self.skipping:
            self.current.append(data)

    def text(self) -> str:
        self._break()
        return "\n".join(self.lines).strip()


def html_to_text(html: str) -> str:
    """'<p>Fish &amp; <b>chips</b></p><ul><li>one</li></ul>' → 'Fish & chips\\n\\n• one'."""
    if not html:
        return ""
    parser = _TextExtractor()
    parser.feed(html)
    parser.close()
    return parser.text()
