"""Who may do what in strategic personnel planning (django-rules).

- `workforce.manage_board(board)`: the board's own HR (and platform admins). They upload snapshots,
  see their own snapshot rows and board forecast, keep board scenarios and enter pupil forecasts
  for the board's school locations. Nobody else sees a board's detail, not even the regional team.
- `workforce.view_region(region)`: the region's regional team and the HR of the region's member
  boards: aggregated, suppressed figures only.
- `workforce.manage_region(region)`: the regional team: the region's assumptions and scenarios.
- `workforce.view_scenario` / `workforce.manage_scenario(scenario)`: follow the scenario's owner
  (a board: manage_board; a region: manage_region to change it, view_region to read it).
- `workforce.use_planning`: anyone with at least one board or region here (the home page).
"""

from __future__ import annotations

import rules

from onderwijsregio.accounts.permissions import access_for
from onderwijsregio.organisations.models import Organisation, RegionMember


def _is_admin(user) -> bool:
    return bool(getattr(user, "is_superuser", False))


def board_ids_managed(user) -> set[int]:
    """Boards whose detail (snapshot rows, board forecast) this user may see and change."""
    if _is_admin(user):
        return set(Organisation.objects.filter(kind=Organisation.Kind.BOARD).values_list("pk", flat=True))
    return set(
        Organisation.objects.filter(kind=Organisation.Kind.BOARD, pk__in=access_for(user).hr_organisations).values_list(
            "pk", flat=True
        )
    )


def region_ids_viewable(user) -> set[int]:
    """Regions whose aggregated figures this user may see: the team's own, and those of HR's boards."""
    regions = Organisation.objects.filter(kind=Organisation.Kind.REGION)
    if _is_admin(user):
        return set(regions.values_list("pk", flat=True))
    access = access_for(user)
    via_boards = RegionMember.objects.filter(member_id__in=access.hr_organisations).values_list("region_id", flat=True)
    return set(regions.filter(pk__in=set(access.team_regions) | set(via_boards)).values_list("pk", flat=True))


def region_ids_managed(user) -> set[int]:
    regions = Organisation.objects.filter(kind=Organisation.Kind.REGION)
    if _is_admin(user):
        return set(regions.values_list("pk", flat=True))
    return set(regions.filter(pk__in=access_for(user).team_regions).values_list("pk", flat=True))


@rules.predicate
def manages_board(user, board) -> bool:
    if board is None or getattr(board, "kind", None) != Organisation.Kind.BOARD:
        return False
    return _is_admin(user) or board.pk in access_for(user).hr_organisations


@rules.predicate
def views_region(user, region) -> bool:
    if region is None or getattr(region, "kind", None) != Organisation.Kind.REGION:
        return False
    if _is_admin(user):
        return True
    access = access_for(user)
    if region.pk in access.team_regions:
        return True
    return RegionMember.objects.filter(region=region, member_id__in=access.hr_organisations).exists()


@rules.predicate
def manages_region(user, region) -> bool:
    if region is None or getattr(region, "kind", None) != Organisation.Kind.REGION:
        return False
    return _is_admin(user) or region.pk in access_for(user).team_regions


@rules.predicate
def manages_scenario(user, scenario) -> bool:
    if scenario is None:
        return False
    owner = scenario.owner
    return manages_board(user, owner) or manages_region(user, owner)


@rules.predicate
def views_scenario(user, scenario) -> bool:
    if scenario is None:
        return False
    owner = scenario.owner
    return manages_board(user, owner) or views_region(user, owner)


@rules.predicate
def uses_planning(user) -> bool:
    if _is_admin(user):
        return True
    access = access_for(user)
    return bool(access.team_regions) or bool(board_ids_managed(user)) or bool(region_ids_viewable(user))


rules.add_perm("workforce.manage_board", manages_board)
rules.add_perm("workforce.view_region", views_region)
rules.add_perm("workforce.manage_region", manages_region)
rules.add_perm("workforce.manage_scenario", manages_scenario)
rules.add_perm("workforce.view_scenario", views_scenario)
rules.add_perm("workforce.use_planning", uses_planning)
