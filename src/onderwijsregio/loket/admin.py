"""Admin of the candidate desk: the managed list of exit reasons, and a read-only candidate view.

Exit reasons are kept by regional teams (and platform admins). A code is what the funnel and the
anonymous statistics count by, so it cannot change once a trajectory or statistic uses it; a
reason that is no longer wanted is switched off rather than deleted. Candidates are personal
data: only platform admins see them here, read-only, and every look is audit-logged.
"""

from __future__ import annotations

from django.contrib import admin

from onderwijsregio.accounts.permissions import access_for
from onderwijsregio.core.admin import AuditedAdminMixin, ReadOnlyAdmin
from onderwijsregio.core.services import audit_record

from . import audit
from .models import CANDIDATE_FIELDS, Candidate, CandidateStatistic, ExitReason, Trajectory


def _keeps_exit_reasons(user) -> bool:
    return user.is_active and user.is_staff and (user.is_superuser or bool(access_for(user).team_regions))


def exit_reason_in_use(reason: ExitReason) -> bool:
    return (
        Trajectory.objects.filter(exit_reason=reason).exists()
        or CandidateStatistic.objects.filter(exit_reason_code=reason.code).exists()
    )


@admin.register(ExitReason)
class ExitReasonAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("label", "code", "is_active", "position")
    list_filter = ("is_active",)
    search_fields = ("label", "code")
    fields = ("label", "code", "is_active", "position")
    ordering = ("position", "label")

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and exit_reason_in_use(obj):
            return ("code",)
        return ()

    def has_module_permission(self, request) -> bool:
        return _keeps_exit_reasons(request.user)

    def has_view_permission(self, request, obj=None) -> bool:
        return _keeps_exit_reasons(request.user)

    def has_add_permission(self, request) -> bool:
        return _keeps_exit_reasons(request.user)

    def has_change_permission(self, request, obj=None) -> bool:
        return _keeps_exit_reasons(request.user)

    def has_delete_permission(self, request, obj=None) -> bool:
        # Switch a reason off instead: ended trajectories and the funnel keep pointing at it.
        return False


@admin.register(Candidate)
class CandidateAdmin(ReadOnlyAdmin):
    list_display = ("full_name", "region", "target_group", "created_at", "is_synthetic")
    list_filter = ("target_group", "is_synthetic")
    search_fields = ("last_name", "email")
    list_select_related = ("region",)
    fields = ("region", *CANDIDATE_FIELDS, "coordinator", "user", "created_at", "updated_at", "version")
    readonly_fields = fields

    def has_module_permission(self, request) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.is_active and request.user.is_superuser

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl")
        if changelist is not None:
            by_region: dict[int, list[int]] = {}
            for candidate in changelist.result_list:
                by_region.setdefault(candidate.region_id, []).append(candidate.pk)
            for region_id, pks in sorted(by_region.items()):
                audit_record(
                    actor=request.user,
                    action=audit.CANDIDATE_LIST_VIEWED,
                    object_type="loket.candidate",
                    organisation_id=region_id,
                    personal_data_read=True,
                    details={"via": "admin", "path": request.get_full_path()[:500], "candidates": pks},
                )
        return response

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        candidate = self.get_object(request, object_id) if response.status_code == 200 else None
        if candidate is not None:
            audit_record(
                actor=request.user,
                action=audit.CANDIDATE_VIEWED,
                obj=candidate,
                organisation_id=candidate.region_id,
                personal_data_read=True,
                details={"via": "admin"},
            )
        return response
