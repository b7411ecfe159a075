"""The main navigation: each app that has a public section lists it in settings.MAIN_NAV."""

from django.conf import settings
from django.urls import NoReverseMatch, reverse


def main_nav(request):
    items = []
    for url_name, label, description in settings.MAIN_NAV:
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            continue
        current = request.path.startswith(url) if url != "/" else request.path == "/"
        items.append({"url": url, "label": label, "description": description, "current": current})
    return {"main_nav": items}
