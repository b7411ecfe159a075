from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    """The current query string with some parameters replaced (pagination, sorting links)."""
    params = context["request"].GET.copy()
    for name, value in changes.items():
        if value is None or value == "":
            params.pop(name, None)
        else:
            params[name] = value
    return "?" + params.urlencode()


@register.filter
def days_word(days: int) -> str:
    if days == 0:
        return "closes today"
    return f"{days} day{'s' if days != 1 else ''} left"
