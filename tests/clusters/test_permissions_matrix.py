"""Every write of the cluster catalogue, tried by every role on the pages and the API; only
the allowed roles change data. The manager `mona` manages Mobile Heights (untrusted)."""

import pytest

from clusterbridge.clusters import services
from clusterbridge.clusters.models import ChangeRequest, Cluster, ClusterManager, Status
from tests.clusters.helpers import form_data, new_cluster_data
from tests.matrix import ROLES, WriteCase, check_write

pytestmark = pytest.mark.django_db

EVERYONE_SIGNED_IN = {"member", "editor", "manager", "admin"}


def _mobile():
    return Cluster.objects.get(slug="mobile-heights")


def _link_manager(users):
    services.grant_manager(_mobile(), users["admin"], users["manager"])


def _pending(users):
    _link_manager(users)
    services.propose(users["member"], {"name": "Pending Cluster Kappa"})


def _rejected(users):
    _pending(users)
    services.reject(_kappa(), users["admin"], "Incomplete")


def _pending_change(users):
    _link_manager(users)
    services.submit_change(_mobile(), users["manager"], {"city": "Malmö"})


def _pending_claim(users):
    services.claim(Cluster.objects.get(name="Minalogic"), users["editor"], "I run it")


def _kappa():
    return Cluster.all_objects.get(name="Pending Cluster Kappa")


def _change():
    return ChangeRequest.objects.get()


def _claim():
    return ClusterManager.all_objects.get(user__username="erin")


def _api_json(method, url, data):
    return lambda client_: getattr(client_, method)(url, data, format="json")


CASES = [
    WriteCase(
        "propose a cluster (page)",
        lambda c: c.post("/clusters/register/", new_cluster_data()),
        lambda: Cluster.all_objects.filter(name="Adriatic Drone Cluster").exists(),
        allowed=EVERYONE_SIGNED_IN,
    ),
    WriteCase(
        "edit a cluster (page)",
        lambda c: c.post("/clusters/mobile-heights/edit/", form_data(_mobile(), city="Malmö")),
        lambda: ChangeRequest.objects.exists() or _mobile().city == "Malmö",
        allowed={"manager", "admin"},
        prepare=_link_manager,
    ),
    WriteCase(
        "approve a registration (page)",
        lambda c: c.post(f"/clusters/moderation/registration/{_kappa().pk}/approve/"),
        lambda: _kappa().status == Status.PUBLISHED,
        allowed={"admin"},
        prepare=_pending,
    ),
    WriteCase(
        "reject a registration (page)",
        lambda c: c.post(
            f"/clusters/moderation/registration/{_kappa().pk}/reject/", {"reason": "No"}
        ),
        lambda: _kappa().status == Status.DRAFT,
        allowed={"admin"},
        prepare=_pending,
    ),
    WriteCase(
        "approve a change request (page)",
        lambda c: c.post(f"/clusters/moderation/change/{_change().pk}/approve/"),
        lambda: _mobile().city == "Malmö",
        allowed={"admin"},
        prepare=_pending_change,
    ),
    WriteCase(
        "reject a change request (page)",
        lambda c: c.post(f"/clusters/moderation/change/{_change().pk}/reject/", {"reason": "No"}),
        lambda: _change().status == "rejected",
        allowed={"admin"},
        prepare=_pending_change,
    ),
    WriteCase(
        "approve a claim (page)",
        lambda c: c.post(f"/clusters/moderation/claim/{_claim().pk}/approve/"),
        lambda: _claim().approved,
        allowed={"admin"},
        prepare=_pending_claim,
    ),
    WriteCase(
        "claim a profile (page)",
        lambda c: c.post("/clusters/minalogic/claim/", {"message": "I run it"}),
        lambda: ClusterManager.all_objects.filter(cluster__name="Minalogic").exists(),
        allowed=EVERYONE_SIGNED_IN,
    ),
    WriteCase(
        "invite a co-manager (page)",
        lambda c: c.post("/clusters/mobile-heights/invite/", {"user": "erin"}),
        lambda: ClusterManager.objects.filter(user__username="erin").exists(),
        # erin (the editor) cannot add herself: she does not manage the cluster.
        allowed={"manager", "admin"},
        prepare=_link_manager,
    ),
    WriteCase(
        "link a manager (page)",
        lambda c: c.post("/clusters/minalogic/managers/", {"user": "bob", "role": "owner"}),
        lambda: ClusterManager.objects.filter(user__username="bob").exists(),
        allowed={"admin"},
    ),
    WriteCase(
        "propose a cluster (API)",
        _api_json("post", "/api/v1/clusters/", {"name": "Api Cluster Lambda", "country": "FR"}),
        lambda: Cluster.all_objects.filter(name="Api Cluster Lambda").exists(),
        allowed=EVERYONE_SIGNED_IN,
    ),
    WriteCase(
        "edit a cluster (API)",
        _api_json("patch", "/api/v1/clusters/mobile-heights/", {"city": "Malmö"}),
        lambda: ChangeRequest.objects.exists() or _mobile().city == "Malmö",
        allowed={"manager", "admin"},
        prepare=_link_manager,
    ),
    WriteCase(
        "approve a registration (API)",
        lambda c: c.post(f"/api/v1/clusters/{_kappa().slug}/approve/"),
        lambda: _kappa().status == Status.PUBLISHED,
        allowed={"admin"},
        prepare=_pending,
    ),
    WriteCase(
        "approve a change request (API)",
        lambda c: c.post(f"/api/v1/clusters/mobile-heights/changes/{_change().pk}/approve/"),
        lambda: _mobile().city == "Malmö",
        allowed={"admin"},
        prepare=_pending_change,
    ),
    WriteCase(
        "claim a profile (API)",
        _api_json("post", "/api/v1/clusters/minalogic/claim/", {"message": "I run it"}),
        lambda: ClusterManager.all_objects.filter(cluster__name="Minalogic").exists(),
        allowed=EVERYONE_SIGNED_IN,
    ),
    WriteCase(
        "invite a co-manager (API)",
        _api_json("post", "/api/v1/clusters/mobile-heights/invite/", {"user": "erin"}),
        lambda: ClusterManager.objects.filter(user__username="erin").exists(),
        allowed={"manager", "admin"},
        prepare=_link_manager,
    ),
    WriteCase(
        "link a manager (API)",
        _api_json("post", "/api/v1/clusters/minalogic/managers/", {"user": "bob"}),
        lambda: ClusterManager.objects.filter(user__username="bob").exists(),
        allowed={"admin"},
    ),
    WriteCase(
        "resubmit a rejected registration (page)",
        lambda c: c.post(f"/clusters/{_kappa().slug}/resubmit/"),
        lambda: _kappa().status == Status.PENDING,
        # bob proposed it; the administrator may too. Others do not even see it.
        allowed={"member", "admin"},
        prepare=_rejected,
    ),
    WriteCase(
        "reject a change request (API)",
        lambda c: c.post(
            f"/api/v1/clusters/mobile-heights/changes/{_change().pk}/reject/",
            {"reason": "No"},
            format="json",
        ),
        lambda: _change().status == "rejected",
        allowed={"admin"},
        prepare=_pending_change,
    ),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", CASES, ids=repr)
def test_write_permissions(case, role, users, client_for, api_client_for):
    factory = api_client_for if "(API)" in case.name else client_for
    check_write(case, role, users, factory)


def test_api_manager_edit_becomes_a_change_request_and_admin_edit_applies(api_client_for, users):
    _link_manager(users)
    response = api_client_for("manager").patch(
        "/api/v1/clusters/mobile-heights/",
        {"city": "Malmö", "ecosystems": ["digital"]},
        format="json",
    )
    assert response.status_code == 202
    assert response.json()["changes"] == {"city": "Malmö", "ecosystems": ["digital"]}
    assert _mobile().city == "Lund"
    response = api_client_for("admin").patch(
        "/api/v1/clusters/mobile-heights/", {"city": "Malmö"}, format="json"
    )
    assert response.status_code == 200 and response.json()["city"] == "Malmö"


def test_api_bad_input_says_what_was_wrong(api_client_for, users):
    _link_manager(users)
    api = api_client_for("manager")
    response = api.patch(
        "/api/v1/clusters/mobile-heights/", {"ecosystems": ["moon-base"]}, format="json"
    )
    assert response.status_code == 400 and "ecosystems" in response.json()
    response = api.patch("/api/v1/clusters/mobile-heights/", {"city": "Lund"}, format="json")
    assert response.status_code == 400 and "Nothing was changed." in str(response.json())
    admin = api_client_for("admin")
    assert (
        admin.post(
            "/api/v1/clusters/mobile-heights/changes/999/reject/", {"reason": "x"}, format="json"
        ).status_code
        == 404
    )
    change = services.submit_change(_mobile(), users["manager"], {"city": "Malmö"})
    response = admin.post(
        f"/api/v1/clusters/mobile-heights/changes/{change.pk}/reject/", {}, format="json"
    )
    assert response.status_code == 400 and "reason" in response.json()
    assert _change().status == "pending"
