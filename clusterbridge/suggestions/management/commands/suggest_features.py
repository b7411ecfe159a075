"""Suggest features for every record that takes them (funding instruments, projects…), from
its description. Suggestions wait for an editor or the owner to accept or reject them."""

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError

from clusterbridge.core.batches import chunked
from clusterbridge.suggestions.services import suggest_for_many, supports_suggestions


class Command(BaseCommand):
    help = "Suggest taxonomy features for records from their descriptions (nothing is accepted)."

    def add_arguments(self, parser):
        parser.add_argument(
            "models",
            nargs="*",
            metavar="app_label.model",
            help="Which records (default: every model with features and a description).",
        )
        parser.add_argument(
            "--include-synthetic", action="store_true", help="Also synthetic test records."
        )

    def handle(self, *args, models, include_synthetic, **options):
        chosen = [self._model(name) for name in models] or [
            m for m in apps.get_models() if supports_suggestions(m) and _has_description(m)
        ]
        for model in chosen:
            records = model._default_manager.exclude(description="")
            if not include_synthetic and any(f.name == "is_synthetic" for f in model._meta.fields):
                records = records.filter(is_synthetic=False)
            created = sum(
                len(suggest_for_many(chunk)) for chunk in chunked(records.iterator(), 500)
            )
            self.stdout.write(f"{model._meta.label}: {created} new suggestion(s)")

    def _model(self, name: str):
        try:
            model = apps.get_model(name)
        except (LookupError, ValueError):
            raise CommandError(
                f"Unknown model “{name}”; use app_label.model, e.g. funding.instrument."
            ) from None
        if not (supports_suggestions(model) and _has_description(model)):
            raise CommandError(f"{model._meta.label} records have no features or no description.")
        return model


def _has_description(model) -> bool:
    return any(field.name == "description" for field in model._meta.fields)
