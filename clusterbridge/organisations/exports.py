"""The filtered directory as CSV and XLSX: public fields only (never members, requests or
hidden cluster memberships), formula-safe through `core.spreadsheets`."""

from django.conf import settings
from django.utils import timezone

from clusterbridge.core import spreadsheets

HEADER = (
    "Name",
    "Type",
    "Country",
    "Region",
    "Website",
    "Size",
    "Industrial ecosystems",
    "Sectors",
    "Features",
    "Member of clusters",
    "Description",
    "Profile",
)


def _codes(items) -> str:
    return "; ".join(item.code for item in items)


def row(organisation, site_url: str) -> list:
    return [
        organisation.name,
        organisation.get_type_display(),
        organisation.country.code if organisation.country_id else "",
        organisation.region,
        organisation.website,
        organisation.get_size_display() if organisation.size else "",
        _codes(organisation.ecosystems.all()),
        _codes(organisation.sectors.all()),
        _codes(organisation.features.all()),
        "; ".join(link.cluster.name for link in organisation.shown_clusters),
        organisation.description,
        site_url + organisation.get_absolute_url(),
    ]


def _rows(queryset):
    site_url = settings.SITE_URL.rstrip("/")
    for organisation in queryset.iterator(chunk_size=500):
        yield row(organisation, site_url)


def _filename(extension: str) -> str:
    return f"organisations-{timezone.localdate().isoformat()}.{extension}"


def csv_response(queryset):
    return spreadsheets.csv_response(_filename("csv"), HEADER, _rows(queryset))


def xlsx_response(queryset):
    return spreadsheets.xlsx_response(
        _filename("xlsx"), HEADER, _rows(queryset), title="Organisations"
    )
