"""Self-registration and manager edits reviewed by administrators (seed 000 L255–261)."""

import pytest
from django.core import mail

from clusterbridge.clusters import services
from clusterbridge.clusters.models import ChangeRequest, Cluster, ClusterManager, Status
from clusterbridge.core import history
from tests.clusters.helpers import form_data, new_cluster_data

pytestmark = pytest.mark.django_db


def actions(obj) -> list[str]:
    return list(history.history_of(obj).order_by("time", "id").values_list("action", flat=True))


def test_a_proposal_is_invisible_until_approved(client_for, users, api_client_for):
    bob = client_for("member")
    response = bob.post("/clusters/register/", new_cluster_data())
    cluster = Cluster.objects.get(name="Adriatic Drone Cluster")
    assert response.status_code == 302 and response.url == f"/clusters/{cluster.slug}/"
    assert cluster.status == Status.PENDING and cluster.submitted_by == users["member"]
    assert list(cluster.ecosystems.values_list("code", flat=True)) == ["aerospace-defence"]
    assert cluster.domains == ["drones", "agriculture"]

    anonymous = client_for("anonymous")
    assert anonymous.get(f"/clusters/{cluster.slug}/").status_code == 404
    assert "Adriatic" not in anonymous.get("/clusters/?country=HR").content.decode()
    assert api_client_for("anonymous").get(f"/api/v1/clusters/{cluster.slug}/").status_code == 404
    assert "Pending review" in bob.get(f"/clusters/{cluster.slug}/").content.decode()

    alice = client_for("admin")
    queue = alice.get("/clusters/moderation/").content.decode()
    assert "Registration: " in queue and "Adriatic Drone Cluster" in queue
    response = alice.post(f"/clusters/moderation/registration/{cluster.pk}/approve/")
    assert response.status_code == 302
    cluster.refresh_from_db()
    assert cluster.status == Status.PUBLISHED
    assert "Adriatic Drone Cluster" in anonymous.get("/clusters/?country=HR").content.decode()
    assert anonymous.get(f"/clusters/{cluster.slug}/").status_code == 200
    assert actions(cluster) == ["create", "submit", "approve"]
    assert mail.outbox[-1].to == [users["member"].email] and "published" in mail.outbox[-1].subject
    # Who registered the cluster manages it.
    assert cluster.is_managed_by(users["member"])
    assert "Adriatic" not in alice.get("/clusters/moderation/").content.decode()


def test_a_rejection_needs_a_reason_which_is_mailed(client_for, users):
    cluster = services.propose(users["member"], {"name": "Rejected Cluster Ypsilon"})
    alice = client_for("admin")
    alice.post(f"/clusters/moderation/registration/{cluster.pk}/reject/", {"reason": "  "})
    cluster.refresh_from_db()
    assert cluster.status == Status.PENDING and not mail.outbox
    alice.post(
        f"/clusters/moderation/registration/{cluster.pk}/reject/",
        {"reason": "No cluster organisation behind it."},
    )
    cluster.refresh_from_db()
    assert cluster.status == Status.DRAFT
    assert client_for("anonymous").get(f"/clusters/{cluster.slug}/").status_code == 404
    assert "No cluster organisation behind it." in mail.outbox[-1].body
    assert history.history_of(cluster).first().action == "reject"
    assert history.history_of(cluster).first().message == "No cluster organisation behind it."


def test_a_duplicate_name_is_refused(client_for):
    response = client_for("member").post(
        "/clusters/register/", new_cluster_data(name="mobile heights")
    )
    assert response.status_code == 200
    assert "is already listed" in response.content.decode()
    assert Cluster.objects.filter(name="mobile heights").count() == 0


def test_a_managers_change_waits_then_rejection_leaves_the_profile_unchanged(
    client_for, users, managed
):
    before = managed.description
    mona = client_for("manager")
    response = mona.post(
        "/clusters/mobile-heights/edit/",
        form_data(
            managed, description="A new description.", members_total="120", ecosystems=["digital"]
        ),
    )
    assert response.status_code == 302
    managed.refresh_from_db()
    assert managed.description == before and managed.members_total is None
    change = ChangeRequest.objects.get()
    assert change.changes == {
        "description": "A new description.",
        "members_total": 120,
        "ecosystems": ["digital"],
    }
    assert change.original["description"] == before
    assert change.original["ecosystems"] == []  # its ecosystems are only suggested

    alice = client_for("admin")
    queue = alice.get("/clusters/moderation/").content.decode()
    assert "A new description." in queue and "Members total" in queue  # the difference
    assert '<td class="new" data-label="Proposed">Digital</td>' in queue
    alice.post(f"/clusters/moderation/change/{change.pk}/reject/", {"reason": "Not sourced."})
    change.refresh_from_db()
    managed.refresh_from_db()
    assert change.status == "rejected" and change.decided_by == users["admin"]
    assert managed.description == before and managed.members_total is None
    assert not managed.ecosystems.exists()  # unchanged: only suggestions, no facts
    assert "Not sourced." in mail.outbox[-1].body and mail.outbox[-1].to == [users["manager"].email]
    assert actions(change) == ["submit", "reject"]


def test_an_approved_change_is_published_with_its_history(client_for, users, managed):
    client_for("manager").post(
        "/clusters/mobile-heights/edit/", form_data(managed, mission="Connect the digital world.")
    )
    change = ChangeRequest.objects.get()
    client_for("admin").post(f"/clusters/moderation/change/{change.pk}/approve/")
    managed.refresh_from_db()
    assert managed.mission == "Connect the digital world."
    assert managed.sources_of("mission")[0]["user"] == "mona"
    last = history.history_of(managed).first()
    assert last.action == "approve" and last.user == users["admin"]
    assert last.before["mission"] == "" and last.after["mission"] == "Connect the digital world."
    page = client_for("anonymous").get("/clusters/mobile-heights/").content.decode()
    assert "Connect the digital world." in page


def test_an_unchanged_form_makes_no_request(client_for, managed):
    response = client_for("manager").post("/clusters/mobile-heights/edit/", form_data(managed))
    assert "Nothing was changed." in response.content.decode()
    assert not ChangeRequest.objects.exists()


def test_a_trusted_managers_change_is_applied_at_once(client_for, users, mobile_heights):
    services.grant_manager(mobile_heights, users["admin"], users["manager"], trusted=True)
    client_for("manager").post(
        "/clusters/mobile-heights/edit/", form_data(mobile_heights, city="Malmö")
    )
    mobile_heights.refresh_from_db()
    assert mobile_heights.city == "Malmö" and not ChangeRequest.objects.exists()
    assert history.history_of(mobile_heights).first().user == users["manager"]


def test_the_queue_lists_oldest_first(users, managed):
    first = services.propose(users["member"], {"name": "First Cluster Omega"})
    services.submit_change(managed, users["manager"], {"city": "Malmö"})
    services.claim(Cluster.objects.get(name="Minalogic"), users["editor"], "I run it.")
    kinds = [kind for kind, _, _ in services.moderation_queue()]
    assert kinds == ["registration", "change", "claim"]
    assert services.moderation_queue()[0][2] == first


def test_a_claim_approved_lets_the_person_edit(client_for, users):
    minalogic = Cluster.objects.get(name="Minalogic")
    bob = client_for("member")
    bob.post("/clusters/minalogic/claim/", {"message": "I am its director of operations."})
    link = ClusterManager.objects.get(cluster=minalogic, user=users["member"])
    assert not link.approved and not minalogic.is_managed_by(users["member"])
    assert bob.get("/clusters/minalogic/edit/").status_code == 403
    client_for("admin").post(f"/clusters/moderation/claim/{link.pk}/approve/")
    assert minalogic.is_managed_by(users["member"])
    assert bob.get("/clusters/minalogic/edit/").status_code == 200
    assert actions(link) == ["submit", "approve"]


def test_a_rejected_claim_gives_no_rights(client_for, users):
    minalogic = Cluster.objects.get(name="Minalogic")
    link = services.claim(minalogic, users["member"], "Me")
    client_for("admin").post(
        f"/clusters/moderation/claim/{link.pk}/reject/", {"reason": "Unknown to the cluster."}
    )
    assert not minalogic.is_managed_by(users["member"])
    assert "Unknown to the cluster." in mail.outbox[-1].body


def test_a_manager_invites_a_colleague_by_e_mail(client_for, users, managed):
    mona = client_for("manager")
    mona.post("/clusters/mobile-heights/invite/", {"user": users["editor"].email})
    link = ClusterManager.objects.get(cluster=managed, user=users["editor"])
    assert link.role == "co-manager" and link.approved and link.invited_by == users["manager"]
    assert managed.is_managed_by(users["editor"])
    assert users["editor"].email in mail.outbox[-1].to
    response = mona.post(
        "/clusters/mobile-heights/invite/", {"user": "nobody@example.org"}, follow=True
    )
    assert "No single account" in response.content.decode()
    assert ClusterManager.objects.filter(cluster=managed).count() == 2


def test_the_proposer_fixes_a_rejected_registration_and_sends_it_again(client_for, users):
    cluster = services.propose(users["member"], {"name": "Second Try Cluster", "country": "PT"})
    services.reject(cluster, users["admin"], "Add a description.")
    bob = client_for("member")
    cluster.refresh_from_db()
    response = bob.post(
        f"/clusters/{cluster.slug}/edit/",
        form_data(cluster, description="Moulds and plastics in Leiria."),
    )
    assert response.status_code == 302
    cluster.refresh_from_db()
    assert cluster.description == "Moulds and plastics in Leiria."  # not public: no request
    assert not ChangeRequest.objects.exists()
    bob.post(f"/clusters/{cluster.slug}/resubmit/")
    cluster.refresh_from_db()
    assert cluster.status == Status.PENDING
    assert actions(cluster) == ["create", "submit", "reject", "update", "submit"]
    assert client_for("anonymous").get(f"/clusters/{cluster.slug}/").status_code == 404


def test_the_history_panel_is_for_managers_and_administrators(client_for, managed):
    for role, shown in (
        ("anonymous", False),
        ("member", False),
        ("manager", True),
        ("admin", True),
    ):
        html = client_for(role).get("/clusters/mobile-heights/").content.decode()
        assert ("loaded from reference data" in html) is shown, role


def test_a_cluster_cannot_take_the_slug_of_a_directory_page(users):
    cluster = services.propose(users["member"], {"name": "Landscape"})
    assert cluster.slug == "landscape-2"


def test_api_claim_invite_and_manager_link(api_client_for, users, managed):
    response = api_client_for("manager").post(
        "/api/v1/clusters/mobile-heights/invite/", {"user": "nobody"}, format="json"
    )
    assert response.status_code == 400 and "user" in response.json()
    response = api_client_for("admin").post(
        "/api/v1/clusters/minalogic/managers/", {"user": "bob", "role": "boss"}, format="json"
    )
    assert response.status_code == 400 and "role" in response.json()
    response = api_client_for("member").post(
        "/api/v1/clusters/minalogic/claim/", {"message": "Director"}, format="json"
    )
    assert response.status_code == 201 and response.json()["approved"] is False
