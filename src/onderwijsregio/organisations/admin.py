"""Admin of organisations and reference data: public data, read-only except what the rules allow.

Non-superusers may change only an organisation's profile (name, website, description), when the
rules say so, and that change goes through organisation_update so it is validated and audited.
"""

from __future__ import annotations

from django.contrib import admin

from onderwijsregio.core.admin import AuditedAdminMixin

from .models import LabourMarketRegion, Municipality, Organisation, RegionMember, SchoolLocation, SubRegion
from .services import EDITABLE_PROFILE_FIELDS, organisation_update


class StaffReadableAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """Visible to all staff (public data); only superusers write."""

    def has_module_permission(self, request) -> bool:
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.is_active and request.user.is_staff

    def has_add_permission(self, request) -> bool:
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser


@admin.register(Organisation)
class OrganisationAdmin(StaffReadableAdmin):
    list_display = ("name", "kind", "duo_number", "municipality", "is_synthetic")
    list_filter = ("kind", "is_synthetic")
    search_fields = ("name", "duo_number", "slug")
    prepopulated_fields = {"slug": ("name",)}

    def has_change_permission(self, request, obj=None) -> bool:
        if request.user.is_superuser:
            return True
        if obj is None:
            return False
        return request.user.has_perm("organisations.change_organisation", obj)

    def get_readonly_fields(self, request, obj=None):
        if request.user.is_superuser:
            return ()
        return tuple(f.name for f in Organisation._meta.fields if f.name not in EDITABLE_PROFILE_FIELDS)

    def get_prepopulated_fields(self, request, obj=None):
        return self.prepopulated_fields if request.user.is_superuser else {}

    def save_model(self, request, obj, form, change):
        profile_changes = [name for name in form.changed_data if name in EDITABLE_PROFILE_FIELDS]
        if change and profile_changes and set(form.changed_data) <= set(EDITABLE_PROFILE_FIELDS):
            organisation_update(
                organisation=obj, actor=request.user, **{name: form.cleaned_data[name] for name in profile_changes}
            )
            return
        if not request.user.is_superuser:
            return
        if change:
            # Any change is a new version, so a page or API client holding the old one is refused.
            obj.version += 1
        super().save_model(request, obj, form, change)


@admin.register(SchoolLocation)
class SchoolLocationAdmin(StaffReadableAdmin):
    list_display = ("vestiging_code", "name", "board", "sector", "municipality")
    list_filter = ("sector",)
    search_fields = ("vestiging_code", "name", "brin", "place")
    list_select_related = ("board", "municipality")
    raw_id_fields = ("board", "municipality")


@admin.register(Municipality)
class MunicipalityAdmin(StaffReadableAdmin):
    list_display = ("cbs_code", "name", "province", "labour_market_region")
    search_fields = ("cbs_code", "name")
    list_filter = ("province",)


@admin.register(LabourMarketRegion)
class LabourMarketRegionAdmin(StaffReadableAdmin):
    list_display = ("code", "name")
    search_fields = ("code", "name")


@admin.register(RegionMember)
class RegionMemberAdmin(StaffReadableAdmin):
    list_display = ("region", "member", "role", "is_applicant", "joined_on")
    list_filter = ("role",)
    list_select_related = ("region", "member")


@admin.register(SubRegion)
class SubRegionAdmin(StaffReadableAdmin):
    list_display = ("name", "region")
    list_select_related = ("region",)
