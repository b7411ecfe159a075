from clusterbridge.clusters.models import Cluster


def form_data(cluster: Cluster, **changes) -> dict:
    """The profile form as the edit page would post it, with `changes` applied."""
    data = {}
    for name in (
        "name",
        "region",
        "city",
        "description",
        "mission",
        "member_benefits",
        "contact_email",
        "contact_phone",
        "contact_form_url",
        "website",
    ):
        data[name] = getattr(cluster, name)
    for name in (
        "founding_year",
        "members_total",
        "members_sme",
        "members_large",
        "members_research",
    ):
        value = getattr(cluster, name)
        data[name] = "" if value is None else str(value)
    data["country"] = cluster.country.code if cluster.country_id else ""
    data["domains"] = "\n".join(cluster.domains)
    for name in Cluster.TERM_FIELDS:
        data[name] = list(getattr(cluster, name).values_list("code", flat=True))
    data.update(changes)
    return data


def new_cluster_data(**changes) -> dict:
    data = {
        "name": "Adriatic Drone Cluster",
        "country": "HR",
        "region": "Split-Dalmatia",
        "description": "Drone makers and their customers.",
        "website": "https://drones.example",
        "contact_email": "info@drones.example",
        "founding_year": "2021",
        "members_sme": "12",
        "domains": "drones\nagriculture",
        "ecosystems": ["aerospace-defence"],
        "technologies": ["robotics"],
    }
    data.update(changes)
    return data
