"""Every form control on the main pages has a label, every page has one h1 and a main
landmark, and images of charts and maps carry a text alternative."""

from html.parser import HTMLParser

import pytest

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = [
    "/",
    "/funding/",
    "/funding/strategies/",
    "/match/?feature=T1&feature=D2",
    "/projects/",
    "/projects/matrix/",
    "/projects/matrix/?view=list&category=T&used=1",
    "/projects/instrument-matrix/",
    "/funding/?q=nosuchwordanywhere&country=DK",
    "/funding/?feature=T1&feature=T2&status=all&origin=national",
    "/clusters/?country=SE&ecosystem=health",
    "/clusters/mobile-heights/",
    "/clusters/",
    "/clusters/landscape/",
    "/taxonomy/",
    "/account/login/",
    "/account/signup/",
    "/account/password/reset/",
    "/marketplace/",
    "/marketplace/?kind=need&urgency=crisis",
    "/marketplace/disruptions/",
    "/marketplace/value-chain/",
    "/marketplace/value-chain/?ecosystem=health",
    "/events/",
    "/events/?kind=brokerage",
    "/benchmarking/",
    "/benchmarking/?block=III",
    "/analytics/",
    "/analytics/specialisation/",
    "/analytics/network/",
    "/analytics/groups/",
]
EDITOR_PAGES = [
    "/funding/new/",
    "/funding/strategies/new/",
    "/funding/maintenance/",
    "/projects/new/",
    "/clusters/register/",
    "/import/",
    "/import/calls/",
    "/alerts/new/",
    "/account/tokens/",
    "/account/",
    "/account/email/",
    "/account/password/change/",
    "/account/2fa/",
    "/account/delete/",
]


class Controls(HTMLParser):
    def __init__(self):
        super().__init__()
        self.controls, self.label_targets, self.h1 = [], set(), 0
        self.has_main, self.open_labels, self.svg_without_name = False, 0, 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "label":
            self.open_labels += 1
            if attrs.get("for"):
                self.label_targets.add(attrs["for"])
        elif tag in ("input", "select", "textarea"):
            kind = attrs.get("type", "text")
            if kind not in ("hidden", "submit", "button", "reset", "image"):
                named = bool(attrs.get("aria-label") or attrs.get("aria-labelledby"))
                self.controls.append(
                    (attrs.get("id"), attrs.get("name"), named or self.open_labels > 0)
                )
        elif tag == "h1":
            self.h1 += 1
        elif tag == "main":
            self.has_main = True
        elif tag == "svg" and not (
            attrs.get("aria-label")
            or attrs.get("aria-labelledby")
            or attrs.get("aria-hidden") == "true"
            or attrs.get("role") == "img"
        ):
            self.svg_without_name += 1

    def handle_endtag(self, tag):
        if tag == "label":
            self.open_labels -= 1


def check(html: str, url: str) -> None:
    parser = Controls()
    parser.feed(html)
    unlabelled = [
        name
        for control_id, name, named in parser.controls
        if not named and control_id not in parser.label_targets
    ]
    assert not unlabelled, f"{url}: controls without a label: {unlabelled}"
    assert parser.h1 == 1, f"{url}: {parser.h1} h1 headings"
    assert parser.has_main, f"{url}: no <main>"
    assert parser.svg_without_name == 0, f"{url}: a chart or map without a text alternative"


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_public_pages(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    check(response.content.decode(), url)


@pytest.mark.parametrize("model", ["instrument", "strategy", "project"])
def test_detail_pages(client, model):
    from clusterbridge.funding.models import Instrument, StrategicDocument
    from clusterbridge.projects.models import Project

    records = {
        "instrument": Instrument.objects.real(),
        "strategy": StrategicDocument.objects.filter(is_synthetic=False),
        "project": Project.objects.real().filter(visibility="public"),
    }
    url = records[model].first().get_absolute_url()
    response = client.get(url)
    assert response.status_code == 200, url
    check(response.content.decode(), url)


def test_member_pages(client_for):
    for url in ("/alerts/", "/alerts/?kind=search", "/account/"):
        response = client_for("member").get(url)
        assert response.status_code == 200, url
        check(response.content.decode(), url)


@pytest.mark.parametrize("url", EDITOR_PAGES)
def test_editor_pages(client_for, url):
    response = client_for("editor").get(url)
    assert response.status_code == 200, url
    check(response.content.decode(), url)
