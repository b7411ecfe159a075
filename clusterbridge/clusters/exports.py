"""The filtered directory as CSV and XLSX (one row per cluster, lists joined by “; ”)."""

from django.utils import timezone

from clusterbridge.core import spreadsheets

COLUMNS = (
    ("name", "Name"),
    ("country", "Country"),
    ("countries", "Cross-border countries"),
    ("region", "Region"),
    ("city", "City"),
    ("website", "Website"),
    ("founding_year", "Founding year"),
    ("members_total", "Members"),
    ("members_sme", "SME members"),
    ("members_large", "Large-firm members"),
    ("members_research", "Research-organisation members"),
    ("size", "Size (members, derived)"),
    ("sectors", "Sectors"),
    ("ecosystems", "Industrial ecosystems"),
    ("technologies", "Technologies"),
    ("services", "Services"),
    ("domains", "Vertical market / domains"),
    ("networks", "Networks"),
    ("label", "Quality label"),
    ("label_expires", "Label expires"),
    ("label_validity", "Label validity"),
    ("contact_email", "Organisation e-mail"),
    ("contact_phone", "Organisation phone"),
    ("profile", "Profile"),
    ("sources", "Sources"),
)


def _codes(manager) -> str:
    return "; ".join(item.code for item in manager.all())


def row(cluster, site_url: str) -> list:
    today = timezone.localdate()
    return [
        cluster.name,
        cluster.country.code if cluster.country_id else "",
        _codes(cluster.countries),
        cluster.region,
        cluster.city,
        cluster.website,
        cluster.founding_year,
        cluster.members_total,
        cluster.members_sme,
        cluster.members_large,
        cluster.members_research,
        cluster.size_members,
        _codes(cluster.sectors),
        _codes(cluster.ecosystems),
        _codes(cluster.technologies),
        _codes(cluster.services),
        "; ".join(cluster.domains or []),
        _codes(cluster.networks),
        cluster.get_label_level_display() if cluster.label_level else "",
        cluster.label_expires.isoformat() if cluster.label_expires else "",
        cluster.label_validity(today) or "",
        cluster.contact_email,
        cluster.contact_phone,
        site_url + cluster.get_absolute_url(),
        "; ".join(sorted({p["document"] for p in cluster.provenance or []})),
    ]


def _rows(queryset):
    from django.conf import settings

    site_url = settings.SITE_URL.rstrip("/")
    for cluster in queryset:
        yield row(cluster, site_url)


def _filename(extension: str) -> str:
    return f"clusters-{timezone.localdate().isoformat()}.{extension}"


def csv_response(queryset):
    return spreadsheets.csv_response(_filename("csv"), [c[1] for c in COLUMNS], _rows(queryset))


def xlsx_response(queryset):
    return spreadsheets.xlsx_response(
        _filename("xlsx"), [c[1] for c in COLUMNS], _rows(queryset), title="Clusters"
    )
