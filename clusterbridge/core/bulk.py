"""The editors' queues' bulk decision: confirm or reject the ticked rows, each through the
record's own service (its permission check and history), and say what was done and what
was refused and why."""

from django.contrib import messages

from clusterbridge.core.redirects import redirect_back


def decide_ticked(request, field: str, decide, fallback):
    """`decide(ids, decision)` → an outcome with `done` and `refused` [(id, why)]."""
    decision = request.POST.get("decision", "")
    ids = [pk for pk in request.POST.getlist(field) if pk.isdigit()]
    if decision not in ("confirm", "reject"):
        messages.error(request, "Choose Confirm or Reject.")
    elif not ids:
        messages.error(request, "Tick at least one suggestion.")
    else:
        outcome = decide(ids, decision)
        verb = "confirmed" if decision == "confirm" else "rejected"
        if outcome.done:
            messages.success(request, f"{len(outcome.done)} suggestion(s) {verb}.")
        if outcome.refused:
            messages.error(
                request,
                f"{len(outcome.refused)} not {verb}: "
                + "; ".join(f"#{pk} {why}" for pk, why in outcome.refused[:10]),
            )
    return redirect_back(request, fallback)
