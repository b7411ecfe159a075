from django.contrib import admin

from clusterbridge.core.admin import HistoryAdminMixin
from clusterbridge.taxonomy.models import Country, Feature, FeatureCategory, Term


@admin.register(FeatureCategory)
class FeatureCategoryAdmin(HistoryAdminMixin, admin.ModelAdmin):
    list_display = ("code", "label", "order")
    readonly_fields = ("provenance",)


@admin.register(Feature)
class FeatureAdmin(HistoryAdminMixin, admin.ModelAdmin):
    list_display = ("code", "label", "category")
    list_filter = ("category",)
    search_fields = ("code", "label")
    readonly_fields = ("provenance",)


@admin.register(Term)
class TermAdmin(HistoryAdminMixin, admin.ModelAdmin):
    list_display = ("vocabulary", "code", "label", "group")
    list_filter = ("vocabulary",)
    search_fields = ("code", "label")
    readonly_fields = ("provenance",)


@admin.register(Country)
class CountryAdmin(HistoryAdminMixin, admin.ModelAdmin):
    list_display = ("code", "label", "alpha3")
    search_fields = ("code", "label")
