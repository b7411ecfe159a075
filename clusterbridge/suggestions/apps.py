from django.apps import AppConfig


class SuggestionsConfig(AppConfig):
    name = "clusterbridge.suggestions"
    label = "suggestions"
    verbose_name = "Suggested features"
