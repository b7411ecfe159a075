import io

import pytest
from django.core.management import CommandError, call_command

from clusterbridge.core import history
from clusterbridge.funding.models import Instrument
from clusterbridge.suggestions.models import FeatureSuggestion

pytestmark = pytest.mark.django_db


def test_it_suggests_for_instruments_and_leaves_them_pending():
    call = Instrument(
        name="Zephyr", origin="international", description="Drones with LiDAR sensors."
    )
    history.save(call)
    synthetic = Instrument(
        name="Zephyr synthetic",
        origin="international",
        description="Drones with LiDAR.",
        is_synthetic=True,
    )
    history.save(synthetic)
    out = io.StringIO()
    call_command("suggest_features", "funding.instrument", stdout=out)
    assert "funding.Instrument:" in out.getvalue()
    codes = set(
        FeatureSuggestion.objects.filter(object_id=str(call.pk)).values_list(
            "feature__code", flat=True
        )
    )
    assert {"T13", "T5", "T14"} <= codes
    assert not FeatureSuggestion.objects.filter(object_id=str(synthetic.pk)).exists()
    assert not FeatureSuggestion.objects.exclude(status="suggested").exists()
    assert not call.features.exists()
    call_command(
        "suggest_features", "funding.instrument", stdout=io.StringIO()
    )  # again: nothing new
    assert FeatureSuggestion.objects.filter(object_id=str(call.pk)).count() == len(codes)


def test_it_refuses_models_without_features():
    with pytest.raises(CommandError, match="no features"):
        call_command("suggest_features", "auth.user")
