"""Pages of the shared kernel: home, about, accessibility statement, job progress, error pages."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache

from . import today
from .models import Job


def home(request):
    context = {}
    if request.user.is_authenticated:
        # The reverse relation keeps core free of an import of the accounts app.
        memberships = list(
            request.user.memberships.filter(ended_at__isnull=True)
            .select_related("organisation", "school_location")
            .order_by("organisation__name", "role")
        )
        for membership in memberships:
            membership.can_view_people = request.user.has_perm("organisations.view_people", membership.organisation)
        context["memberships"] = memberships
        context["can_view_audit"] = request.user.has_perm("core.view_auditevent")
        # "Vandaag te doen": each app's blocks for the user's roles (core.today), leading the page.
        context["today_blocks"] = today.blocks_for(request.user)
    return render(request, "core/home.html", context)


def about(request):
    return render(request, "core/about.html")


def accessibility(request):
    return render(request, "core/accessibility.html")


def _rejected_rows(job: Job, key: str = "errors") -> list[dict]:
    """Rejected (or, with key="notices", skipped) rows of an import as {line, reason}, as dicts or pairs."""
    raw = job.result.get(key, []) if isinstance(job.result, dict) else []
    rows = []
    for item in raw if isinstance(raw, list) else []:
        if isinstance(item, dict):
            rows.append({"line": item.get("line", ""), "reason": item.get("reason") or item.get("message", "")})
        elif isinstance(item, list | tuple) and len(item) >= 2:
            rows.append({"line": item[0], "reason": item[1]})
        else:
            rows.append({"line": "", "reason": str(item)})
    return rows


def _job_for(request, pk) -> Job:
    job = get_object_or_404(Job, pk=pk)
    # 404 rather than 403: someone else's job is none of your business, not even that it exists.
    if not request.user.has_perm("core.view_job", job):
        raise Http404
    return job


@login_required
@never_cache
def job_detail(request, pk):
    job = _job_for(request, pk)
    errors = _rejected_rows(job)
    notices = _rejected_rows(job, "notices")
    return render(request, "core/job_detail.html", {"job": job, "errors": errors, "notices": notices})


@login_required
@never_cache
def job_progress(request, pk):
    """The progress component alone, polled by htmx while the job runs."""
    job = _job_for(request, pk)
    response = render(request, "components/progress.html", {"job": job})
    if job.is_finished and request.htmx:
        # The finished page has more to show (the result, rejected rows): let htmx reload it whole.
        response["HX-Refresh"] = "true"
    return response
