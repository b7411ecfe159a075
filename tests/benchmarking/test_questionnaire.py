"""A cluster's managers answer over several sittings, block by block, see their progress,
and submit once at least 80 % is answered; every write leaves a history entry."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from clusterbridge.benchmarking import services
from clusterbridge.benchmarking.models import Assessment
from clusterbridge.core import history
from tests.benchmarking.conftest import FULL, minalogic, mobile_heights


def test_a_new_assessment_is_prefilled_from_the_cluster_profile(people):
    cluster = mobile_heights()
    cluster.members_total, cluster.founding_year = 108, 2002
    cluster.save()
    assessment = services.start_assessment(cluster, people["manager"])
    assert assessment.answers["I-02"] == 108
    assert assessment.answers["I-01"] == 2002
    assert "I-02" in assessment.prefilled
    sectors = [t.label for t in cluster.sectors.all()]
    if sectors:
        assert assessment.answers["I-06"] == "; ".join(sectors)
    assert history.history_of(assessment).filter(action="create").exists()


def test_one_open_draft_per_cluster(draft, people):
    again = services.start_assessment(mobile_heights(), people["manager"])
    assert again.pk == draft.pk


def test_answers_saved_over_several_sittings_keep_each_other(draft, people):
    services.save_answers(draft, people["manager"], {"I-07": "30", "I-08": "20"})
    services.save_answers(draft, people["admin"], {"II-01": "0,5"})
    draft.refresh_from_db()
    assert draft.answers["I-07"] == 30
    assert draft.answers["II-01"] == 0.5
    assert history.history_of(draft).filter(action="update").count() == 2


@pytest.mark.parametrize(
    ("code", "raw", "message"),
    [
        ("I-07", "many", "Give a number"),
        ("I-07", "-3", "at least 0"),
        ("II-03", "120", "at most 100"),
        ("I-01", "1700", "Give a year between 1800"),
        ("I-09", "perhaps", "Answer yes or no"),
        ("V-01", "always", "is not one of the choices"),
        ("II-06", ["teleportation"], "Not one of the choices: teleportation"),
    ],
)
def test_each_answer_is_checked_against_its_type_and_range(draft, people, code, raw, message):
    before = dict(draft.answers)
    with pytest.raises(ValidationError) as error:
        services.save_answers(draft, people["manager"], {"I-08": "3", code: raw})
    assert message in " ".join(error.value.message_dict[code])
    draft.refresh_from_db()
    assert draft.answers == before  # nothing saved, not even the valid answer


def test_submit_refused_below_80_percent(draft, people):
    answers = dict(list(FULL.items())[:28])  # 28 of 36 = 78 %
    services.save_answers(draft, people["manager"], answers)
    draft.refresh_from_db()
    assert draft.completion < 0.8
    with pytest.raises(ValidationError, match="at least 80%"):
        services.submit(draft, people["manager"])
    assert Assessment.objects.get(pk=draft.pk).status == "draft"


def test_submit_at_80_percent(draft, people):
    answers = dict(list(FULL.items())[:29])  # 29 of 36 = 80.6 %
    services.save_answers(draft, people["manager"], answers)
    done = services.submit(draft, people["manager"])
    assert done.status == "submitted" and done.submitted_by == people["manager"]
    assert history.history_of(done).first().message == "Assessment submitted"
    with pytest.raises(ValidationError):
        services.save_answers(done, people["manager"], {"IV-01": "more"})


def test_another_clusters_manager_cannot_start_or_change(draft, people):
    with pytest.raises(PermissionDenied):
        services.start_assessment(mobile_heights(), people["other_manager"])
    with pytest.raises(PermissionDenied):
        services.save_answers(draft, people["other_manager"], {"I-07": 3})
    with pytest.raises(PermissionDenied):
        services.submit(draft, people["member"])
    assert services.start_assessment(minalogic(), people["other_manager"]).cluster == minalogic()


def test_answers_changed_meanwhile_by_someone_else_are_not_overwritten(draft, people):
    opened = draft.version
    services.save_answers(draft, people["admin"], {"I-07": 40})
    with pytest.raises(services.AnswerConflict) as conflict:
        services.save_answers(draft, people["manager"], {"I-07": 30}, version=opened)
    assert conflict.value.codes == ["I-07"]
    # Another question, answered from the same old page, is saved.
    services.save_answers(draft, people["manager"], {"I-08": 30}, version=opened)
    draft.refresh_from_db()
    assert draft.answers["I-07"] == 40 and draft.answers["I-08"] == 30


# Pages -------------------------------------------------------------------------------------
def test_the_block_page_saves_without_javascript_and_shows_progress(draft, signed_in):
    client = signed_in("manager")
    page = client.get(f"/benchmarking/assessments/{draft.pk}/blocks/I/")
    assert page.status_code == 200
    assert "Filled in from your cluster" in page.content.decode() or not draft.prefilled
    response = client.post(
        f"/benchmarking/assessments/{draft.pk}/blocks/I/",
        {"version": draft.version, "I-07": "30", "I-08": "20", "I-09": "yes", "next": "1"},
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"/benchmarking/assessments/{draft.pk}/blocks/II/")
    draft.refresh_from_db()
    assert draft.answers["I-09"] is True
    overview = client.get(f"/benchmarking/assessments/{draft.pk}/").content.decode()
    assert f"{round(draft.completion * 100)} % answered" in overview
    assert "of 9 answered" in overview  # block I's progress
    assert "disabled" in overview  # submit waits for 80 %


def test_the_block_page_shows_each_problem_and_saves_nothing(draft, signed_in):
    client = signed_in("manager")
    response = client.post(
        f"/benchmarking/assessments/{draft.pk}/blocks/II/",
        {"version": draft.version, "II-01": "lots", "II-02": "3"},
    )
    assert response.status_code == 400
    assert "Give a number, e.g. 12 or 0.5." in response.content.decode()
    draft.refresh_from_db()
    assert "II-02" not in draft.answers


def test_autosave_answers_with_json(draft, signed_in):
    client = signed_in("manager")
    response = client.post(
        f"/benchmarking/assessments/{draft.pk}/blocks/II/",
        {"version": draft.version, "II-01": "2"},
        headers={"X-Autosave": "1"},
    )
    assert response.status_code == 200
    assert response.json()["version"] == draft.version + 1
    bad = client.post(
        f"/benchmarking/assessments/{draft.pk}/blocks/II/",
        {"II-01": "x"},
        headers={"X-Autosave": "1"},
    )
    assert bad.status_code == 400 and "II-01" in bad.json()["errors"]


def test_submitting_from_the_page(draft, people, signed_in):
    client = signed_in("manager")
    services.save_answers(draft, people["manager"], {"I-07": 20})
    refused = client.post(f"/benchmarking/assessments/{draft.pk}/submit/", follow=True)
    assert "submitted once at least 80%" in refused.content.decode()
    services.save_answers(draft, people["manager"], FULL)
    response = client.post(f"/benchmarking/assessments/{draft.pk}/submit/")
    assert response["Location"].endswith(f"/benchmarking/assessments/{draft.pk}/report/")
