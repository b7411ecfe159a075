"""/clusters/classifications/: every pending classification suggestion on one page, for
editors (all clusters) and a cluster's managers (their own cluster only), confirmed or
rejected in bulk through the same service as the profile's buttons, with history."""

import pytest

from clusterbridge.clusters.models import Classification, Cluster
from clusterbridge.core import history

pytestmark = pytest.mark.django_db

URL = "/clusters/classifications/"
DECIDE = "/clusters/classifications/decide/"


def pending_ids(page) -> set[int]:
    return {c.pk for c in page.context["page"]}


def ni_cyber() -> Cluster:
    return Cluster.objects.get(name__startswith="NI Cyber")


def test_editors_see_every_pending_suggestion_with_its_evidence(client_for):
    response = client_for("editor").get(URL, {"vocabulary": "sectors"})
    assert response.status_code == 200
    law = ni_cyber().classifications.get(term__vocabulary="sectors", term__code="law")
    assert response.context["total"] == (
        Classification.objects.suggested().filter(term__vocabulary="sectors").count()
    )
    everything = client_for("editor").get(URL, {"page": 1, "cluster": ni_cyber().slug})
    assert law.pk in pending_ids(everything)
    page = everything.content.decode()
    assert f'value="{law.pk}"' in page and "Because: “" in page
    # Stated and decided classifications are not on the page.
    assert all(c.state == "suggested" for c in everything.context["page"])


def test_a_manager_sees_and_decides_only_their_own_clusters_suggestions(client_for, managed, users):
    mona = client_for("manager")
    response = mona.get(URL)
    assert response.status_code == 200
    shown = set(response.context["page"].paginator.object_list.values_list("cluster", flat=True))
    assert shown == {managed.pk}
    own = managed.classifications.suggested().first()
    foreign = ni_cyber().classifications.suggested().first()
    # Someone else's cluster is refused (and stays suggested); their own is confirmed.
    response = mona.post(DECIDE, {"decision": "confirm", "classification": [own.pk, foreign.pk]})
    assert response.status_code == 302
    own.refresh_from_db(), foreign.refresh_from_db()
    assert own.state == "confirmed" and own.decided_by == users["manager"]
    assert foreign.state == "suggested"
    assert own.term in getattr(managed, own.field).all()
    assert history.history_of(managed).filter(message__contains="confirmed").exists()


def test_people_who_manage_nothing_are_refused(client_for):
    assert client_for("member").get(URL).status_code == 403
    assert client_for("member").post(DECIDE, {"decision": "reject"}).status_code == 302
    assert client_for("anonymous").get(URL).status_code == 302  # to sign in


def test_an_editor_rejects_in_bulk_with_history_and_bad_input_changes_nothing(client_for, users):
    editor = client_for("editor")
    chosen = list(ni_cyber().classifications.suggested()[:2])
    assert len(chosen) == 2
    ids = [c.pk for c in chosen]
    editor.post(DECIDE, {"decision": "maybe", "classification": ids})
    assert Classification.objects.filter(pk__in=ids, state="suggested").count() == 2
    response = editor.post(DECIDE, {"decision": "reject", "classification": ids}, follow=True)
    assert "2 suggestion(s) rejected." in response.content.decode()
    for c in chosen:
        c.refresh_from_db()
        assert c.state == "rejected" and c.decided_by == users["editor"]
        assert history.history_of(c).exists()
    # Deciding them again is reported, not done twice.
    response = editor.post(DECIDE, {"decision": "confirm", "classification": ids}, follow=True)
    assert "2 not confirmed" in response.content.decode()
    assert not Classification.objects.filter(pk__in=ids).exclude(state="rejected").exists()


def test_an_unknown_vocabulary_is_a_field_error(client_for):
    response = client_for("editor").get(URL, {"vocabulary": "colours"})
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()


def test_the_page_reads_a_constant_number_of_queries(
    client_for, managed, django_assert_max_num_queries
):
    editor, mona = client_for("editor"), client_for("manager")
    assert Classification.objects.suggested().count() > 20
    with django_assert_max_num_queries(8):
        editor.get(URL)
    with django_assert_max_num_queries(9):
        mona.get(URL)
