"""Indicators are reference data with their source; administrators edit them through the
history; an assessment keeps the version it was answered against."""

import io

from django.core.management import call_command

from clusterbridge.benchmarking import services
from clusterbridge.benchmarking.models import Block, Indicator
from clusterbridge.core import history
from clusterbridge.core.reference import read_json
from tests.benchmarking.conftest import mobile_heights


def test_every_indicator_is_loaded_with_its_source_lines(db):
    data = read_json("benchmarking/indicators.json")
    assert Indicator.objects.count() == len(data["indicators"])
    for indicator in Indicator.objects.all():
        assert indicator.provenance, indicator.code
        for place in indicator.provenance:
            assert place["document"][:3] in ("002", "003")
            assert place["lines"][0] <= place["lines"][1]
    assert set(Indicator.objects.values_list("block", flat=True)) == {b for b, _ in Block.choices}


def test_thresholds_come_from_the_seeds(db):
    for indicator in Indicator.objects.exclude(scoring={}):
        if indicator.scoring["kind"] == "at_least":
            assert indicator.scoring["source"]["document"].startswith("003_")


def test_an_administrators_edit_is_in_the_history_and_survives_a_reload(people, client):
    indicator = Indicator.objects.get(code="IV-03")
    client.force_login(people["admin"], backend="django.contrib.auth.backends.ModelBackend")
    response = client.get(f"/admin/benchmarking/indicator/{indicator.pk}/change/")
    assert response.status_code in (200, 302)  # 302: the admin asks for two-factor sign-in
    result = services.indicators.update(
        indicator, people["admin"], {"question": "Which support would help most?"}
    )
    assert result.obj.version == indicator.version == 2
    assert history.history_of(indicator).filter(user=people["admin"]).exists()
    call_command("load_reference", verbosity=0, stdout=io.StringIO())
    assert Indicator.objects.get(code="IV-03").question == "Which support would help most?"


def test_an_assessment_keeps_the_questions_it_was_answered_against(people):
    assessment = services.start_assessment(mobile_heights(), people["manager"])
    indicator = Indicator.objects.get(code="II-02")
    services.indicators.update(indicator, people["admin"], {"question": "Team size?", "maximum": 5})
    services.save_answers(assessment, people["manager"], {"II-02": 12})  # old range holds
    assessment.refresh_from_db()
    spec = assessment.spec("II-02")
    assert spec["question"].startswith("How many people work")
    assert spec["version"] == 1
    assert assessment.answers["II-02"] == 12
    newer = services.snapshot_indicators()[1]
    assert next(s for s in newer if s["code"] == "II-02")["version"] == 2


def test_the_public_introduction_lists_the_catalogue_with_the_filter_panel(db, client):
    page = client.get("/benchmarking/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "pre-assessment" in html
    assert "EU4Digital cluster management best practices" in html  # sources by title
    assert html.count('class="result-card"') == Indicator.objects.count()
    only = client.get("/benchmarking/?block=III").content.decode()
    assert only.count('class="result-card"') == Indicator.objects.filter(block="III").count()
    rules = client.get("/benchmarking/?label_rule=true").content.decode()
    assert rules.count('class="result-card"') == 6
    assert client.get("/benchmarking/?block=IX").status_code == 400
