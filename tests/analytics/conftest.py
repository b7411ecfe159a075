from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


def fixture_bytes(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


@pytest.fixture
def imported(db):
    """The TSV test fixture imported as sbs_r_nuts06_r2, with the SDMX-CSV's region names."""
    from clusterbridge.analytics import services

    report = services.import_regional(
        fixture_bytes("employment.test-fixture.tsv"), filename="sbs_r_nuts06_r2.tsv"
    )
    assert report.ok, report.errors
    return report
