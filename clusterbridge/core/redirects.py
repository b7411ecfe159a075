"""Sending a person back where a form came from, never to another site."""

from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme


def redirect_back(request, fallback):
    """To the form's `next` address when it is on this site, else to `fallback`
    (a URL, a URL name or a model instance, as `redirect` takes)."""
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, {request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(fallback)
