"""Source documents are named by their titles on pages (one list of titles, with its own
provenance); the file name and lines stay in the record and show as the hover text."""

import json
from pathlib import Path

import pytest

from clusterbridge.core.sources import cite, title_of, titles

DATA = Path(__file__).resolve().parents[2] / "clusterbridge" / "data"


def documents_cited(value) -> set[str]:
    if isinstance(value, dict):
        found = {value["document"]} if isinstance(value.get("document"), str) else set()
        for item in value.values():
            found |= documents_cited(item)
        return found
    if isinstance(value, list):
        return set().union(*(documents_cited(item) for item in value)) if value else set()
    return set()


def test_every_document_the_reference_data_cites_has_a_title():
    cited = set()
    for path in DATA.rglob("*.json"):
        if path.name != "sources.json":
            cited |= documents_cited(json.loads(path.read_text(encoding="utf-8")))
    assert "001_64a1a149fb9beb97.txt" in cited
    assert cited <= set(titles()), cited - set(titles())
    for entry in titles().values():
        assert entry["title"] and entry["short"]


def test_a_citation_names_the_title_and_the_lines():
    citation = cite({"document": "001_64a1a149fb9beb97.txt", "lines": [676, 678]})
    assert str(citation) == (
        "SecurIT D2.5: Synergy Analysis with the European Structural and Investment Funds, "
        "lines 676–678"
    )
    assert cite({"document": "000_323ff9fad6be29fe.txt", "lines": [5, 5]}).lines_text == "line 5"
    # What is not a known document (an import, a person's edit) is named as it is.
    assert title_of("calls.json") == "calls.json"
    assert str(cite({"document": "ISO 3166-1", "lines": None})) == "ISO 3166-1 country codes"


@pytest.mark.django_db
def test_cluster_and_project_pages_name_their_sources_by_title(client):
    from clusterbridge.projects.models import Project

    html = client.get("/clusters/mobile-heights/").content.decode()
    assert '<cite class="citation" title="002_5dcdb20ca003db63.txt">EU4Digital' in html
    assert ">002_5dcdb20ca003db63.txt" not in html
    project = Project.objects.filter(provenance__isnull=False).exclude(provenance=[]).first()
    html = client.get(f"/projects/{project.pk}/").content.decode()
    assert '<cite class="citation" title="001_64a1a149fb9beb97.txt">SecurIT D2.5' in html
