"""A cluster's profile says "located in a specialisation node for …" when its region (by
name) is a node of the latest imported dataset, and nothing when no data is imported."""

import pytest

from clusterbridge.analytics import services
from clusterbridge.clusters.models import Cluster

pytestmark = pytest.mark.django_db


def sdmx_for(country: str, region: str) -> bytes:
    head = "DATAFLOW,LAST UPDATE,freq,nace_r2,indic_sb,geo,TIME_PERIOD,OBS_VALUE,OBS_FLAG"
    flow = "ESTAT:SBS_R_NUTS06_R2(1.0),,A"
    food, it = "C10:Manufacture of food products", "J62:Computer programming"
    rows = [
        f"{flow},{food},V16110,{country}11:{region},2021,100,",
        f"{flow},{it},V16110,{country}11:{region},2021,10,",
        f"{flow},{food},V16110,{country}12:Elsewhere,2021,10,",
        f"{flow},{it},V16110,{country}12:Elsewhere,2021,100,",
    ]
    return ("\n".join([head, *rows]) + "\n").encode()


def test_the_profile_names_the_node_of_its_region(client):
    cluster = Cluster.objects.public().exclude(region="").exclude(country=None).first()
    assert "specialisation node" not in client.get(cluster.get_absolute_url()).content.decode()
    report = services.import_regional(sdmx_for(cluster.country.code, cluster.region))
    assert report.ok, report.errors
    html = client.get(cluster.get_absolute_url()).content.decode()
    # (100/110) / (110/220) = 1.82 for C10 (and the Agri-Food ecosystem) in the region.
    assert (
        "Located in a specialisation node for Agri-Food, C10 Manufacture of food products" in html
    )
    assert f"{cluster.country.code}11 {cluster.region}" in html
