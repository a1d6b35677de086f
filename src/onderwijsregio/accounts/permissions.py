"""Object permissions derived from memberships (django-rules).

Every page, API view and admin screen asks these predicates, so the rules are written once:
- board HR (and school leaders) of a board see that board's people and private data;
- the regional team sees its region's aggregates, administers the accounts of its region's
  member organisations, and sees only what members share with it;
- organisations, school locations and pupil counts are public DUO data: anyone may read them.
"""

from __future__ import annotations

from functools import cached_property

import rules
from django.db.models import Q

from onderwijsregio.organisations.models import Organisation, RegionMember

from .models import Membership, Role


class Access:
    """What one user's active memberships amount to; computed once per request."""

    def __init__(self, user) -> None:
        self.user = user

    @cached_property
    def memberships(self) -> list[tuple[str, int, int | None]]:
        if not getattr(self.user, "is_authenticated", False):
            return []
        return list(
            Membership.objects.filter(user=self.user, ended_at__isnull=True).values_list(
                "role", "organisation_id", "school_location_id"
            )
        )

    def organisations_with_role(self, *roles: str) -> set[int]:
        return {org_id for role, org_id, _ in self.memberships if role in roles}

    @cached_property
    def team_regions(self) -> set[int]:
        return self.organisations_with_role(Role.REGIONAL_TEAM)

    @cached_property
    def hr_organisations(self) -> set[int]:
        return self.organisations_with_role(Role.BOARD_HR)

    @cached_property
    def staff_organisations(self) -> set[int]:
        """Organisations whose internal data this user may see as one of its own staff."""
        return self.organisations_with_role(Role.BOARD_HR, Role.SCHOOL_LEADER, Role.INSTITUTE_STAFF)

    @cached_property
    def administered_organisations(self) -> set[int]:
        """Organisations whose accounts this user may see and manage."""
        if getattr(self.user, "is_superuser", False):
            return set(Organisation.objects.values_list("pk", flat=True))
        members = set(RegionMember.objects.filter(region_id__in=self.team_regions).values_list("member_id", flat=True))
        return self.hr_organisations | self.team_regions | members

    @cached_property
    def audit_organisations(self) -> set[int]:
        """Organisations whose audit events this user may read."""
        if getattr(self.user, "is_superuser", False):
            return set(Organisation.objects.values_list("pk", flat=True))
        members = set(RegionMember.objects.filter(region_id__in=self.team_regions).values_list("member_id", flat=True))
        return self.hr_organisations | self.team_regions | members

    @cached_property
    def team_member_organisations(self) -> set[int]:
        """The organisations taking part in a region this user is on the team of."""
        return set(RegionMember.objects.filter(region_id__in=self.team_regions).values_list("member_id", flat=True))

    @property
    def is_platform_admin(self) -> bool:
        return bool(getattr(self.user, "is_superuser", False))


def access_for(user) -> Access:
    """The Access of a user, cached on the user object for the length of a request."""
    cached = getattr(user, "_onderwijsregio_access", None)
    if cached is None:
        cached = Access(user)
        user._onderwijsregio_access = cached
    return cached


def visible_memberships_q(user) -> Q:
    """Filter for Membership rows the user may see."""
    return Q(organisation_id__in=access_for(user).administered_organisations)


def visible_audit_events_q(user) -> Q:
    access = access_for(user)
    if access.is_platform_admin:
        return Q()
    return Q(organisation_id__in=access.audit_organisations)


@rules.predicate
def is_platform_admin(user) -> bool:
    return bool(getattr(user, "is_superuser", False))


@rules.predicate
def is_regional_team(user) -> bool:
    return bool(access_for(user).team_regions)


@rules.predicate
def is_team_of_region(user, organisation) -> bool:
    return organisation is not None and organisation.pk in access_for(user).team_regions


@rules.predicate
def is_team_of_members_region(user, organisation) -> bool:
    return organisation is not None and organisation.pk in access_for(user).team_member_organisations


@rules.predicate
def is_hr_of(user, organisation) -> bool:
    return organisation is not None and organisation.pk in access_for(user).hr_organisations


@rules.predicate
def administers(user, organisation) -> bool:
    return organisation is not None and organisation.pk in access_for(user).administered_organisations


@rules.predicate
def reads_audit_of_anything(user) -> bool:
    access = access_for(user)
    return access.is_platform_admin or bool(access.team_regions or access.hr_organisations)


@rules.predicate
def started_job(user, job) -> bool:
    return job is not None and job.created_by_id == getattr(user, "pk", None)


# Organisation profile (name, website, description): its own HR, the team of a region, admins.
rules.add_perm("organisations.change_organisation", is_platform_admin | is_hr_of | is_team_of_region)
# A board's name (confirm what DUO or the derived list gave, or correct it): its own HR, the team of
# a region the board takes part in, admins (issue 17, decision 23).
rules.add_perm("organisations.confirm_board_name", is_platform_admin | is_hr_of | is_team_of_members_region)
# Who works where (accounts and roles) is internal to an organisation.
rules.add_perm("organisations.view_people", is_platform_admin | administers)
rules.add_perm("accounts.manage_memberships", is_platform_admin | administers)


@rules.predicate
def administers_anything(user) -> bool:
    return bool(access_for(user).administered_organisations)


rules.add_perm("accounts.view_any_people", administers_anything)
# Region settings (members, sub-regions, school locations) are the regional team's.
rules.add_perm("organisations.manage_region", is_platform_admin | is_team_of_region)
rules.add_perm("core.view_auditevent", reads_audit_of_anything)
rules.add_perm("core.start_import", is_platform_admin | is_regional_team)
# Reference data of every region (an import may rename, move and create school locations and
# boards anywhere): a regional team's import changes its own region only (duo_import_scope).
rules.add_perm("organisations.change_reference_data", is_platform_admin)
rules.add_perm("core.view_job", is_platform_admin | started_job)
