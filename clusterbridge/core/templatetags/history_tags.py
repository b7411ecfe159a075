from django import template

from clusterbridge.core.history import history_of

register = template.Library()


@register.inclusion_tag("core/history_panel.html", takes_context=True)
def history_panel(context, obj, limit: int = 50):
    """The record's change history, shown to those who may change the record."""
    request = context.get("request")
    user = getattr(request, "user", None)
    visible = bool(user and user.is_authenticated and obj.user_can_view_history(user))
    changes = list(history_of(obj)[:limit]) if visible else []
    return {
        "visible": visible,
        "changes": changes,
        "object": obj,
        "request": request,
        "can_revert": visible and obj.user_can_change(user),
    }
