"""Admin of the substitute pool: pools and their boards for platform admins and regional teams; members,
requests and the workflow's records read-only (the pages and services keep them consistent).

Member records are personal data: opening one here, or listing them, is audit-logged like on the pages.
"""

from __future__ import annotations

from django.contrib import admin

from onderwijsregio.core.admin import AuditedAdminMixin, ReadOnlyAdmin
from onderwijsregio.core.services import audit_record

from . import audit, selectors
from .models import Assignment, Batch, Offer, Pool, PoolBoard, PoolMember, ReplacementRequest


class PoolBoardInline(admin.TabularInline):
    model = PoolBoard
    extra = 0
    fields = (
        "board",
        "requests_substitutes",
        "supplies_members",
        "contribution_fte",
        "chain_max_contracts",
        "chain_window_months",
        "chain_exempt_reasons",
    )
    autocomplete_fields = ("board",)


@admin.register(Pool)
class PoolAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("name", "region", "is_active", "auto_batch", "long_term_days")
    list_filter = ("is_active", "auto_batch")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    filter_horizontal = ("subjects",)
    inlines = [PoolBoardInline]
    readonly_fields = ("created_at", "updated_at", "version")


@admin.register(PoolMember)
class PoolMemberAdmin(ReadOnlyAdmin):
    list_display = ("pk", "pool", "employer", "is_active", "is_synthetic")
    list_filter = ("pool", "is_active", "is_synthetic")
    exclude = ("notes",)

    def has_module_permission(self, request) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.is_active and request.user.is_superuser

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl") if hasattr(response, "context_data") else None
        if changelist is not None:
            # The list links members to their employer and pool: a read of personal data, like the pages' list.
            selectors.members_admin_listed(
                user=request.user, count=changelist.result_count, filters=dict(request.GET.items())
            )
        return response

    def change_view(self, request, object_id, form_url="", extra_context=None):
        member = self.get_object(request, object_id)
        if member is not None:
            audit_record(
                actor=request.user,
                action=audit.MEMBER_VIEWED,
                obj=member,
                organisation_id=member.employer_id,
                personal_data_read=True,
                details={"via": "admin"},
            )
        return super().change_view(request, object_id, form_url, extra_context)


@admin.register(ReplacementRequest)
class ReplacementRequestAdmin(ReadOnlyAdmin):
    list_display = ("pk", "pool", "subject", "school_location", "start_date", "end_date", "status")
    list_filter = ("pool", "status", "reason")
    date_hierarchy = "start_date"


@admin.register(Batch)
class BatchAdmin(ReadOnlyAdmin):
    list_display = ("pk", "pool", "created_at", "status", "method", "filled_hours", "requested_hours")
    list_filter = ("pool", "status", "is_scheduled")


@admin.register(Offer)
class OfferAdmin(ReadOnlyAdmin):
    list_display = ("pk", "request", "member_id", "status", "expires_at")
    list_filter = ("status",)
    exclude = ("token",)


@admin.register(Assignment)
class AssignmentAdmin(ReadOnlyAdmin):
    list_display = ("pk", "request", "member_id", "start_date", "end_date", "status")
    list_filter = ("status",)
