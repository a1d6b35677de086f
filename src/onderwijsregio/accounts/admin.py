"""Admin of users, memberships and the audit log, filtered by the same rules as the pages."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from onderwijsregio.core.admin import AuditedAdminMixin, AuditEventAdmin
from onderwijsregio.core.models import AuditEvent
from onderwijsregio.organisations.models import Organisation

from .models import Membership, User
from .permissions import access_for, visible_audit_events_q, visible_memberships_q
from .selectors import people_viewed_record
from .services import membership_create, membership_end


@admin.register(AuditEvent)
class PermittedAuditEventAdmin(AuditEventAdmin):
    def visible_q(self, request):
        return visible_audit_events_q(request.user)


@admin.register(User)
class UserAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("email", "full_name", "is_active", "is_staff", "is_synthetic")
    list_filter = ("is_active", "is_staff", "is_synthetic")
    search_fields = ("email", "full_name")
    fields = (
        "email",
        "full_name",
        "preferred_language",
        "is_active",
        "is_staff",
        "is_superuser",
        "is_synthetic",
        "date_joined",
        "last_login",
    )
    readonly_fields = ("date_joined", "last_login")

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        # Staff see the people of the organisations they administer, and themselves.
        visible_users = Membership.objects.filter(visible_memberships_q(request.user)).values("user_id")
        return queryset.filter(pk__in=visible_users) | queryset.filter(pk=request.user.pk)

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl")
        if changelist is not None:
            shown = [user.pk for user in changelist.result_list]
            people_viewed_record(
                actor=request.user,
                memberships=Membership.objects.filter(user_id__in=shown).filter(visible_memberships_q(request.user)),
                via="admin",
                path=request.get_full_path(),
            )
        return response

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        if response.status_code == 200 and str(object_id).isdigit():
            people_viewed_record(
                actor=request.user,
                memberships=Membership.objects.filter(user_id=int(object_id)).filter(
                    visible_memberships_q(request.user)
                ),
                via="admin",
                path=request.get_full_path(),
            )
        return response

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

    def save_model(self, request, obj, form, change):
        if not change:
            # New people choose their own password through the reset link.
            obj.set_unusable_password()
        super().save_model(request, obj, form, change)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "organisation", "role", "school_location", "created_at", "ended_at")
    list_filter = ("role", "ended_at")
    search_fields = ("user__email", "user__full_name", "organisation__name")
    list_select_related = ("user", "organisation", "school_location")
    autocomplete_fields = ("user",)
    raw_id_fields = ("school_location",)
    fields = ("user", "organisation", "role", "school_location", "created_at", "ended_at")
    readonly_fields = ("created_at", "ended_at")
    actions = ["end_memberships"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(visible_memberships_q(request.user))

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl")
        if changelist is not None:
            people_viewed_record(
                actor=request.user, memberships=changelist.result_list, via="admin", path=request.get_full_path()
            )
        return response

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        membership = self.get_object(request, object_id)
        if membership is not None and response.status_code == 200:
            people_viewed_record(
                actor=request.user, memberships=[membership], via="admin", path=request.get_full_path()
            )
        return response

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:
            # A membership is not edited: it is ended, and a new one is made.
            return self.fields
        return self.readonly_fields

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "organisation":
            kwargs["queryset"] = Organisation.objects.filter(pk__in=access_for(request.user).administered_organisations)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_module_permission(self, request) -> bool:
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.is_active and request.user.is_staff

    def has_add_permission(self, request) -> bool:
        return request.user.is_superuser or bool(access_for(request.user).administered_organisations)

    def has_change_permission(self, request, obj=None) -> bool:
        if obj is None:
            return request.user.is_superuser or bool(access_for(request.user).administered_organisations)
        return request.user.has_perm("accounts.manage_memberships", obj.organisation)

    has_delete_permission = has_change_permission

    def save_model(self, request, obj, form, change):
        if change:
            return
        try:
            created = membership_create(
                user=obj.user,
                organisation=obj.organisation,
                role=obj.role,
                school_location=obj.school_location,
                actor=request.user,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return
        obj.pk = created.pk

    def delete_model(self, request, obj):
        # "Deleting" ends the membership: who had which role when stays on record.
        if obj.ended_at is None:
            try:
                membership_end(membership=obj, actor=request.user)
            except ValidationError as error:
                # Such as ending one's own last role: shown instead of a server error.
                messages.error(request, " ".join(error.messages))

    def delete_queryset(self, request, queryset):
        for membership in queryset:
            if request.user.has_perm("accounts.manage_memberships", membership.organisation):
                self.delete_model(request, membership)

    @admin.action(description=_("Geselecteerde rollen beëindigen"))
    def end_memberships(self, request, queryset):
        ended = 0
        for membership in queryset.filter(ended_at__isnull=True).select_related("organisation"):
            if request.user.has_perm("accounts.manage_memberships", membership.organisation):
                try:
                    membership_end(membership=membership, actor=request.user)
                except ValidationError as error:
                    messages.error(request, " ".join(error.messages))
                    continue
                ended += 1
        messages.success(request, _("%(count)d rol(len) beëindigd.") % {"count": ended})
