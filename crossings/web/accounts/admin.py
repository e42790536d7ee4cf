from django.contrib import admin

from crossings.web.accounts.models import Agency, Country, Region, Unit

admin.site.register(Region)
admin.site.register(Country)
admin.site.register(Agency)


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("code", "name", "kind", "country", "agency")
    list_filter = ("country", "kind")
