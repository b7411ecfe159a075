"""What this app adds to a person's account: the "My events" panel of My ClusterBridge (my
registrations, my next meetings) and the person's registrations, profiles and meetings in
"download my data" (registered in `apps.py`)."""

from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone

from clusterbridge.accounts import roles
from clusterbridge.events.models import MeetingRequest, Participant, Registration


def panel_context(request: HttpRequest) -> dict | None:
    user = request.user
    if not roles.is_member(user):
        return None
    now = timezone.now()
    registrations = list(
        Registration.objects.filter(user=user, event__deleted_at=None, event__end__gte=now)
        .exclude(status=Registration.Status.CANCELLED)
        .select_related("event")
        .order_by("event__start")[:10]
    )
    if not registrations:
        # Meetings need a seat at an upcoming event: nothing more to read.
        return {"registrations": [], "meetings": [], "waiting": 0}
    # Next meetings and requests waiting for my answer, in one query.
    rows = list(
        MeetingRequest.objects.filter(
            Q(
                Q(sender__user=user) | Q(receiver__user=user),
                status=MeetingRequest.Status.ACCEPTED,
                slot__end__gte=now,
            )
            | Q(receiver__user=user, status=MeetingRequest.Status.PENDING, event__end__gte=now)
        )
        .select_related("slot", "event", "sender", "receiver")
        .order_by("slot__start", "pk")
    )
    meetings = [m for m in rows if m.status == MeetingRequest.Status.ACCEPTED][:10]
    waiting = len(rows) - len([m for m in rows if m.status == MeetingRequest.Status.ACCEPTED])
    for meeting in meetings:
        meeting.other = meeting.receiver if meeting.sender.user_id == user.pk else meeting.sender
    return {"registrations": registrations, "meetings": meetings, "waiting": waiting}


def _when(value) -> str | None:
    return value.isoformat() if value else None


def personal_data(user) -> dict:
    registrations = Registration.all_objects.filter(user=user).select_related(
        "event", "organisation"
    )
    profiles = Participant.all_objects.filter(user=user).select_related("event")
    meetings = MeetingRequest.all_objects.filter(
        Q(sender__user=user) | Q(receiver__user=user)
    ).select_related("event", "sender", "receiver", "slot")
    return {
        "registrations": [
            {
                "event": r.event.title,
                "event_slug": r.event.slug,
                "organisation": r.organisation.name if r.organisation else None,
                "status": r.status,
                "answers": r.answers,
                "registered_at": _when(r.created_at),
                "cancelled_at": _when(r.cancelled_at),
            }
            for r in registrations
        ],
        "matchmaking_profiles": [
            {
                "event": p.event.title,
                "display_name": p.display_name,
                "offers": p.offers,
                "seeks": p.seeks,
                "allow_reschedule": p.allow_reschedule,
            }
            for p in profiles
        ],
        "meeting_requests": [
            {
                "event": m.event.title,
                "sent": m.sender.user_id == user.pk,
                "with": (m.receiver if m.sender.user_id == user.pk else m.sender).display_name,
                "message": m.message,
                "status": m.status,
                "slot_start": _when(m.slot.start) if m.slot else None,
                "table": m.table,
                "my_rating": m.sender_rating if m.sender.user_id == user.pk else m.receiver_rating,
            }
            for m in meetings
        ],
    }
