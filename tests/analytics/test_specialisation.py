"""Location quotients and both node rules of seed 002 L375–376 on a hand-computed example.

2021, NUTS 2 regions × NACE divisions (persons employed; the test fixture):

            C10   C26      C30   J62   region total (known values)
    AT11    100    20        0    80   200
    AT12     50    c (conf.) 5   150   205
    BE10     50   180 p      :   370   600
    total   200   200        5   600   1005 (the reference area)
"""

import pytest

from clusterbridge.analytics import eurostat, regional, specialisation
from tests.analytics.conftest import fixture_bytes


def cells_2021(raw: bytes):
    parsed = eurostat.parse(raw)
    assert parsed.errors == []
    return [
        specialisation.Cell(o.geo, o.industry, o.value, o.flags)
        for o in parsed.observations
        if o.period == 2021
        and eurostat.nuts_level(o.geo) == 2
        and eurostat.industry_level(o.industry) == "division"
    ]


@pytest.fixture
def analysis():
    return specialisation.analyse(cells_2021(fixture_bytes("employment.test-fixture.tsv")))


def result(analysis, geo, industry):
    return next(r for r in analysis.results if (r.geo, r.industry) == (geo, industry))


def test_totals_leave_out_the_confidential_and_missing_cells_and_the_aggregates(analysis):
    assert analysis.region_totals == {"AT11": 200, "AT12": 205, "BE10": 600}
    assert analysis.reference_total == 1005
    assert analysis.industry_totals == {"C10": 200, "C26": 200, "C30": 5, "J62": 600}
    assert analysis.unknown_cells == 2


def test_the_location_quotient_is_the_regional_share_over_the_reference_share(analysis):
    # AT11 C10: (100 / 200) / (200 / 1005) = 2.5125
    assert result(analysis, "AT11", "C10").lq == pytest.approx(2.5125)
    # BE10 C26 (flag p kept): (180 / 600) / (200 / 1005) = 1.5075
    be_c26 = result(analysis, "BE10", "C26")
    assert be_c26.lq == pytest.approx(1.5075)
    assert be_c26.flags == "p"
    # AT12 J62: (150 / 205) / (600 / 1005) = 1.2256
    assert result(analysis, "AT12", "J62").lq == pytest.approx(150 / 205 / (600 / 1005))


def test_a_confidential_cell_has_no_value_and_no_lq_never_zero(analysis):
    cell = result(analysis, "AT12", "C26")
    assert cell.employment is None and cell.lq is None
    assert cell.status == "confidential"
    assert not cell.is_node
    missing = result(analysis, "BE10", "C30")
    assert missing.employment is None and missing.status == "not available"


def test_industry_relevant_node_needs_lq_above_1_5_and_1_percent_of_the_reference(analysis):
    at11_c10 = result(analysis, "AT11", "C10")
    assert at11_c10.industry_node and at11_c10.region_node
    assert result(analysis, "BE10", "C26").industry_node  # 1.5075 > 1.5, 19.9 % > 1 %
    assert not result(analysis, "AT12", "J62").industry_node  # LQ 1.23


def test_region_relevant_node_needs_1_percent_of_the_regions_own_employment(analysis):
    # AT12 C30: LQ (5/205)/(5/1005) = 4.90; 2.4 % of the region's employment, but C30 is
    # only 0.5 % of the reference area's: a region-relevant node, not an industry-relevant.
    at12_c30 = result(analysis, "AT12", "C30")
    assert at12_c30.lq == pytest.approx(1005 / 205)
    assert at12_c30.region_node
    assert not at12_c30.industry_node


def test_an_lq_of_exactly_1_5_is_not_a_node():
    cells = [
        specialisation.Cell("AA11", "C10", 30),
        specialisation.Cell("AA11", "J62", 70),
        specialisation.Cell("AA12", "C10", 10),
        specialisation.Cell("AA12", "J62", 290),
    ]
    # AA11 C10: (30/100) / (40/400) = 3.0; AA12 J62: (290/300)/(360/400) = 1.074
    analysis = specialisation.analyse(cells)
    assert result(analysis, "AA11", "C10").lq == pytest.approx(3.0)
    exact = specialisation.analyse(
        [
            specialisation.Cell("AA11", "X", 15),
            specialisation.Cell("AA11", "Y", 85),
            specialisation.Cell("AA12", "X", 5),
            specialisation.Cell("AA12", "Y", 295),
        ]
    )
    # AA11 X: (15/100) / (20/400) = 3.0 — and Y: (85/100)/(380/400) = 0.8947
    assert result(exact, "AA11", "X").lq == pytest.approx(3.0)
    boundary = specialisation.analyse(
        [
            specialisation.Cell("AA11", "X", 30),
            specialisation.Cell("AA11", "Y", 70),
            specialisation.Cell("AA12", "X", 10),
            specialisation.Cell("AA12", "Y", 190),
        ]
    )
    # AA11 X: (30/100) / (40/300) = 2.25; a cell exactly at 1.5 below:
    at_threshold = specialisation.analyse(
        [
            specialisation.Cell("AA11", "X", 3),
            specialisation.Cell("AA11", "Y", 7),
            specialisation.Cell("AA12", "X", 1),
            specialisation.Cell("AA12", "Y", 9),
        ]
    )
    # AA11 X: (3/10) / (4/20) = 1.5 exactly
    assert result(at_threshold, "AA11", "X").lq == pytest.approx(1.5)
    assert not result(at_threshold, "AA11", "X").is_node
    assert result(boundary, "AA11", "X").is_node


def test_by_ecosystem_the_mapped_divisions_are_summed_and_unknown_cells_counted(analysis):
    cells = cells_2021(fixture_bytes("employment.test-fixture.tsv"))
    groups = {"electronics": ["C26"], "agri-food": ["C10"], "mobility": ["C30"]}
    by_eco = specialisation.analyse(cells, groups)
    # Totals stay those of the industries.
    assert by_eco.reference_total == 1005
    assert result(by_eco, "AT11", "agri-food").lq == pytest.approx(2.5125)
    electronics_at12 = result(by_eco, "AT12", "electronics")
    assert electronics_at12.employment is None and electronics_at12.left_out == 1


def test_the_shipped_mapping_covers_the_14_ecosystems_and_names_its_source():
    mapping = regional.mapping()
    assert len(mapping["divisions"]) == 14
    assert "NOT the European Commission's own definition" in mapping["source"]
    codes = {e["code"] for entries in mapping["divisions"].values() for e in entries}
    assert {"C10", "C26", "J62", "C30"} <= codes
