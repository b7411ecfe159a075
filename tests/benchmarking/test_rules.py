"""The rules of the report on hand-made answer sets: completion and the 80 % rule, the
life-cycle stages, each eligibility rule on its boundary, label readiness, the peer rule."""

import pytest

from clusterbridge.benchmarking import scoring
from clusterbridge.benchmarking.services import snapshot_indicators


@pytest.fixture
def specs(db):
    return snapshot_indicators()[1]


def states(answers):
    return {rule.key: rule.state for rule in scoring.eligibility(answers)}


def test_completion_counts_every_answered_question(specs):
    codes = [s["code"] for s in specs]
    assert scoring.completion(specs, {}) == 0
    some = dict.fromkeys(codes[:18], 1)
    assert scoring.completion(specs, some) == pytest.approx(18 / len(codes), abs=1e-4)
    assert scoring.completion(specs, {**some, codes[20]: ""}) == scoring.completion(specs, some)


def test_the_submit_share_is_the_seeds_80_percent():
    assert scoring.SUBMIT_SHARE == 0.8


@pytest.mark.parametrize(
    ("answers", "stage"),
    [
        ({"V-01": "none"}, "agglomeration"),
        ({"V-01": "sporadic", "V-02": True}, "emergence"),
        ({"V-01": "regular", "V-02": False, "V-03": False}, "emergence"),
        ({"V-01": "regular", "V-02": True}, "development"),
        ({"V-01": "regular", "V-03": True, "V-04": False}, "development"),
        ({"V-01": "regular", "V-02": True, "V-04": True, "V-05": True}, "maturity"),
        ({"V-01": "regular", "V-04": True, "V-06": True}, "maturity"),
        ({"V-01": "regular", "V-02": True, "V-07": True}, "transformation"),
        ({"V-01": "regular", "V-07": True, "V-08": True}, "transformation"),
        ({"V-01": "regular", "V-02": True, "V-04": True, "V-05": True, "V-08": True}, "decline"),
        ({}, ""),
    ],
)
def test_life_cycle_stage(specs, answers, stage):
    result = scoring.lifecycle_stage(specs, answers)
    assert result.code == stage
    if stage:
        # The answers that placed it are named, with their question.
        assert any(reason.startswith("V-") for reason in result.because)


def test_the_stage_names_the_answers_that_placed_it(specs):
    result = scoring.lifecycle_stage(specs, {"V-01": "sporadic"})
    assert result.because == [
        "V-01 How do the participants cooperate around their core activities? — "
        "Sporadically, between specific enterprises"
    ]


@pytest.mark.parametrize(("fte", "state"), [(0.49, "not met"), (0.5, "met"), (None, "unknown")])
def test_management_of_at_least_half_a_full_time_equivalent(fte, state):
    answers = {} if fte is None else {"II-01": fte}
    assert states(answers)["management"] == state


@pytest.mark.parametrize(("count", "state"), [(14, "not met"), (15, "met")])
def test_at_least_15_committed_participants(count, state):
    assert states({"I-07": count})["participants"] == state


@pytest.mark.parametrize(("private", "state"), [(10, "not met"), (11, "met"), (None, "unknown")])
def test_a_private_sector_majority(private, state):
    answers = {"I-07": 20} if private is None else {"I-07": 20, "I-08": private}
    assert states(answers)["private_majority"] == state


@pytest.mark.parametrize(("count", "state"), [(4, "not met"), (5, "met")])
def test_at_least_5_services_in_the_past_year(count, state):
    assert states({"II-07": count})["services"] == state


@pytest.mark.parametrize(("count", "state"), [(1, "not met"), (2, "met")])
def test_at_least_2_strategic_priority_areas(count, state):
    assert states({"II-08": count})["areas"] == state


@pytest.mark.parametrize(("listed", "state"), [(True, "met"), (False, "not met")])
def test_listed_on_the_eccp(listed, state):
    assert states({"I-09": listed})["eccp"] == state


def test_each_rule_cites_seed_003():
    for rule in scoring.eligibility({}):
        assert rule.source["document"].startswith("003_")
        assert 166 <= rule.source["lines"][0] <= 168


ELIGIBLE = {"II-01": 1, "I-07": 20, "I-08": 15, "II-07": 6, "II-08": 2, "I-09": True}


def test_readiness_not_eligible_lists_the_failing_rule_as_a_next_step(specs):
    answers = {**ELIGIBLE, "I-07": 14}
    result = scoring.readiness(specs, answers, scoring.eligibility(answers))
    assert result.eligible is False
    assert result.level == "Not eligible yet"
    assert any("14 committed participants, fewer than 15" in step for step in result.next_steps)


def test_readiness_unknown_until_the_rules_are_answered(specs):
    result = scoring.readiness(specs, {}, scoring.eligibility({}))
    assert result.eligible is None
    assert result.level == "Not known yet"


def test_readiness_eligible_with_a_low_score_is_bronze_first(specs):
    answers = dict(ELIGIBLE)
    result = scoring.readiness(specs, answers, scoring.eligibility(answers))
    assert result.eligible is True
    assert result.level == "Eligible; Bronze is the first step"
    assert "platform's choice" in result.explanation
    # Governance and strategy questions not answered are the next steps.
    assert any(
        step.startswith("III-03") and step.endswith("not answered yet")
        for step in result.next_steps
    )


def test_readiness_eligible_with_a_gold_level_score(specs):
    answers = {
        **ELIGIBLE,
        "II-06": [c["value"] for c in next(s for s in specs if s["code"] == "II-06")["choices"]],
        "II-09": True,
        **{f"III-0{n}": True for n in range(1, 7)},
    }
    result = scoring.readiness(specs, answers, scoring.eligibility(answers))
    assert result.score >= 80
    assert result.level == "Eligible; Gold-level score"
    assert result.next_steps == []


@pytest.mark.parametrize(
    ("own", "position"),
    [(90, "champion"), (80, "champion"), (50, "pioneer"), (30, "pioneer"), (10, "struggler")],
)
def test_peer_position_rule(own, position):
    # 8 peers: below 80 are 6 of 8 (75 %): champion; below 10 none: struggler.
    peers = [20, 25, 40, 45, 55, 60, 85, 95]
    assert scoring.position(own, peers) == position


def test_ties_count_half():
    assert scoring.position(50, [50, 50, 50, 50]) == "pioneer"


def test_size_bands_follow_annex_1():
    assert scoring.size_band({"I-02": 50}) == "small"
    assert scoring.size_band({"I-02": 51}) == "growing"
    assert scoring.size_band({"I-02": 100}) == "growing"
    assert scoring.size_band({"I-02": 101}) == "large"
    assert scoring.size_band({}) == ""
