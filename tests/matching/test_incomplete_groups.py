"""/match/: records the source truncates or leaves unnamed show as one entry per programme,
after every complete record, as the public funding list shows them."""

import re

import pytest

from tests.matching.factories import make_instrument
from tests.projects.test_exports import parse_csv

pytestmark = pytest.mark.django_db

GROUP = "Startas/Ino… (SecurIT figure 2)"


@pytest.fixture
def catalogue():
    return {
        # Incomplete records fit best, yet come after the complete ones.
        "columns": [
            make_instrument(
                f"Startas/Ino… column {n}",
                ["T1", "D2", "G1"][: n + 1],
                incomplete_at_source=True,
                source_group=GROUP,
            )
            for n in range(3)
        ],
        "alone": make_instrument(
            "Unnamed column (no programme)", ["T1", "D2", "G1"], incomplete_at_source=True
        ),
        "complete": make_instrument("Complete prototype call", ["D2"]),
        "other": make_instrument("Complete AI call", ["T1"]),
    }


def titles(page: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", h).strip() for h in re.findall(r"<h3>(.*?)</h3>", page, re.S)]


def test_incomplete_records_show_as_one_entry_per_programme_after_complete_ones(
    client, catalogue, django_assert_max_num_queries
):
    client.get("/match/?feature=T1")  # builds the index
    with django_assert_max_num_queries(10):
        response = client.get("/match/", {"feature": ["T1", "D2", "G1"]})
    page = response.content.decode()

    assert titles(page) == [
        "Complete prototype call",
        "Complete AI call",
        GROUP,  # its best record fits all three features
        "Unnamed column (no programme)",
    ]
    assert "4 matching instruments" in page
    assert "3 matching records whose names the source truncates" in page
    assert "(Startas/Ino… column 2)" in page  # the record whose score the entry shows
    assert (
        "/funding/?source_group=Startas%2FIno%E2%80%A6+%28SecurIT+figure+2%29&amp;status=all"
        in page
    )
    assert "Startas/Ino… column 0" not in page


def test_the_download_still_lists_every_record(client, catalogue):
    rows = parse_csv(client.get("/match/", {"feature": ["T1", "D2", "G1"], "format": "csv"}))
    names = [row[1] for row in rows[1:]]
    assert names[:2] == ["Complete prototype call", "Complete AI call"]
    assert sorted(names[2:]) == sorted(
        [f"Startas/Ino… column {n}" for n in range(3)] + ["Unnamed column (no programme)"]
    )
