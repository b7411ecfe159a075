"""The scoring rules: category weights, eligibility, closed and forthcoming calls, ties."""

import datetime
import random

import pytest

from clusterbridge.core import history
from clusterbridge.funding.models import Instrument
from clusterbridge.matching import engine
from clusterbridge.matching.engine import Profile
from clusterbridge.taxonomy.models import Feature
from tests.matching.factories import make_instrument

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 1)


def ranked(profile, instruments, **kwargs):
    return engine.rank(profile, on=TODAY, instruments=[i.pk for i in instruments], **kwargs)


def names(matches):
    by_id = {i.pk: i.name for i in Instrument.objects.all()}
    return [by_id[m.instrument_id] for m in matches]


def test_a_shared_development_stage_outweighs_a_shared_technique():
    technique = make_instrument("AI grants", ["T1"])
    stage = make_instrument("Prototype vouchers", ["D2"])
    matches = ranked(Profile(frozenset({"T1", "D2"})), [technique, stage])
    assert names(matches) == ["Prototype vouchers", "AI grants"]
    assert [m.score for m in matches] == [0.75, 0.25]


def test_a_shared_general_activity_outweighs_a_shared_process_which_outweighs_a_technique():
    general = make_instrument("Export help", ["G1"])
    process = make_instrument("Cyber process", ["P12"])
    technique = make_instrument("Blockchain", ["T2"])
    profile = Profile(frozenset({"G1", "P12", "T2"}))
    matches = ranked(profile, [technique, process, general])
    assert names(matches) == ["Export help", "Cyber process", "Blockchain"]
    assert [m.points for m in matches] == [3, 2, 1]


def test_score_is_the_weighted_share_of_the_profile_covered():
    both = make_instrument("Both", ["T1", "D2"])
    (match,) = ranked(Profile(frozenset({"T1", "D2", "G1"})), [both])
    assert match.score == pytest.approx(4 / 7, abs=1e-4)
    assert match.percent == 57


def test_an_instrument_sharing_nothing_is_not_a_match():
    other = make_instrument("Unrelated", ["T12"])
    assert ranked(Profile(frozenset({"T1"})), [other]) == []


def test_national_instruments_only_for_their_own_country_international_for_all():
    lithuanian = make_instrument(
        "Lithuanian call", ["D2"], origin="national", cover_level="national", country="LT"
    )
    bavarian = make_instrument(
        "Bavarian call", ["D2"], origin="national", cover_level="regional", country="DE"
    )
    european = make_instrument("European call", ["D2"], origin="international", cover_level="eu")
    every = [lithuanian, bavarian, european]
    features = frozenset({"D2"})
    assert set(names(ranked(Profile(features, "LT"), every))) == {
        "Lithuanian call",
        "European call",
    }
    assert set(names(ranked(Profile(features, "DE"), every))) == {"Bavarian call", "European call"}
    assert names(ranked(Profile(features, "FR"), every)) == ["European call"]


def test_without_a_country_national_instruments_say_whom_they_are_for():
    lithuanian = make_instrument(
        "Lithuanian call", ["D2"], origin="national", cover_level="national", country="LT"
    )
    (match,) = ranked(Profile(frozenset({"D2"})), [lithuanian])
    assert "Only for applicants from Lithuania" in match.reasons


def test_closed_calls_never_appear_and_a_call_is_open_on_its_last_deadline():
    closed = make_instrument("Closed", ["D2"], deadlines=[TODAY - datetime.timedelta(days=1)])
    last_day = make_instrument("Last day", ["D2"], deadlines=[TODAY])
    assert names(ranked(Profile(frozenset({"D2"})), [closed, last_day])) == ["Last day"]
    # Even a perfect fit that has closed stays out.
    perfect_but_closed = make_instrument("Perfect", ["D2", "T1"], deadlines=["2020-01-01"])
    assert ranked(Profile(frozenset({"D2", "T1"})), [perfect_but_closed]) == []


def test_forthcoming_calls_are_shown_and_flagged():
    later = make_instrument(
        "Opens later",
        ["D2"],
        opening=TODAY + datetime.timedelta(days=30),
        deadlines=[TODAY + datetime.timedelta(days=90)],
    )
    (match,) = ranked(Profile(frozenset({"D2"})), [later])
    assert match.status == "forthcoming"
    assert match.opening_date == TODAY + datetime.timedelta(days=30)
    assert any(reason.startswith("Not open yet: opens on") for reason in match.reasons)


def test_ties_go_to_the_nearer_deadline_and_no_deadline_comes_last():
    far = make_instrument("Far", ["D2"], deadlines=[TODAY + datetime.timedelta(days=200)])
    none = make_instrument("Continuous", ["D2"])
    near = make_instrument(
        "Near",
        ["D2"],
        deadlines=[TODAY + datetime.timedelta(days=10), TODAY + datetime.timedelta(days=300)],
    )
    past_cutoff = make_instrument(
        "Next cut-off soon",
        ["D2"],
        deadlines=[TODAY - datetime.timedelta(days=5), TODAY + datetime.timedelta(days=3)],
    )
    matches = ranked(Profile(frozenset({"D2"})), [far, none, near, past_cutoff])
    assert names(matches) == ["Next cut-off soon", "Near", "Far", "Continuous"]
    assert matches[0].deadline == TODAY + datetime.timedelta(days=3)
    assert matches[-1].deadline is None


def test_a_better_score_beats_a_nearer_deadline():
    soon = make_instrument("Soon", ["T1"], deadlines=[TODAY])
    better = make_instrument("Better", ["T1", "D2"], deadlines=[TODAY.replace(year=2027)])
    assert names(ranked(Profile(frozenset({"T1", "D2"})), [soon, better])) == ["Better", "Soon"]


def test_the_explanation_names_shared_and_missing_features_and_the_deadline():
    instrument = make_instrument(
        "Explained", ["T1", "D2", "P12", "T5"], deadlines=[TODAY + datetime.timedelta(days=20)]
    )
    (match,) = ranked(Profile(frozenset({"P12", "D2", "T1", "G1"})), [instrument])
    assert match.shared == ["T1", "P12", "D2"]
    assert match.missing == ["G1"]
    assert match.reasons[0] == "Fits because: AI (ML), Cybersecurity, Prototype"
    assert match.reasons[1] == "Missing: Export support"
    assert match.reasons[2] == f"Next deadline: {(TODAY + datetime.timedelta(days=20)).isoformat()}"


def test_synthetic_and_deleted_instruments_are_left_out_unless_asked():
    synthetic = make_instrument("Synthetic", ["D2"], synthetic=True)
    deleted = make_instrument("Deleted", ["D2"])
    history.soft_delete(deleted)
    profile = Profile(frozenset({"D2"}))
    assert ranked(profile, [synthetic, deleted]) == []
    assert names(ranked(profile, [synthetic, deleted], include_synthetic=True)) == ["Synthetic"]


def test_the_index_follows_changes_to_instruments_and_their_features():
    instrument = make_instrument("Changing", ["T1"])
    profile = Profile(frozenset({"D2"}))
    assert ranked(profile, [instrument]) == []
    history.save(instrument, m2m={"features": list(Feature.objects.filter(code__in=["T1", "D2"]))})
    assert names(ranked(profile, [instrument])) == ["Changing"]
    instrument.deadline_dates = ["2020-01-01"]
    history.save(instrument)
    assert ranked(profile, [instrument]) == []


def test_limit_and_offset_page_through_the_same_ranking():
    made = [
        make_instrument(f"I{n}", ["D2"], deadlines=[TODAY + datetime.timedelta(days=n)])
        for n in range(1, 8)
    ]
    profile = Profile(frozenset({"D2"}))
    ids = [i.pk for i in made]
    full = engine.rank(profile, on=TODAY, instruments=ids)
    count, second_page = engine.search(profile, on=TODAY, instruments=ids, offset=3, limit=3)
    assert count == 7
    assert second_page == full[3:6]
    assert names(engine.rank(profile, on=TODAY, instruments=ids, limit=2)) == ["I1", "I2"]


def test_the_matrix_ranks_every_profile_as_rank_does():
    rng = random.Random(4)
    codes = list(Feature.objects.values_list("code", flat=True))
    for n in range(40):
        make_instrument(
            f"Random {n}",
            rng.sample(codes, rng.randint(1, 6)),
            origin=rng.choice(["national", "international"]),
            country=rng.choice(["LT", "FR", None]),
            deadlines=[TODAY + datetime.timedelta(days=rng.randint(-20, 60))],
        )
    profiles = [
        Profile(
            frozenset(rng.sample(codes, rng.randint(1, 8))), rng.choice(["LT", "FR", "DE", None])
        )
        for _ in range(30)
    ]
    matrix = engine.rank_many(profiles, on=TODAY, limit=7, block=8)
    assert any(matrix)
    for profile, row in zip(profiles, matrix, strict=True):
        assert row == engine.rank(profile, on=TODAY, limit=7)


def test_score_table_gives_each_eligible_pair():
    shared = make_instrument("Shared", ["D2"], origin="national", country="LT")
    profiles = [
        Profile(frozenset({"D2"}), "LT"),
        Profile(frozenset({"D2"}), "FR"),
        Profile(frozenset({"T1"}), "LT"),
    ]
    table = engine.score_table(profiles, [shared.pk], on=TODAY)
    assert set(table) == {(0, shared.pk)}
    assert table[(0, shared.pk)].score == 1.0


def test_the_index_sees_instruments_written_in_bulk():
    profile = Profile(frozenset({"D2"}))
    before = engine.search(profile, on=TODAY)[0]
    bulk = Instrument(
        name="Bulk call",
        origin="international",
        is_synthetic=False,
        deadline_dates=[(TODAY + datetime.timedelta(days=30)).isoformat()],
    )
    bulk.prepare_for_save()
    (bulk,) = Instrument.objects.bulk_create([bulk])
    bulk.features.through.objects.create(
        instrument_id=bulk.pk, feature_id=Feature.objects.get(code="D2").pk
    )
    count, matches = engine.search(profile, on=TODAY)
    assert count == before + 1
    assert bulk.pk in [m.instrument_id for m in matches]
