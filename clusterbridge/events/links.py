"""The events app's links in the relatedness network (`analytics.network`): each real
event is a node tied to its organiser (a cluster or a network already in the graph) and to
its industrial ecosystems. Registrations and matchmaking profiles are seen only by the
event's participants, so they stay out of the public network."""

from __future__ import annotations

from urllib.parse import urlencode

import networkx as nx
from django.db.models import Q
from django.urls import reverse

KIND = "organises event"


def add_event_links(graph: nx.Graph) -> None:
    from clusterbridge.analytics.network import add_link
    from clusterbridge.events.models import Event

    events = (
        Event.objects.real()
        .filter(Q(organiser_cluster__isnull=False) | Q(organiser_network__isnull=False))
        .select_related("organiser_cluster", "organiser_network")
        .prefetch_related("ecosystems")
        .order_by("pk")
    )
    for event in events:
        if event.organiser_cluster_id:
            organiser = f"cluster:{event.organiser_cluster_id}"
        else:
            organiser = f"network:{event.organiser_network_id}"
        if organiser not in graph:
            continue
        node = f"event:{event.pk}"
        graph.add_node(
            node, kind="event", label=event.title, url=event.get_absolute_url(), country=""
        )
        add_link(graph, organiser, node, f"{event.organiser_name} organises {event.title}", KIND)
        for term in event.ecosystems.all():
            field_node = f"ecosystem:{term.code}"
            if field_node not in graph:
                graph.add_node(field_node, kind="ecosystem", label=term.label, url="", country="")
            add_link(graph, node, field_node, f"{event.title} is about “{term.label}”", "ecosystem")


def fingerprint() -> tuple:
    from django.db.models import Count, Max

    from clusterbridge.events.models import Event

    found = Event.all_objects.aggregate(n=Count("pk"), last=Max("updated_at"))
    return (found["n"], found["last"])


# Project groups (analytics.groups) ----------------------------------------------------------
# "Create an event for this group" opens the event form prefilled from the group: the date,
# the place and the organiser are the organiser's to choose, never invented. Saving it
# invites the group's projects (the managers of their clusters) and its follow-up manager.
GROUP_PARAMETER = "group"


def create_group_event(group, user) -> str:
    """The `analytics.groups` event hook: the address of the prefilled event form."""
    return f"{reverse('events:create')}?{urlencode({GROUP_PARAMETER: group.slug})}"


def group_for(slug: str | None):
    from clusterbridge.analytics.models import ProjectGroup

    if not slug:
        return None
    return ProjectGroup.objects.filter(slug=slug).first()


def group_initial(group) -> dict:
    """The event form's first values for a group's event."""
    projects = sorted(p.name for p in group.projects.all())
    lines = [f"An event of the project group “{group.name}” with its end users."]
    if group.area:
        lines.append(f"End-user area: {group.area}")
    if group.end_users:
        lines.append(f"Invited end users: {group.end_users}")
    if projects:
        lines.append(f"Invited projects: {', '.join(projects)}")
    return {
        "title": f"{group.name}: meeting the end users"[:200],
        "kind": "info-day",
        "description": "\n\n".join(lines),
        "features": list(group.features.all()),
    }


def invite_group(event, group) -> int:
    """Tell the group's follow-up manager and the managers of its projects' clusters about
    the event (once per person and event). Returns how many were told."""
    from clusterbridge.notifications.services import absolute, notify_many

    people = [group.manager] if group.manager_id else []
    for project in group.projects.select_related("owner_cluster"):
        if project.owner_cluster_id:
            people.extend(
                link.user
                for link in project.owner_cluster.manager_links.filter(
                    approved=True
                ).select_related("user")
            )
    return notify_many(
        people,
        kind="events.group_invitation",
        subject=f"Invitation: {event.title}",
        key=f"events.group_invitation:{event.pk}",
        body=f"The project group “{group.name}” meets its end users at “{event.title}”.",
        url=absolute(event.get_absolute_url()),
    )
