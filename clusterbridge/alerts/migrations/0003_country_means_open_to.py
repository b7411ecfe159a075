"""`country` in a funding search now means "open to applicants from"; a saved search keeps
what it found by naming its countries `origin_country` (the former meaning)."""

from urllib.parse import parse_qsl, urlencode

from django.db import migrations


def rename(query: str, old: str, new: str) -> str:
    pairs = parse_qsl(query.lstrip("?"), keep_blank_values=True)
    if not any(name == old for name, _ in pairs):
        return query
    return urlencode([(new if name == old else name, value) for name, value in pairs])


def forwards(apps, schema_editor):
    SavedSearch = apps.get_model("alerts", "SavedSearch")
    for saved in SavedSearch.objects.filter(kind="search", query__contains="country="):
        query = rename(saved.query, "country", "origin_country")
        if query != saved.query:
            SavedSearch.objects.filter(pk=saved.pk).update(query=query)


def backwards(apps, schema_editor):
    SavedSearch = apps.get_model("alerts", "SavedSearch")
    for saved in SavedSearch.objects.filter(kind="search", query__contains="origin_country="):
        SavedSearch.objects.filter(pk=saved.pk).update(
            query=rename(saved.query, "origin_country", "country")
        )


class Migration(migrations.Migration):
    dependencies = [("alerts", "0002_record_version")]

    operations = [migrations.RunPython(forwards, backwards)]
