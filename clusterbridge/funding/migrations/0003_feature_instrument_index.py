from django.db import migrations

# The feature filter intersects, per ticked feature, the instruments that have it; this index
# gives each such list straight from the index (the unique index starts with instrument_id).
INDEX = "funding_instrument_features_feature_instrument"


class Migration(migrations.Migration):
    dependencies = [("funding", "0002_fulltext")]
    operations = [
        migrations.RunSQL(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON funding_instrument_features "
            "(feature_id, instrument_id)",
            f"DROP INDEX IF EXISTS {INDEX}",
        )
    ]
