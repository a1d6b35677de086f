"""Template tags of the house style: form fields as NL Design System markup, error summary, navigation.

Load with `{% load ui %}`. `{% form_field form.email %}` renders one bound field through
components/form_field.html; `{% error_summary form %}` lists a form's errors with links to the fields.
"""

from __future__ import annotations

from django import forms, template
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

register = template.Library()

# Which utrecht control class each kind of widget gets.
_CONTROL_CLASSES = {
    "checkbox": "utrecht-checkbox utrecht-checkbox--html-input utrecht-checkbox--custom",
    "select": "utrecht-select utrecht-select--html-select",
    "textarea": "utrecht-textarea utrecht-textarea--html-textarea",
    "radio": "utrecht-radio-button utrecht-radio-button--html-input",
    "input": "utrecht-textbox utrecht-textbox--html-input",
}


def field_kind(bound_field) -> str:
    widget = bound_field.field.widget
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        return "choices"
    if isinstance(widget, forms.Select):
        return "select"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.HiddenInput):
        return "hidden"
    return "input"


def _described_by(bound_field, help_text) -> list[str]:
    ids = []
    if help_text:
        ids.append(f"{bound_field.auto_id}-description")
    if bound_field.errors:
        ids.append(f"{bound_field.auto_id}-error")
    return ids


@register.inclusion_tag("components/form_field.html")
def form_field(bound_field, description: str = "", hide_help: bool = False):
    """Render a bound field with label, description and error message linked by aria-describedby.

    `hide_help` drops the field's own help text (allauth's login form puts a "forgot password"
    link there, which our page shows next to the button instead).
    """
    kind = field_kind(bound_field)
    help_text = "" if hide_help else bound_field.help_text
    describedby = _described_by(bound_field, help_text)
    if description and f"{bound_field.auto_id}-description" not in describedby:
        describedby.insert(0, f"{bound_field.auto_id}-description")
    # No placeholders in the house style: they vanish on typing and are easily taken for values.
    attrs: dict[str, str | bool] = {"placeholder": False}
    if kind in _CONTROL_CLASSES:
        classes = _CONTROL_CLASSES[kind]
        if bound_field.errors:
            classes += f" {classes.split()[0]}--invalid"
        attrs["class"] = classes
    if describedby:
        attrs["aria-describedby"] = " ".join(describedby)
    if bound_field.errors:
        attrs["aria-invalid"] = "true"
    if kind == "choices":
        widget_html = bound_field.as_widget(attrs={k: v for k, v in attrs.items() if k != "class"})
    else:
        widget_html = bound_field.as_widget(attrs=attrs)
    return {
        "field": bound_field,
        "kind": kind,
        "widget": widget_html,
        "description": description or help_text,
        "description_id": f"{bound_field.auto_id}-description",
        "error_id": f"{bound_field.auto_id}-error",
    }


@register.inclusion_tag("components/error_summary.html")
def error_summary(form):
    """The errors of a form at its top, each linking to its field (WCAG 3.3.1)."""
    items = []
    if form.is_bound and form.errors:
        for error in form.non_field_errors():
            items.append({"href": "", "label": "", "message": error})
        for name, errors in form.errors.items():
            if name == forms.forms.NON_FIELD_ERRORS or name not in form.fields:
                continue
            bound = form[name]
            target = bound.auto_id
            if field_kind(bound) == "choices":
                target = f"{bound.auto_id}_0"
            for error in errors:
                items.append({"href": f"#{target}", "label": bound.label, "message": error})
    return {"items": items}


def _works_with_pools(user) -> bool:
    """Regional teams, board HR and school leaders work with pools (the pool list shows which).

    Asked through the user's relations, not the accounts app: core sits below every other app.
    """
    cached = getattr(user, "_works_with_pools", None)
    if cached is None:
        cached = user.is_superuser or (
            user.memberships.filter(
                ended_at__isnull=True, role__in=["regional_team", "board_hr", "school_leader"]
            ).exists()
        )
        user._works_with_pools = cached
    return cached


def _is_pool_member(user) -> bool:
    cached = getattr(user, "_is_pool_member", None)
    if cached is None:
        cached = user.pool_memberships.exists()
        user._is_pool_member = cached
    return cached


@register.simple_tag(takes_context=True)
def main_navigation(context) -> list[dict]:
    """The items of the main navigation that exist for this user, the current one marked."""
    request = context.get("request")
    user = getattr(request, "user", None)
    candidates: list[tuple[str, str, bool]] = [
        ("core:home", _("Start"), True),
        ("organisations:region_list", _("Regio's"), True),
        ("organisations:board_list", _("Besturen"), True),
        ("organisations:school_location_list", _("Vestigingen"), True),
        ("routes:route_list", _("Routes"), True),
        ("loket:home", _("Loket"), not (user and user.is_authenticated)),
    ]
    if user is not None and user.is_authenticated:
        desk_or_inbox = user.has_perm("loket.use_desk") or user.has_perm("loket.use_inbox")
        candidates += [
            (
                "loket:my_record",
                _("Mijn gegevens"),
                user.has_perm("loket.view_own_record", getattr(user, "candidate", None)),
            ),
            ("loket:candidate_list", _("Kandidaten"), desk_or_inbox),
            ("loket:inbox", _("Inbox"), user.has_perm("loket.use_inbox")),
            ("loket:funnel", _("Trechter"), desk_or_inbox),
            ("pool:pool_list", _("Invalpool"), _works_with_pools(user)),
            ("pool:my_work", _("Mijn invalwerk"), _is_pool_member(user)),
            ("workforce:home", _("Personeelsplanning"), user.has_perm("workforce.use_planning")),
            ("accounts:people", _("Mensen"), user.has_perm("accounts.view_any_people")),
            ("accounts:audit_log", _("Auditlog"), user.has_perm("core.view_auditevent")),
            ("organisations:import", _("Importeren"), user.has_perm("core.start_import")),
            ("admin:index", _("Beheer"), user.is_staff),
        ]
    path = getattr(request, "path", "")
    items = []
    for url_name, label, allowed in candidates:
        if not allowed:
            continue
        url = reverse(url_name)
        current = path == url if url == "/" else path.startswith(url)
        items.append({"url": url, "label": label, "current": current})
    return items


@register.filter
def job_badge_class(job) -> str:
    return {"failed": "or-badge--failed", "succeeded": "or-badge--succeeded"}.get(job.status, "")
