"""Importing calls from EU Funding & Tenders Portal files (Search API results and the bulk
grantsTenders.json), re-importing them, and keeping what editors added."""

import datetime
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from clusterbridge.core import history
from clusterbridge.core.models import ObjectChange
from clusterbridge.funding import portal_import as calls
from clusterbridge.funding.models import Deadline, Instrument
from clusterbridge.interop import portal
from clusterbridge.taxonomy.models import Country, Feature

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parent.parent / "data" / "portal"
SEARCH = DATA / "search_results.json"
BULK = DATA / "grantsTenders.json"
GENAI = "HORIZON-CL3-2025-CS-ECCC-01"
SOC = "DIGITAL-ECCC-2025-DEPLOY-CYBER-08-SOC"
TWO_STAGE = "HORIZON-CL4-2026-RESILIENCE-01-12-two-stage"
CLOSED = "HORIZON-CL3-2023-CS-01-01"
CASCADE = "CASCADE-CYBERSME-OC2-2025"


def run(path_or_bytes, **kwargs):
    raw = path_or_bytes if isinstance(path_or_bytes, bytes) else path_or_bytes.read_bytes()
    return calls.import_calls(raw, **kwargs)


def imports_of(identifier):
    obj = Instrument.all_objects.get(identifier=identifier)
    return history.history_of(obj).filter(action=ObjectChange.Action.IMPORT)


def test_search_results_become_eu_calls_with_clean_text_and_the_topic_budget():
    report = run(SEARCH, filename="search_results.json")

    assert report.format == "search"
    # HORIZON-CL3-2023-CS-01-01 updates the record seed 001 prints as IA-HORIZON-CL3-2023-…
    assert report.counts() == {
        "created": 4,
        "updated": 1,
        "unchanged": 0,
        "skipped": 3,
        "errors": 1,
    }
    call = Instrument.objects.get(identifier=GENAI)
    assert call.kind == "call" and call.origin == "international" and call.cover_level == "eu"
    assert call.name == "Generative AI for cybersecurity applications"
    assert call.link == (
        "https://ec.europa.eu/info/funding-tenders/opportunities/portal/"
        f"screen/opportunities/topic-details/{GENAI}"
    )
    assert call.source == "Horizon Europe (HORIZON)"
    assert call.source_status == "open"
    # Only this topic's action counts (2025 + 2026), not the sibling topic's 30 million.
    assert call.budget_amount == Decimal("20000000.00") and call.budget_currency == "EUR"
    assert "<" not in call.description and "track()" not in call.description
    assert "generative AI & machine learning" in call.description
    assert "• Tools that SMEs can afford." in call.description
    assert "between EUR 3,000,000 and EUR 5,000,000" in call.description
    assert "Keywords: Artificial intelligence; Cybersecurity; Machine learning" in call.target_scope
    assert "Tags: AI; cyber threat intelligence; SME" in call.target_scope
    assert call.provenance[0]["document"] == "search_results.json"


def test_every_write_is_in_the_history_with_one_request_id():
    run(SEARCH)

    entries = ObjectChange.objects.filter(action=ObjectChange.Action.IMPORT)
    assert entries.count() == 5
    assert len(set(entries.values_list("request_id", flat=True))) == 1
    entry = imports_of(GENAI).get()
    assert entry.before is None
    assert entry.after["name"] == "Generative AI for cybersecurity applications"
    assert entry.after["deadline_dates"] == ["2025-11-12"]


def test_dates_are_read_in_brussels_time():
    # Midnight in Brussels is the previous evening in UTC, in winter and in summer.
    assert portal.brussels_date("2024-12-11T23:00:00.000+0000") == datetime.date(2024, 12, 12)
    assert portal.brussels_date("2025-06-11T22:00:00.000+0000") == datetime.date(2025, 6, 12)
    assert portal.brussels_date("2025-11-12T16:00:00.000+0000") == datetime.date(2025, 11, 12)
    assert portal.brussels_date(1749679200000) == datetime.date(2025, 6, 12)  # ms, 22:00 UTC
    with pytest.raises(portal.RecordError):
        portal.brussels_date("31/12/2025")

    run(SEARCH)
    soc = Instrument.objects.get(identifier=SOC)
    assert soc.opening_date == datetime.date(2024, 12, 12)
    assert Instrument.objects.get(identifier=GENAI).opening_date == datetime.date(2025, 6, 12)


def test_status_comes_from_the_dates_and_the_portal_status_is_kept():
    run(SEARCH)
    two_stage = Instrument.objects.get(identifier=TWO_STAGE)
    assert two_stage.source_status == "forthcoming"
    assert two_stage.status_on(datetime.date(2025, 10, 1)) == "forthcoming"
    assert two_stage.status_on(datetime.date(2025, 12, 1)) == "open"
    assert Instrument.objects.get(identifier_key=CLOSED).source_status == "closed"
    statuses = dict(
        Instrument.objects.filter(identifier_key__in=[GENAI, CLOSED, TWO_STAGE.upper()])
        .with_status(datetime.date(2025, 8, 1))
        .values_list("identifier_key", "status")
    )
    assert statuses == {GENAI: "open", CLOSED: "closed", TWO_STAGE.upper(): "forthcoming"}


def test_a_topic_returned_in_several_languages_is_imported_once_in_english():
    report = run(SEARCH)

    assert report.skipped_reasons["same topic in another language"] == 2
    assert Instrument.objects.filter(identifier=GENAI).count() == 1
    assert Instrument.objects.get(identifier=GENAI).name.startswith("Generative AI")
    # The French copy of the SOC topic comes first in the file; English still wins.
    soc = Instrument.objects.get(identifier=SOC)
    assert soc.name == "Security Operation Centres"
    assert "Déployer" not in soc.description


def test_a_multiple_cut_off_call_keeps_every_cut_off():
    run(SEARCH)
    soc = Instrument.objects.get(identifier=SOC)

    assert soc.deadline_dates == ["2025-03-26", "2025-09-30", "2026-01-21"]
    assert list(Deadline.objects.filter(instrument=soc).values_list("date", flat=True)) == [
        datetime.date(2025, 3, 26),
        datetime.date(2025, 9, 30),
        datetime.date(2026, 1, 21),
    ]
    assert soc.next_deadline(datetime.date(2025, 4, 1)) == datetime.date(2025, 9, 30)
    assert soc.status_on(datetime.date(2025, 10, 15)) == "open"


def test_a_two_stage_call_closes_with_its_first_stage():
    run(SEARCH)
    two_stage = Instrument.objects.get(identifier=TWO_STAGE)

    assert two_stage.deadline_dates == ["2026-02-17"]
    assert "second stage (invited applicants only): 2026-09-22" in two_stage.target_scope
    assert two_stage.status_on(datetime.date(2026, 3, 1)) == "closed"


def test_news_items_are_skipped_cascade_calls_kept_and_malformed_records_reported():
    report = run(SEARCH)

    assert report.skipped_reasons["news update (type 6)"] == 1
    assert not Instrument.objects.filter(name__startswith="Info day").exists()
    cascade = Instrument.objects.get(identifier=CASCADE)
    assert "Cascade funding" in cascade.target_scope
    assert [(e.position, e.identifier) for e in report.errors] == [
        (9, "HORIZON-CL3-2025-CS-ECCC-99")
    ]
    assert "31/12/2025" in report.errors[0].message
    assert not Instrument.all_objects.filter(identifier="HORIZON-CL3-2025-CS-ECCC-99").exists()


def test_the_bulk_file_is_imported_from_epoch_milliseconds():
    report = run(BULK)

    assert report.format == "bulk"
    assert report.counts() == {
        "created": 5,
        "updated": 0,
        "unchanged": 0,
        "skipped": 1,
        "errors": 1,
    }
    closed = Instrument.objects.get(identifier="HORIZON-CL3-2024-CS-01-01")
    assert closed.opening_date == datetime.date(2024, 6, 27)
    assert closed.deadline_dates == ["2024-11-20"]
    assert closed.source_status == "closed"
    assert closed.description == "" and closed.budget_amount is None
    assert Instrument.objects.get(identifier=SOC).deadline_dates == [
        "2025-03-26",
        "2025-09-30",
        "2026-01-21",
    ]
    assert str(report.errors[0]) == (
        "record 7 (DIGITAL-2025-BROKEN-01): deadline “2025-12-31” is not a time in milliseconds"
    )


def test_re_importing_the_same_file_changes_nothing():
    run(SEARCH)
    changes = ObjectChange.objects.count()
    report = run(SEARCH)

    assert report.counts() == {
        "created": 0,
        "updated": 0,
        "unchanged": 5,
        "skipped": 3,
        "errors": 1,
    }
    assert ObjectChange.objects.count() == changes
    assert Instrument.all_objects.filter(identifier=GENAI).count() == 1


def test_the_bulk_file_after_search_results_keeps_description_and_budget():
    run(SEARCH)
    report = run(BULK)

    genai = Instrument.objects.get(identifier=GENAI)
    assert genai.budget_amount == Decimal("20000000.00")
    assert "Expected Outcome" in genai.description
    assert GENAI not in report.updated_identifiers


def newer_search_file(tmp_path):
    data = json.loads(SEARCH.read_text())
    for result in data["results"]:
        meta = result["metadata"]
        if meta.get("identifier") == [GENAI]:
            meta["title"] = ["Generative AI for cybersecurity applications (updated)"]
            meta["deadlineDate"] = ["2025-12-03T16:00:00.000+0000"]
            meta["status"] = ["31094503"]
    return json.dumps(data).encode()


def test_a_newer_file_updates_records_in_place(tmp_path):
    run(SEARCH)
    pk = Instrument.objects.get(identifier=GENAI).pk
    report = run(newer_search_file(tmp_path))

    assert report.counts()["updated"] == 1 and report.counts()["created"] == 0
    genai = Instrument.objects.get(identifier=GENAI)
    assert genai.pk == pk
    assert genai.name.endswith("(updated)") and genai.source_status == "closed"
    assert genai.deadline_dates == ["2025-12-03"]
    assert list(genai.deadline_rows.values_list("date", flat=True)) == [datetime.date(2025, 12, 3)]
    entry = imports_of(GENAI).first()
    assert entry.before["deadline_dates"] == ["2025-11-12"]
    assert entry.after["deadline_dates"] == ["2025-12-03"]
    # The history entry can be reverted like any other change.
    history.revert(entry)
    assert Instrument.objects.get(identifier=GENAI).deadline_dates == ["2025-11-12"]


def test_a_re_import_keeps_what_an_editor_added(tmp_path, users):
    run(SEARCH)
    genai = Instrument.objects.get(identifier=GENAI)
    reviewed = timezone.now().replace(microsecond=0)
    genai.notes = "Checked with the NCP: SMEs are welcome."
    genai.last_reviewed_at = reviewed
    genai.target_organisations = "SMEs, research organisations"
    genai.country = Country.objects.get(code="BE")
    features = list(Feature.objects.filter(code__in=["T1", "P12"]))
    history.save(genai, user=users["editor"], m2m={"features": features})

    report = run(newer_search_file(tmp_path))

    assert report.counts()["updated"] == 1
    genai = Instrument.objects.get(identifier=GENAI)
    assert genai.name.endswith("(updated)")
    assert genai.notes == "Checked with the NCP: SMEs are welcome."
    assert genai.last_reviewed_at == reviewed
    assert genai.target_organisations == "SMEs, research organisations"
    assert genai.country.code == "BE"
    assert sorted(genai.features.values_list("code", flat=True)) == ["P12", "T1"]


def test_a_record_deleted_on_the_site_is_not_brought_back():
    run(SEARCH)
    history.soft_delete(Instrument.objects.get(identifier=GENAI))
    report = run(SEARCH)

    assert report.skipped_reasons["deleted on this site (restore it to update it)"] == 1
    assert not Instrument.objects.filter(identifier=GENAI).exists()


def test_a_dry_run_reports_the_same_and_writes_nothing():
    instruments, changes = Instrument.all_objects.count(), ObjectChange.objects.count()
    dry = run(SEARCH, dry_run=True)

    assert (Instrument.all_objects.count(), ObjectChange.objects.count()) == (instruments, changes)
    assert dry.counts() == run(SEARCH).counts()


def test_imported_calls_get_suggested_features_for_editors_to_confirm(users):
    from clusterbridge.suggestions import services
    from clusterbridge.suggestions.models import FeatureSuggestion

    run(SEARCH)
    genai = Instrument.objects.get(identifier=GENAI)
    pending = {s.feature.code: s for s in services.pending_for(genai)}

    # From the title, keywords and description: AI (ML), cybersecurity, detection.
    assert {"T1", "P12"} <= set(pending)
    assert "machine learning" in pending["T1"].evidence
    assert genai.features.count() == 0  # suggested, not assigned
    assert ObjectChange.objects.filter(
        object_id=str(pending["T1"].pk), message="Suggested from the description"
    ).exists()
    # Same rules as the suggestions service: nothing is suggested twice.
    assert services.suggest_for(genai, services.text_of(genai)) == []
    count = FeatureSuggestion.objects.count()
    run(newer_search_file(None))
    assert FeatureSuggestion.objects.count() == count
    # An editor confirms one; a later import keeps it and does not suggest it again.
    services.accept(pending["T1"], users["editor"])
    run(SEARCH)
    assert list(genai.features.values_list("code", flat=True)) == ["T1"]


def test_the_command_prints_the_report_and_the_dry_run_writes_nothing(capsys):
    before = Instrument.all_objects.count()
    call_command("import_calls", str(SEARCH), "--dry-run", verbosity=0)
    out = capsys.readouterr().out
    assert (
        "Dry run, nothing written: 9 records in the Search API results: 4 created, 1 updated" in out
    )
    assert "skipped 2: same topic in another language" in out
    assert "record 9 (HORIZON-CL3-2025-CS-ECCC-99)" in out
    assert Instrument.all_objects.count() == before

    call_command("import_calls", str(BULK), verbosity=0)
    assert "5 created" in capsys.readouterr().out
    assert Instrument.all_objects.count() == before + 5


def test_a_topic_only_in_another_language_is_kept_in_that_language():
    data = json.loads(SEARCH.read_text())
    data["results"] = [
        r
        for r in data["results"]
        if not (r["metadata"].get("identifier") == [SOC] and r["language"] == "en")
    ]
    run(json.dumps(data).encode())
    assert Instrument.objects.get(identifier=SOC).name == "Centres d'opérations de sécurité"


def test_several_saved_pages_of_search_results_are_read_as_one_file():
    data = json.loads(SEARCH.read_text())
    first, second = dict(data), dict(data)
    first["results"], second["results"] = data["results"][:4], data["results"][4:]
    second["pageNumber"] = 2

    report = run(json.dumps([first, second]).encode())

    assert report.records == 9
    assert report.counts() == {
        "created": 4,
        "updated": 1,
        "unchanged": 0,
        "skipped": 3,
        "errors": 1,
    }
    assert Instrument.objects.filter(identifier=GENAI).count() == 1


def _bulk(*items) -> bytes:
    return json.dumps({"fundingData": {"GrantTenderObj": list(items)}}).encode()


def _topic(identifier, **fields):
    topic = {
        "type": 1,
        "identifier": identifier,
        "title": f"Topic {identifier}",
        "status": {"id": 31094502, "abbreviation": "Open", "description": "Open"},
        "plannedOpeningDateLong": 1749679200000,
        "deadlineDatesLong": [4102444800000],
    }
    topic.update(fields)
    return topic


@pytest.mark.parametrize(
    "broken",
    [
        {"deadlineDatesLong": [1e20]},
        {"plannedOpeningDateLong": -1e18},
        {"keywords": 5},
    ],
)
def test_a_record_of_the_wrong_shape_is_reported_and_the_rest_imports(broken):
    report = run(_bulk(_topic("GOOD-TOPIC-01"), _topic("ODD-TOPIC-02", **broken)))
    assert Instrument.objects.filter(identifier="GOOD-TOPIC-01").exists()
    assert not Instrument.all_objects.filter(identifier="ODD-TOPIC-02").exists()
    assert report.created == 1 and len(report.errors) == 1
    assert "ODD-TOPIC-02" in str(report.errors[0])


def test_an_extended_deadline_brings_an_archived_call_back():
    from clusterbridge.funding.services import expire_calls

    opened = {"plannedOpeningDateLong": 1546300800000}  # 1 January 2019
    run(_bulk(_topic("EXTENDED-01", deadlineDatesLong=[1577836800000], **opened)))  # 1 Jan 2020
    expire_calls()
    assert Instrument.objects.get(identifier="EXTENDED-01").archived_at is not None
    run(_bulk(_topic("EXTENDED-01", deadlineDatesLong=[4102444800000], **opened)))  # 1 Jan 2100
    call = Instrument.objects.get(identifier="EXTENDED-01")
    assert call.archived_at is None and call.status_on() == "open"


def test_a_topic_the_model_refuses_is_reported_and_the_rest_imports():
    """The portal import validates like the forms: a deadline beyond 2100 (it would break
    the calendar feed) or before the opening date leaves that topic out, with the reason."""
    report = run(
        _bulk(
            _topic("SANE-TOPIC-01", title="Bell\u0007 topic"),
            _topic("FAR-TOPIC-02", deadlineDatesLong=[253402214400000]),  # 31 December 9999
        )
    )
    assert Instrument.objects.get(identifier="SANE-TOPIC-01").name == "Bell topic"
    assert not Instrument.all_objects.filter(identifier="FAR-TOPIC-02").exists()
    assert report.created == 1 and len(report.errors) == 1
    assert "between 1900-01-01 and 2100-12-31" in report.errors[0].message
    assert report.errors[0].identifier == "FAR-TOPIC-02"
