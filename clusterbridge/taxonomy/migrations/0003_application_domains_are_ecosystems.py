"""Application domains (category A) become the 14 industrial ecosystems: the former seed
entries A1–A4 hand their links over to the ecosystems they map onto
(data/taxonomy/application_domains.json) and are retired (soft-deleted, kept in the
history). The ecosystem features themselves come with `load_reference`; here they are
created only where records must be relinked to them."""

import json
from pathlib import Path

from django.db import migrations
from django.utils import timezone

DATA = Path(__file__).resolve().parents[2] / "data" / "taxonomy"


def forwards(apps, schema_editor):
    Feature = apps.get_model("taxonomy", "Feature")
    FeatureCategory = apps.get_model("taxonomy", "FeatureCategory")
    category = FeatureCategory.objects.filter(code="A").first()
    if category is None:
        return  # a new database: load_reference brings the taxonomy
    mapping = json.loads((DATA / "application_domains.json").read_text(encoding="utf-8"))
    features = {e["code"]: e for e in json.loads((DATA / "features.json").read_text())["entries"]}
    retired = {e["seed_code"]: e["features"] for e in mapping["entries"]}
    old = {f.code: f for f in Feature.objects.filter(code__in=list(retired), deleted_at=None)}
    if not old:
        return
    category.label = "Application domains (industrial ecosystems)"
    category.save(update_fields=["label"])
    new = {}
    for codes in retired.values():
        for code in codes:
            entry = features[code]
            new[code], _ = Feature.objects.get_or_create(
                code=code,
                defaults={
                    "label": entry["label"],
                    "category": category,
                    "provenance": [entry["provenance"]],
                },
            )
    for model in apps.get_models():
        for field in model._meta.many_to_many:
            if field.related_model._meta.label_lower != "taxonomy.feature":
                continue
            through = field.remote_field.through
            owner = field.m2m_field_name() + "_id"
            for code, feature in old.items():
                for link in through.objects.filter(feature_id=feature.pk):
                    for target in retired[code]:
                        through.objects.get_or_create(
                            **{owner: getattr(link, owner), "feature_id": new[target].pk}
                        )
                    link.delete()
    now = timezone.now()
    for feature in old.values():
        feature.deleted_at = now
        feature.save(update_fields=["deleted_at"])


class Migration(migrations.Migration):
    dependencies = [("taxonomy", "0002_record_version")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
