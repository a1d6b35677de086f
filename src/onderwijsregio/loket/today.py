"""The desk's blocks of the "Vandaag te doen" start page (registered in core.today).

Each count is the working list (loket.worklist.worklist) or the inbox (selectors.inbox) with the same
filter as the link's query string, so the start page and the list it opens always agree.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from onderwijsregio.accounts.models import Role
from onderwijsregio.accounts.permissions import access_for
from onderwijsregio.core.today import TodayBlock, TodayItem, register

from . import selectors
from .models import STAGE_ORDER, Candidate, Stage
from .worklist import Viewer, next_stage, worklist

# (filters for worklist(), the list's query string for the same filters, label); the query strings are
# the names of loket.forms.staff.WorklistFilterForm's fields.
DESK_COUNTS = (
    ({"overdue": True}, "overdue=on", gettext_lazy("Kandidaten met een verlopen opvolgdatum")),
    ({"due_today": True}, "due_today=on", gettext_lazy("Kandidaten met een opvolgdatum vandaag")),
    ({"coordinator": "none"}, "coordinator=none", gettext_lazy("Kandidaten zonder ketenregisseur")),
    ({"needs_decision": True}, "needs_decision=on", gettext_lazy("Kandidaten om te beoordelen (lang geen activiteit)")),
)


def desk_items(viewer: Viewer) -> list[TodayItem]:
    """The regional team's counts, one COUNT query each."""
    list_url = reverse("loket:candidate_list")
    return [
        TodayItem(
            count=worklist(viewer=viewer, filters=filters).order_by().count(),
            label=str(label),
            url=f"{list_url}?{query}",
        )
        for filters, query, label in DESK_COUNTS
    ]


def pending_handovers_item(user: Any) -> TodayItem:
    return TodayItem(
        count=selectors.inbox(user=user, pending_only=True).order_by().count(),
        label=_("Overdrachten die op uw antwoord wachten"),
        url=reverse("loket:inbox") + "?status=pending",
    )


@register
def desk_blocks(user: Any) -> list[TodayBlock]:
    access = access_for(user)
    roles = {role for role, _org, _location in access.memberships}
    viewer = Viewer(user)
    blocks = []
    if viewer.works_at_desk:
        title = _("Regioteam: alle regio's") if viewer.is_admin else _("Regioteam")
        block = TodayBlock(role="regional_team", title=title, items=desk_items(viewer))
        if Role.REGIONAL_TEAM in roles:
            # Another region's desk may hand candidates over to this one.
            block.items.append(pending_handovers_item(user))
        blocks.append(block)
    if Role.BOARD_HR in roles:
        blocks.append(TodayBlock(role="board_hr", title=_("Schoolbestuur (HR)"), items=[pending_handovers_item(user)]))
    if Role.INSTITUTE_STAFF in roles:
        items = [
            # A receiver's working list holds exactly the candidates handed to its organisations.
            TodayItem(
                count=worklist(viewer=viewer, filters={}).order_by().count(),
                label=_("Kandidaten overgedragen aan uw opleiding"),
                url=reverse("loket:candidate_list"),
            )
        ]
        if Role.BOARD_HR not in roles:
            items.insert(0, pending_handovers_item(user))
        blocks.append(TodayBlock(role="institute_staff", title=_("Lerarenopleiding"), items=items))
    if (own := candidate_block(user)) is not None:
        blocks.append(own)
    return blocks


def candidate_block(user: Any) -> TodayBlock | None:
    """The candidate's next step (the stage of the open trajectory and the one after it) and who helps them."""
    candidate = Candidate.objects.select_related("coordinator").filter(user=user, merged_into__isnull=True).first()
    if candidate is None:
        return None
    trajectory = candidate.trajectories.filter(ended_at__isnull=True).order_by("-created_at", "-id").first()
    following = next_stage(trajectory.stage) if trajectory else None
    return TodayBlock(
        role="candidate",
        title=_("Je volgende stap"),
        template="loket/candidate/_today.html",
        context={
            "candidate": candidate,
            "trajectory": trajectory,
            "stage": Stage(trajectory.stage).label if trajectory else "",
            "next_stage": Stage(following).label if following else "",
            "step": STAGE_ORDER.index(trajectory.stage) + 1 if trajectory else 0,
            "steps": len(STAGE_ORDER),
            "coordinator": candidate.coordinator,
        },
    )
