"""Template helpers every page may use: citing a source document by its title, and
including a template another app may or may not provide."""

from django import template
from django.template.loader import get_template

from clusterbridge.core.sources import cite

register = template.Library()


@register.inclusion_tag("partials/citation.html")
def citation(place: dict, short: bool = False):
    """`{% citation p %}` for one provenance entry: the document's title and the lines,
    with the file name as the hover text (it stays in the API and the exports).
    `short=True` names the document shortly (tables that repeat it on every row)."""
    return {"citation": cite(place, short=short)}


@register.simple_tag(takes_context=True)
def optional_include(context, template_name: str, **extra) -> str:
    """Render `template_name` with the current context (plus `extra`) when some app provides
    it, else nothing. Lets a page leave a place for a feature that another app brings
    (e.g. the shortlist's `shortlist/_toggle.html` on result cards) without depending on it."""
    try:
        get_template(template_name)
    except template.TemplateDoesNotExist:
        return ""
    return render_with(context, template_name, extra)


@register.simple_tag(takes_context=True)
def render_with(context, template_name: str, extra: dict) -> str:
    """Render a template with the page's context plus `extra` (a section's own context, as
    the home page's sections registered by apps)."""
    with context.push(**extra):
        return get_template(template_name).render(context.flatten(), context.get("request"))
