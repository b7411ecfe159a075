"""The reference taxonomy is loaded from the package's data files with provenance."""

import pytest

from clusterbridge.taxonomy.models import Country, Feature, FeatureCategory, Term

pytestmark = pytest.mark.django_db


def test_feature_counts_per_category():
    counts = {c.code: c.features.count() for c in FeatureCategory.objects.all()}
    # Annex 1 (T, P, D, G) and the application domains named in Annex 2 (A).
    assert counts == {"T": 15, "P": 18, "A": 14, "D": 7, "G": 14}


def test_labels_follow_annex_1_with_provenance():
    t1 = Feature.objects.get(code="T1")
    assert t1.label == "AI (ML)"
    assert t1.category.label == "Techniques"
    assert t1.provenance == [{"document": "001_64a1a149fb9beb97.txt", "lines": [970, 970]}]
    assert Feature.objects.get(code="G14").label == "Investors, business angels"
    assert Feature.objects.get(code="D2").label == "Prototype"
    # An OCR repair is recorded with the entry it fixes.
    health = Feature.objects.get(code="A-health")
    assert health.label == "Health" and health.category.code == "A"
    assert health.provenance == [{"document": "004_72f75a8981975147.txt", "lines": [643, 643]}]


@pytest.mark.parametrize(
    ("vocabulary", "count"),
    [
        ("ecosystems", 14),
        ("sectors", 36),
        ("technologies", 16),
        ("eccp-services", 7),
        ("cluster-services", 21),
    ],
)
def test_vocabulary_counts(vocabulary, count):
    assert Term.objects.filter(vocabulary=vocabulary).count() == count


def test_countries_have_iso_codes():
    assert Country.objects.get(code="LT").label == "Lithuania"
    assert Country.objects.get(code="GB").alpha3 == "GBR"
    eu = [c for c in Country.objects.all() if "EU" in c.groups]
    assert len(eu) == 27
    assert {"UA", "MD", "GE", "AM", "AZ"} <= set(Country.objects.values_list("code", flat=True))


def test_taxonomy_page_lists_every_category(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        response = client.get("/taxonomy/")
    html = response.content.decode()
    assert response.status_code == 200
    for label in (
        "Techniques",
        "Process",
        "Application domains (industrial ecosystems)",
        "Development support",
        "General",
        "Industrial ecosystems",
        "ECCP sectors",
        "Countries",
    ):
        assert label in html
    # The source is named by its title, the file name kept as the hover text.
    assert "Quantum Technologies" in html
    assert (
        '<cite class="citation" title="001_64a1a149fb9beb97.txt">SecurIT D2.5</cite>, line 981'
        in html
    )


def test_features_api_returns_code_label_category(client):
    response = client.get("/api/v1/features/")
    assert response.status_code == 200
    data = response.json()
    assert len(data) == 68
    assert data[0] == {
        "code": "T1",
        "label": "AI (ML)",
        "category": "T",
        "category_label": "Techniques",
    }
    only_d = client.get("/api/v1/features/?category=D").json()
    assert [f["code"] for f in only_d] == [f"D{i}" for i in range(1, 8)]


def test_vocabulary_and_country_api(client):
    sectors = client.get("/api/v1/terms/?vocabulary=sectors").json()
    assert len(sectors) == 36
    assert client.get("/api/v1/countries/LT/").json()["label"] == "Lithuania"
    assert client.get("/api/v1/terms/?vocabulary=nonsense").status_code == 400
