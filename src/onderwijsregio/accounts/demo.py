"""The synthetic people of the demo: logins with roles at the demo organisations.

The organisations come from onderwijsregio.organisations.demo (real DUO data, fictitious
regions). Every user made here is synthetic (is_synthetic=True) and shares one demo password,
read from ONDERWIJSREGIO_DEMO_PASSWORD, so that the README can print the logins.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from onderwijsregio.organisations.demo import DemoOrganisations, demo_organisations_build
from onderwijsregio.organisations.models import Organisation, SchoolLocation

from .models import Membership, Role, User
from .services import membership_create, user_create

DEMO_DOMAIN = "demo.onderwijsregio.nl"
DEFAULT_DEMO_PASSWORD = "demo-wachtwoord-2026"  # noqa: S105 - a published demo password, by design


def demo_password() -> str:
    return os.environ.get("ONDERWIJSREGIO_DEMO_PASSWORD") or DEFAULT_DEMO_PASSWORD


@dataclass(frozen=True)
class DemoLogin:
    email: str
    full_name: str
    role: str
    organisation: Organisation | None
    school_location: SchoolLocation | None = None
    is_superuser: bool = False


def demo_logins_plan(organisations: DemoOrganisations) -> list[DemoLogin]:
    logins = [
        DemoLogin(f"beheer@{DEMO_DOMAIN}", "Demo Platformbeheerder (fictief)", "", None, is_superuser=True),
        DemoLogin(f"regioteam@{DEMO_DOMAIN}", "Demo Regioteam (fictief)", Role.REGIONAL_TEAM, organisations.region),
    ]
    for board in organisations.hr_boards:
        logins.append(
            DemoLogin(
                f"hr-{board.duo_number}@{DEMO_DOMAIN}", f"Demo HR {board.duo_number} (fictief)", Role.BOARD_HR, board
            )
        )
    location = organisations.leader_location
    if location is not None:
        logins.append(
            DemoLogin(
                f"schoolleider@{DEMO_DOMAIN}",
                "Demo Schoolleider (fictief)",
                Role.SCHOOL_LEADER,
                location.board,
                school_location=location,
            )
        )
    institute = organisations.institutes.get("hogeschool-utrecht")
    if institute is not None:
        logins.append(
            DemoLogin(f"opleiding@{DEMO_DOMAIN}", "Demo Lerarenopleider (fictief)", Role.INSTITUTE_STAFF, institute)
        )
    logins.append(
        DemoLogin(
            f"regioteam-foodvalley@{DEMO_DOMAIN}",
            "Demo Regioteam FoodValley (fictief)",
            Role.REGIONAL_TEAM,
            organisations.foodvalley,
        )
    )
    return logins


@transaction.atomic
def demo_users_create(*, organisations: DemoOrganisations, actor: Any = None) -> list[User]:
    """Create the demo logins and their memberships; existing ones are left as they are."""
    password = demo_password()
    users = []
    for login in demo_logins_plan(organisations):
        user = User.objects.filter(email=login.email).first()
        if user is None:
            user = user_create(
                email=login.email, full_name=login.full_name, password=password, actor=actor, is_synthetic=True
            )
            if login.is_superuser:
                # user_create makes ordinary users on purpose; the platform admin is the exception.
                user.is_staff = user.is_superuser = True
                user.save(update_fields=["is_staff", "is_superuser"])
        if (
            login.role
            and not Membership.objects.filter(
                user=user, organisation=login.organisation, role=login.role, ended_at__isnull=True
            ).exists()
        ):
            membership_create(
                user=user,
                organisation=login.organisation,
                role=login.role,
                actor=actor,
                school_location=login.school_location,
            )
        users.append(user)
    return users


def demo_load(*, step: Callable[[str], None] | None = None) -> tuple[DemoOrganisations, list[User]]:
    organisations = demo_organisations_build(step=step)
    if step:
        step(_("demogebruikers"))
    return organisations, demo_users_create(organisations=organisations)


def demo_logins() -> list[tuple[User, list[Membership]]]:
    """The synthetic demo users with their active memberships, for `manage.py demo_logins`."""
    users = User.objects.filter(is_synthetic=True, email__endswith=f"@{DEMO_DOMAIN}").order_by("-is_superuser", "email")
    return [
        (
            user,
            list(
                Membership.objects.filter(user=user, ended_at__isnull=True).select_related(
                    "organisation", "school_location"
                )
            ),
        )
        for user in users
    ]
