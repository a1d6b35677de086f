"""Admin of the shared kernel: read-only job, task and audit screens, and an audited base for other admins.

The audit log's admin is registered by accounts.admin, which knows the permission rules (the
kernel may not import accounts); the job admin needs no rules beyond "your own jobs".
"""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

from .audit import admin_audit_actions
from .models import AuditEvent, Job
from .services import audit_record


class AuditedAdminMixin:
    """Writes made in the admin land in the audit log like any other write.

    Registering the admin declares its three actions on the model in the audit catalogue.
    """

    def __init__(self, model, admin_site):
        super().__init__(model, admin_site)
        self.audit_actions = admin_audit_actions(model)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        audit_record(
            actor=request.user,
            action=self.audit_actions["changed" if change else "created"],
            obj=obj,
            details={"fields": sorted(form.changed_data)} if form is not None else {},
        )

    def delete_model(self, request, obj):
        audit_record(actor=request.user, action=self.audit_actions["deleted"], obj=obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Staff may look, nobody may add, change or delete."""

    def has_module_permission(self, request) -> bool:
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.is_active and request.user.is_staff

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ObjectTypeFilter(admin.SimpleListFilter):
    """Object types that occur, without the empty one (which would be a link without text)."""

    title = _("objecttype")
    parameter_name = "object_type"

    def lookups(self, request, model_admin):
        types = model_admin.get_queryset(request).exclude(object_type="").values_list("object_type", flat=True)
        return [(value, value) for value in sorted(set(types))]

    def queryset(self, request, queryset):
        return queryset.filter(object_type=self.value()) if self.value() else queryset


class AuditEventAdmin(ReadOnlyAdmin):
    """Base for the audit log admin; `visible_q` is supplied where the permission rules are known."""

    list_display = ("created_at", "actor_label", "action", "object_type", "object_repr", "personal_data_read")
    list_filter = ("personal_data_read", "action", ObjectTypeFilter)
    search_fields = ("actor_label", "action", "object_repr")
    date_hierarchy = "created_at"
    readonly_fields = (
        "created_at",
        "actor_label",
        "action",
        "object_type",
        "object_id",
        "object_repr",
        "organisation_id",
        "personal_data_read",
        "details",
    )
    exclude = ("actor",)

    def visible_q(self, request) -> Q:
        # Safe default: nothing, unless a subclass knows better.
        return Q() if request.user.is_superuser else Q(pk__in=[])

    def has_module_permission(self, request) -> bool:
        return super().has_module_permission(request) and request.user.has_perm("core.view_auditevent")

    def has_view_permission(self, request, obj=None) -> bool:
        return super().has_view_permission(request, obj) and request.user.has_perm("core.view_auditevent")

    def get_queryset(self, request):
        return super().get_queryset(request).filter(self.visible_q(request))

    def get_actions(self, request):
        return {}


@admin.register(Job)
class JobAdmin(ReadOnlyAdmin):
    list_display = ("label", "kind", "status", "done", "total", "created_at", "finished_at")
    list_filter = ("status", "kind")
    readonly_fields = (
        "kind",
        "label",
        "status",
        "total",
        "done",
        "message",
        "result",
        "created_by",
        "organisation_id",
        "created_at",
        "started_at",
        "finished_at",
    )

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(created_by=request.user)


__all__ = ["AuditEvent", "AuditEventAdmin", "AuditedAdminMixin", "JobAdmin", "ReadOnlyAdmin"]


# --- task results of the worker (django-tasks-db) ------------------------------------------------

# The worker's task rows keep each task's arguments and return value: for an email that is the
# recipient and the body, which for a candidate's login is the one-time code itself. The admin
# shows a task's name, status, times and traceback (what an operator needs to see why it failed),
# never its arguments or result.
HIDDEN_TASK_FIELDS = ("args_kwargs", "return_value")


class TaskResultAdmin(DBTaskResultAdmin):
    def has_module_permission(self, request) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.is_active and request.user.is_superuser

    def get_readonly_fields(self, request, obj=None) -> list[str]:
        return [name for name in super().get_readonly_fields(request, obj) if name not in HIDDEN_TASK_FIELDS]

    def get_fields(self, request, obj=None) -> list:
        return self.get_readonly_fields(request, obj)

    def get_search_fields(self, request) -> tuple:
        # Searching would match on the hidden arguments and so reveal them one guess at a time.
        return ()


if admin.site.is_registered(DBTaskResult):
    admin.site.unregister(DBTaskResult)
admin.site.register(DBTaskResult, TaskResultAdmin)
