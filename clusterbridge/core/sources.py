"""The source documents by title: records keep their provenance as a file name and a line
range (what an auditor needs); pages name the document by its title (what a reader needs).
The titles live in one place, clusterbridge/data/sources.json, each with its own provenance."""

from dataclasses import dataclass

from clusterbridge.core.reference import read_json


@dataclass(frozen=True)
class Citation:
    document: str  # the file name (or other identifier) kept in the record's provenance
    title: str  # what the page shows
    lines: tuple[int, int] | None

    @property
    def lines_text(self) -> str:
        if not self.lines:
            return ""
        first, last = self.lines
        return f"line {first}" if first == last else f"lines {first}–{last}"

    def __str__(self) -> str:
        return f"{self.title}, {self.lines_text}" if self.lines else self.title


def titles() -> dict[str, dict]:
    return read_json("sources.json")["documents"]


def title_of(document: str, *, short: bool = False) -> str:
    """The document's title (or its short name, for tables that repeat it); a name not in
    the list (an import, a person) as it is."""
    entry = titles().get(document)
    if not entry:
        return document
    return entry["short"] if short else entry["title"]


def cite(place: dict, *, short: bool = False) -> Citation:
    """A provenance entry ({"document": ..., "lines": [a, b]}) as a citation."""
    document = str(place.get("document") or "")
    lines = place.get("lines")
    span = (int(lines[0]), int(lines[-1])) if lines else None
    return Citation(document, title_of(document, short=short), span)
