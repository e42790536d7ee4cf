from django.contrib import admin

from crossings.web.accounts.models import (
    Agency,
    Country,
    CountrySharingPolicy,
    Membership,
    Region,
    Unit,
)

admin.site.register(Region)
admin.site.register(Country)
admin.site.register(Agency)


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("code", "name", "kind", "country", "agency")
    list_filter = ("country", "kind")


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Administrators give users their role, country and unit here."""

    list_display = ("user", "role", "country", "unit")
    list_filter = ("role", "country")


@admin.register(CountrySharingPolicy)
class CountrySharingPolicyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Read-only: a focal point sets the policy through the API (audited)."""

    list_display = ("country", "default_scope", "updated_at")

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False
