from django import template
from django.contrib.contenttypes.models import ContentType

from clusterbridge.suggestions.services import pending_for

register = template.Library()


@register.inclusion_tag("suggestions/panel.html", takes_context=True)
def suggestions_panel(context, obj):
    """Pending suggested features of a record; buttons for those who may change it."""
    request = context.get("request")
    user = getattr(request, "user", None)
    can_decide = bool(user and user.is_authenticated and obj.user_can_change(user))
    return {
        "object": obj,
        "request": request,
        "suggestions": list(pending_for(obj)),
        "can_decide": can_decide,
        "content_type_id": ContentType.objects.get_for_model(obj, for_concrete_model=True).pk,
        "has_description": bool(getattr(obj, "description", "")),
    }
