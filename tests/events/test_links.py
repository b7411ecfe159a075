"""The events app in analytics: its events in the relatedness network (tied to their
organiser and ecosystems, no participant shown), and a project group's event made from the
group's page, prefilled and inviting the group's people."""

import pytest

from clusterbridge.analytics import groups, network
from clusterbridge.analytics.models import ProjectGroup
from clusterbridge.clusters.models import Cluster
from clusterbridge.events.models import Event
from clusterbridge.notifications.models import Notification
from clusterbridge.projects.models import Project

pytestmark = pytest.mark.django_db


def test_an_event_links_its_organiser_and_its_ecosystems_in_the_network(event, registered):
    ann = registered("ann")
    graph = network.build_graph()
    node = f"event:{event.pk}"
    cluster = f"cluster:{Cluster.objects.get(slug='mobile-heights').pk}"
    assert graph.nodes[node]["kind"] == "event"
    assert graph.has_edge(node, cluster)
    assert "Mobile Heights organises Wind energy brokerage" in graph.edges[node, cluster]["reasons"]
    assert graph.has_edge(node, "ecosystem:renewable-energy")
    # Registrations are the participants' business: no tie between ann and the event.
    assert not graph.has_edge(node, f"organisation:{ann.organisation_id}")
    # Synthetic events stay out.
    Event.objects.filter(pk=event.pk).update(is_synthetic=True)
    assert node not in network.build_graph()


def test_the_events_app_is_the_project_groups_event_hook():
    from clusterbridge.events import links

    assert groups.event_hook() is links.create_group_event


def test_an_editor_makes_a_groups_event_prefilled_and_inviting_its_people(
    client_for, users, manager
):
    group = ProjectGroup.objects.get(name="Public Space Protection")
    group.manager = users["member"]
    group.save()
    cluster = Cluster.objects.get(slug="mobile-heights")
    Project.objects.filter(pk=group.projects.first().pk).update(owner_cluster=cluster)
    editor = client_for("editor")
    assert "Create an event for this group" in editor.get(group.get_absolute_url()).content.decode()
    response = editor.post(f"/analytics/groups/{group.slug}/event/")
    assert response.status_code == 302
    form_url = response["Location"]
    assert form_url == f"/events/new/?group={group.slug}"
    html = editor.get(form_url).content.decode()
    assert "Public Space Protection: meeting the end users" in html
    assert "Invited end users: First responders from Lithuania" in html
    assert "Safe Festivals" in html  # one of the invited projects
    assert Event.objects.count() == 0  # nothing invented: the organiser picks date and place
    response = editor.post(
        form_url,
        {
            "title": "Public Space Protection: meeting the end users",
            "kind": "info-day",
            "organiser_cluster": cluster.pk,
            "venue": "Town hall",
            "time_zone": "Europe/Brussels",
            "start": "2027-03-10T09:00",
            "end": "2027-03-10T12:00",
            "max_pending_requests": 10,
            "meeting_minutes": 30,
            "tables": 0,
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    event = Event.objects.get()
    invited = set(
        Notification.objects.filter(kind="events.group_invitation").values_list(
            "recipient__username", flat=True
        )
    )
    # The group's follow-up manager and the manager of a project's cluster.
    assert invited == {users["member"].username, users["manager"].username}
    assert (
        event.get_absolute_url()
        in Notification.objects.filter(kind="events.group_invitation").first().url
    )
    # An event made without the group invites nobody.
    editor.post(
        "/events/new/",
        {
            "title": "Another",
            "kind": "info-day",
            "organiser_cluster": cluster.pk,
            "venue": "Town hall",
            "time_zone": "Europe/Brussels",
            "start": "2027-04-10T09:00",
            "end": "2027-04-10T12:00",
            "max_pending_requests": 10,
            "meeting_minutes": 30,
            "tables": 0,
        },
    )
    assert Event.objects.count() == 2
    assert Notification.objects.filter(kind="events.group_invitation").count() == 2
