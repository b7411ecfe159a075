"""The service functions every page and API call goes through: who may do what, what is
validated, what the history records and who is mailed."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from clusterbridge.core.history import history_of
from clusterbridge.organisations import services
from clusterbridge.organisations.models import ClusterMembership, Membership, Organisation
from clusterbridge.taxonomy.models import Term
from tests.conftest import make_user
from tests.organisations.conftest import (
    acme,
    membership,
    minalogic,
    mobile_heights,
    organisation_values,
)

pytestmark = pytest.mark.django_db


def test_the_creator_is_the_first_owner_and_both_writes_are_in_the_history(users):
    organisation = acme()
    owner = membership("olga")
    assert owner.role == "owner" and owner.status == "active"
    assert [c.action for c in history_of(organisation)] == ["create"]
    assert history_of(organisation).get().after["name"] == "Acme Robotics"
    assert sorted(history_of(organisation).get().after["features"]) == ["D2", "T1"]
    assert [c.action for c in history_of(owner)] == ["create"]
    assert organisation.slug == "acme-robotics"


def test_an_unverified_or_anonymous_person_cannot_create(users):
    from django.contrib.auth.models import AnonymousUser

    for person in (users["unverified"], AnonymousUser()):
        with pytest.raises(PermissionDenied):
            services.create_organisation(person, organisation_values(name="Gamma"))
    assert not Organisation.all_objects.filter(name="Gamma").exists()


def test_the_same_name_in_the_same_country_is_refused_with_a_pointer(users):
    with pytest.raises(ValidationError) as error:
        services.create_organisation(users["admin"], organisation_values(name="ACME robotics"))
    assert "“Acme Robotics” in Sweden is already on ClusterBridge" in str(error.value)
    # Another country is another organisation.
    other = services.create_organisation(
        users["admin"], organisation_values(name="Acme Robotics", country=None)
    )
    assert other.slug == "acme-robotics-2"


def test_bad_values_change_nothing_and_name_the_field(users):
    wrong = list(Term.objects.filter(vocabulary="sectors", code="energy"))
    with pytest.raises(ValidationError) as error:
        services.update_organisation(
            acme(), users["owner"], {"ecosystems": wrong, "website": "not a url", "type": "pirate"}
        )
    assert set(error.value.message_dict) == {"ecosystems", "website", "type"}
    assert acme().website == "https://acme.example"
    assert len(history_of(acme())) == 1


def test_control_characters_never_enter_a_record(users):
    services.update_organisation(acme(), users["owner"], {"description": "Bell\x07 rings\x00"})
    assert acme().description == "Bell rings"


def test_an_update_writes_only_the_fields_given(users):
    services.update_organisation(acme(), users["owner"], {"region": "Scania"})
    organisation = acme()
    assert organisation.region == "Scania" and organisation.size == "10-49"
    assert sorted(organisation.features.values_list("code", flat=True)) == ["D2", "T1"]
    change = history_of(organisation).first()
    assert change.action == "update" and [f for f, _, _ in change.diff()] == ["region"]


def test_only_owners_and_administrators_update_or_delete(users):
    for role in ("member", "other_owner", "manager", "unverified"):
        with pytest.raises(PermissionDenied):
            services.update_organisation(acme(), users[role], {"region": "X"})
        with pytest.raises(PermissionDenied):
            services.delete_organisation(acme(), users[role])
    services.update_organisation(acme(), users["admin"], {"region": "By admin"})
    services.delete_organisation(acme(), users["owner"])
    assert acme().is_deleted and history_of(acme()).first().action == "delete"
    assert not Organisation.objects.filter(name="Acme Robotics").exists()


def test_join_request_mails_the_owners_and_the_decision_mails_the_requester(
    users, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        request = services.request_to_join(acme(), users["manager"], "I run the lab.")
    assert request.status == "pending" and request.role == "member"
    assert [m.to for m in mail.outbox] == [["olga@example.org"]]
    assert "I run the lab." in mail.outbox[0].body
    assert "/organisations/acme-robotics/members/" in mail.outbox[0].body
    with django_capture_on_commit_callbacks(execute=True):
        services.decline_request(request, users["owner"], "We do not know you.")
    assert mail.outbox[1].to == ["mona@example.org"]
    assert "We do not know you." in mail.outbox[1].body
    assert membership("mona").status == "declined"
    # A declined person may ask again after a week; an approval makes them a member.
    with pytest.raises(ValidationError, match="you can ask again from"):
        services.request_to_join(acme(), users["manager"])
    with time_machine.travel(timezone.now() + datetime.timedelta(days=8)):
        again = services.request_to_join(acme(), users["manager"])
        with django_capture_on_commit_callbacks(execute=True):
            services.approve_request(again, users["owner"])
    assert membership("mona").status == "active"
    assert "approved" in mail.outbox[-1].body
    assert [c.action for c in history_of(again)][:4] == ["approve", "submit", "reject", "submit"]


def test_mail_is_not_sent_when_the_change_is_rolled_back(users, django_capture_on_commit_callbacks):
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                services.request_to_join(acme(), users["manager"])
                raise RuntimeError("something later failed")
        except RuntimeError:
            pass
    assert callbacks == [] and mail.outbox == []
    assert not Membership.all_objects.filter(user=users["manager"]).exists()


def test_a_second_request_or_a_member_asking_again_is_refused(users):
    services.request_to_join(acme(), users["manager"])
    with pytest.raises(ValidationError, match="already waiting"):
        services.request_to_join(acme(), users["manager"])
    with pytest.raises(ValidationError, match="already a member"):
        services.request_to_join(acme(), users["member"])
    with pytest.raises(PermissionDenied):
        services.request_to_join(acme(), users["unverified"])


def test_only_an_owner_decides_on_requests(users):
    request = services.request_to_join(acme(), users["manager"])
    for role in ("member", "other_owner", "manager"):
        with pytest.raises(PermissionDenied):
            services.approve_request(request, users[role])
    services.approve_request(request, users["admin"])
    with pytest.raises(ValidationError, match="already decided"):
        services.decline_request(request, users["owner"])


def test_the_last_owner_cannot_leave_or_be_demoted_or_removed(users):
    owner = membership("olga")
    with pytest.raises(ValidationError, match="last owner"):
        services.leave(acme(), users["owner"])
    with pytest.raises(ValidationError, match="at least one owner"):
        services.set_role(owner, users["owner"], "member")
    with pytest.raises(ValidationError, match="at least one owner"):
        services.remove_member(owner, users["admin"])
    assert membership("olga").is_active_owner


def test_an_owner_promotes_a_member_then_leaves(users, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.set_role(membership("mel"), users["owner"], "owner")
    assert mail.outbox[-1].to == ["mel@example.org"]
    services.leave(acme(), users["owner"])
    assert membership("olga").is_deleted
    assert acme().is_owned_by(users["member"]) and not acme().has_member(users["owner"])
    # Now mel is the last owner.
    with pytest.raises(ValidationError, match="last owner"):
        services.leave(acme(), users["member"])


def test_an_owner_removes_a_member_who_can_ask_again_later(
    users, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.remove_member(membership("mel"), users["owner"])
    assert membership("mel").is_deleted and mail.outbox[-1].to == ["mel@example.org"]
    with pytest.raises(PermissionDenied):
        services.remove_member(membership("olga"), users["member"])
    again = services.request_to_join(acme(), users["member"])
    assert again.pk == membership("mel").pk and again.status == "pending"


def test_a_member_leaves_and_a_requester_withdraws(users):
    services.leave(acme(), users["member"])
    assert history_of(membership("mel")).first().message == "Left"
    services.request_to_join(acme(), users["manager"])
    services.leave(acme(), users["manager"])
    assert history_of(membership("mona")).first().message == "Request withdrawn"
    with pytest.raises(ValidationError, match="not a member"):
        services.leave(acme(), users["manager"])


# Cluster membership -------------------------------------------------------------------------
def test_cluster_request_reaches_the_managers_who_approve(
    users, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        link = services.request_cluster_membership(
            acme(), users["owner"], mobile_heights(), show_publicly=True, message="Since 2019."
        )
    assert link.status == "pending"
    assert [m.to for m in mail.outbox] == [["mona@example.org"]]
    assert "Since 2019." in mail.outbox[0].body
    assert "/organisations/cluster-requests/" in mail.outbox[0].body
    assert not ClusterMembership.objects.shown().exists()
    with pytest.raises(PermissionDenied):
        services.approve_cluster_membership(link, users["other_manager"])
    with pytest.raises(PermissionDenied):
        services.approve_cluster_membership(link, users["owner"])
    with django_capture_on_commit_callbacks(execute=True):
        services.approve_cluster_membership(link, users["manager"])
    assert mail.outbox[-1].to == ["olga@example.org"]
    assert list(ClusterMembership.objects.shown()) == [link]
    assert [c.action for c in history_of(link)] == ["approve", "submit"]


def test_only_an_owner_asks_and_only_for_a_published_cluster(users):
    for role in ("member", "other_owner", "manager"):
        with pytest.raises(PermissionDenied):
            services.request_cluster_membership(
                acme(), users[role], mobile_heights(), show_publicly=True
            )
    from clusterbridge.clusters import services as cluster_services

    pending = cluster_services.propose(users["other_owner"], {"name": "Unpublished Cluster"})
    with pytest.raises(ValidationError, match="published"):
        services.request_cluster_membership(acme(), users["owner"], pending, show_publicly=True)
    services.request_cluster_membership(acme(), users["owner"], minalogic(), show_publicly=False)
    with pytest.raises(ValidationError, match="already waits"):
        services.request_cluster_membership(
            acme(), users["owner"], minalogic(), show_publicly=False
        )


def test_decline_needs_a_reason_which_is_mailed(users, django_capture_on_commit_callbacks):
    link = services.request_cluster_membership(
        acme(), users["owner"], mobile_heights(), show_publicly=True
    )
    with pytest.raises(ValidationError, match="reason"):
        services.decline_cluster_membership(link, users["manager"], "  ")
    with django_capture_on_commit_callbacks(execute=True):
        services.decline_cluster_membership(link, users["manager"], "Not a member of ours.")
    assert "Not a member of ours." in mail.outbox[-1].body
    assert ClusterMembership.objects.get().status == "declined"
    # Asking again, a week later, revives the same row.
    with pytest.raises(ValidationError, match="you can ask again from"):
        services.request_cluster_membership(
            acme(), users["owner"], mobile_heights(), show_publicly=True
        )
    with time_machine.travel(timezone.now() + datetime.timedelta(days=8)):
        again = services.request_cluster_membership(
            acme(), users["owner"], mobile_heights(), show_publicly=True
        )
    assert again.pk == link.pk and again.status == "pending" and again.reason == ""


def test_the_organisation_chooses_to_be_shown_and_either_side_ends_it(users):
    link = services.request_cluster_membership(
        acme(), users["owner"], mobile_heights(), show_publicly=False
    )
    services.approve_cluster_membership(link, users["manager"])
    assert not ClusterMembership.objects.shown().exists()
    with pytest.raises(PermissionDenied):
        services.set_cluster_visibility(link, users["manager"], True)
    services.set_cluster_visibility(link, users["owner"], True)
    assert ClusterMembership.objects.shown().count() == 1
    with pytest.raises(PermissionDenied):
        services.end_cluster_membership(link, users["other_manager"])
    services.end_cluster_membership(link, users["manager"])
    assert not ClusterMembership.objects.exists()
    assert history_of(link).first().message == "Ended by the cluster"


def test_synthetic_or_deleted_organisations_are_never_shown(users):
    link = services.request_cluster_membership(
        acme(), users["owner"], mobile_heights(), show_publicly=True
    )
    services.approve_cluster_membership(link, users["manager"])
    Organisation.objects.filter(pk=acme().pk).update(is_synthetic=True)
    assert not ClusterMembership.objects.shown().exists()
    Organisation.all_objects.filter(pk=acme().pk).update(is_synthetic=False)
    services.delete_organisation(acme(), users["owner"])
    assert not ClusterMembership.objects.shown().exists()


def test_a_cluster_without_managers_is_decided_by_an_administrator(users):
    make_user("nobody")
    link = services.request_cluster_membership(
        acme(), users["owner"], mobile_heights(), show_publicly=True
    )
    assert services.cluster_queue(users["admin"]).filter(pk=link.pk).exists()
    assert services.cluster_queue(users["manager"]).filter(pk=link.pk).exists()
    assert not services.cluster_queue(users["other_manager"]).exists()
    assert not services.cluster_queue(users["owner"]).exists()
