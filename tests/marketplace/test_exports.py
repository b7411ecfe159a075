"""The published list as CSV and XLSX: the page's filters and order, formula-safe cells,
the same file for everyone (published posts only), bad input refused."""

import csv
import io

import pytest
from openpyxl import load_workbook

from clusterbridge.marketplace.exports import HEADER
from tests.marketplace.conftest import beta, make_post, publish

pytestmark = pytest.mark.django_db


def _csv(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="marketplace-posts.csv"' in response["Content-Disposition"]
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def _xlsx(response) -> list[list]:
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


@pytest.fixture
def posts(users):
    offer = publish(make_post(users["owner"], title='=HYPERLINK("http://evil","x")'), users)
    need = publish(
        make_post(
            users["other_owner"],
            organisation=beta(),
            kind="need",
            title="Gloves <b>now</b>",
            description="@SUM(1+1)\tand more",
            unit="+boxes",
            quantity=10,
        ),
        users,
    )
    make_post(users["owner"], title="A draft never exported")
    return offer, need


@pytest.mark.parametrize("role", ["anonymous", "other_owner", "owner", "other_manager", "admin"])
def test_everyone_downloads_the_published_list_only(posts, client_for, role):
    rows = _csv(client_for(role).get("/marketplace/export.csv"))
    assert rows[0] == HEADER
    titles = {row[2] for row in rows[1:]}
    assert len(rows) == 3 and not any("draft" in t for t in titles)


def test_cells_that_would_run_as_formulas_are_made_text(posts, client):
    offer, need = posts
    for rows in (
        _csv(client.get("/marketplace/export.csv")),
        _xlsx(client.get("/marketplace/export.xlsx")),
    ):
        by_id = {str(row[0]): row for row in rows[1:]}
        assert by_id[str(offer.pk)][2] == '\'=HYPERLINK("http://evil","x")'
        need_row = by_id[str(need.pk)]
        assert need_row[4] == "'@SUM(1+1)\tand more" and need_row[11] == "'+boxes"
        assert need_row[2] == "Gloves <b>now</b>"  # a spreadsheet shows text as it is
        assert need_row[-1].endswith(need.get_absolute_url())


def test_the_export_follows_the_pages_filters_and_order(posts, client):
    offer, need = posts
    rows = _csv(client.get("/marketplace/export.csv?kind=need"))
    assert [row[0] for row in rows[1:]] == [str(need.pk)]
    rows = _xlsx(client.get("/marketplace/export.xlsx?ordering=title"))
    assert [row[0] for row in rows[1:]] == [offer.pk, need.pk]  # "=…" sorts before "G…"
    html = client.get("/marketplace/?kind=need").content.decode()
    assert 'href="/marketplace/export.csv?kind=need"' in html


def test_bad_filters_or_formats_are_refused(posts, client):
    response = client.get("/marketplace/export.csv?country=XX")
    assert response.status_code == 400 and "country" in response.content.decode()
    assert client.get("/marketplace/export.pdf").status_code == 404


def test_the_export_makes_a_fixed_number_of_queries(
    posts, users, client, django_assert_max_num_queries
):
    client.get("/marketplace/export.csv")
    for n in range(6):
        publish(make_post(users["owner"], title=f"Offer {n}"), users)
    with django_assert_max_num_queries(12):
        rows = _csv(client.get("/marketplace/export.csv"))
    assert len(rows) == 9
