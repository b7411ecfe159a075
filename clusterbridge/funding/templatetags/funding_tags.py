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


@register.filter
def status_label(value: str) -> str:
    """The readable name of any status value, including values added later."""
    from clusterbridge.funding.models import Status

    labels = dict(Status.choices)
    return str(labels.get(value, str(value).replace("-", " ").replace("_", " ").capitalize()))


@register.simple_tag
def eligibility(instrument, for_country=None) -> str:
    return instrument.eligibility(for_country)


@register.filter
def budget(instrument) -> str:
    """“500,000 EUR”; empty when the source gives no amount."""
    if instrument.budget_amount is None:
        return ""
    amount = f"{instrument.budget_amount:,.0f}"
    return f"{amount} {instrument.budget_currency}".strip()
