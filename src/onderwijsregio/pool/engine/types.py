"""The data the substitute-pool engine works on: plain, frozen dataclasses, no Django.

The app turns its models into these (`pool/engine_input.py`), calls `eligibility()` or `assign()`,
and stores what comes back. Everything here is hashable and cheap to build by the hundred thousand.

Time is modelled at the grain schools plan substitutes: a request covers a period (start..end,
inclusive dates) and a set of day-parts per week (weekday 0=Monday..4=Friday, part 0=morning,
1=afternoon). Two pieces of work clash for one member when their periods overlap and they share a
day-part. Weekly hours are counted per ISO week.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date

DayPart = tuple[int, int]  # (weekday 0..4, part 0 morning / 1 afternoon)


class Degree(enum.StrEnum):
    """A teaching qualification's grade (bevoegdheid)."""

    FIRST = "first"  # eerstegraads
    SECOND = "second"  # tweedegraads
    LIMITED_SECOND = "limited_second"  # beperkt tweedegraads (onderbouw havo/vwo + vmbo-tl)
    PDG = "pdg"  # pedagogisch-didactisch getuigschrift (mbo)
    IN_TRAINING = "in_training"  # in opleiding: only where the pool's policy allows


class Level(enum.StrEnum):
    """Where lessons are given; the degree rules are written against these."""

    VSO = "vso"
    VMBO_BK = "vmbo_bk"  # vmbo basis/kader
    VMBO_GT = "vmbo_gt"  # vmbo gemengde/theoretische leerweg (vmbo-tl)
    HAVO_VWO_LOWER = "havo_vwo_lower"  # onderbouw havo/vwo
    HAVO_UPPER = "havo_upper"  # bovenbouw havo
    VWO_UPPER = "vwo_upper"  # bovenbouw vwo
    MBO = "mbo"


class Reason(enum.StrEnum):
    """Why a member cannot take a request: one code per check, each rendered to Dutch by the app."""

    INACTIVE = "inactive"
    NO_QUALIFICATION = "no_qualification"  # no qualification for the subject at all
    DEGREE_TOO_LOW = "degree_too_low"  # qualified for the subject, not for (all) the levels
    NOT_AVAILABLE = "not_available"  # weekly pattern misses a requested day-part
    ABSENT = "absent"  # an unavailable period overlaps the request
    TOO_FAR = "too_far"
    CHAIN_RULE = "chain_rule"  # one more fixed-term contract with this board breaks its chain rule
    VOG_MISSING = "vog_missing"
    VOG_EXPIRED = "vog_expired"  # VOG older than the policy allows at the request's start
    BLOCKED = "blocked"  # member blocked the school, or the school blocked the member
    NOT_RELEASED = "not_released"  # release tier has not reached this member's board yet
    ALREADY_BOOKED = "already_booked"  # existing bookings leave no room (hours or day-parts)


@dataclass(frozen=True)
class Qualification:
    subject: str  # SLO subject code, as in organisations.Subject.code
    degree: Degree


@dataclass(frozen=True)
class ChainRule:
    """At most `max_contracts` fixed-term contracts with one board within `window_months`."""

    max_contracts: int = 3
    window_months: int = 36
    exempt_reasons: frozenset[str] = frozenset()  # request reason categories that do not count (e.g. "illness")


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive


@dataclass(frozen=True)
class Booking:
    """Work a member already has (confirmed assignments or offers out): it takes hours and day-parts."""

    member_id: int
    start: date
    end: date
    hours_per_week: float
    day_parts: frozenset[DayPart]
    school_id: int | None = None
    class_key: str = ""


@dataclass(frozen=True)
class Member:
    id: int
    board_id: int  # employing board (or regional employer)
    qualifications: tuple[Qualification, ...]
    weekly_hours: float  # hours a week the member may work for the pool
    day_parts: frozenset[DayPart]  # weekly availability pattern
    latitude: float
    longitude: float
    max_travel_km: float
    vog_date: date | None  # issue date of the certificate of good conduct
    active: bool = True
    unavailable: tuple[Period, ...] = ()  # holidays, other work, leave
    preferred_school_ids: frozenset[int] = frozenset()
    blocked_school_ids: frozenset[int] = frozenset()
    # start dates of earlier fixed-term contracts, per board that employed the member through the pool
    contracts: tuple[tuple[int, date], ...] = ()


@dataclass(frozen=True)
class Request:
    id: int
    school_id: int
    board_id: int  # board of the requesting school
    subject: str
    levels: frozenset[Level]
    start: date
    end: date  # inclusive
    hours_per_week: float
    day_parts: frozenset[DayPart]
    latitude: float
    longitude: float
    urgency: int = 0  # 0 normal, 1 high, 2 urgent
    reason: str = "illness"  # category only: illness, leave, vacancy, other
    preferred_member_id: int | None = None
    blocked_member_ids: frozenset[int] = frozenset()
    class_key: str = ""  # same school/class: continuity is rewarded for the member who had it before
    # boards whose members may be offered this request now (release tiers); None means every board
    released_board_ids: frozenset[int] | None = None


@dataclass(frozen=True)
class Policy:
    long_term_days: int = 5
    allow_in_training: bool = False
    allow_partial: bool = False  # a request may be split between members by hours
    max_members_per_request: int = 2  # only with allow_partial
    vog_max_age_months: int | None = None  # None: a VOG never expires for the pool
    chain_rules: dict[int, ChainRule] = field(default_factory=dict)  # per requesting board
    default_chain_rule: ChainRule = ChainRule()
    # fairness: each board's share of the pool's contributions, and hours it received in the window
    board_shares: dict[int, float] = field(default_factory=dict)
    board_received_hours: dict[int, float] = field(default_factory=dict)
    time_limit_s: float = 10.0
    exact_max_pairs: int = 60_000  # above this many eligible pairs in one component, use the heuristic
    # weights of the fill objective (added by the engine): lesson hours x (1 + urgency_weight x urgency)
    # x (1 + earliness_weight x earliness in the batch, 1 for the earliest start .. 0 for the latest)
    urgency_weight: float = 0.5
    earliness_weight: float = 0.1

    def chain_rule_for(self, board_id: int) -> ChainRule:
        return self.chain_rules.get(board_id, self.default_chain_rule)


@dataclass(frozen=True)
class Exclusion:
    reason: Reason
    detail: str = ""  # e.g. "42.3 km, maximum 30 km" or "dinsdagochtend"; the app formats the sentence


@dataclass(frozen=True)
class Eligibility:
    request_id: int
    member_id: int
    eligible: bool
    exclusions: tuple[Exclusion, ...]  # every failing check, not only the first
    travel_km: float


@dataclass(frozen=True)
class Proposal:
    request_id: int
    member_id: int
    hours_per_week: float  # < request hours only for a partial fill
    travel_km: float
    partial: bool
    explanation: str  # why this member (continuity, preferred, nearest qualified, fairness)


@dataclass(frozen=True)
class Unfilled:
    request_id: int
    hours_per_week: float  # hours left open
    explanation: str  # e.g. "geen lid met bevoegdheid Duits eerstegraads binnen 40 km beschikbaar"
    reason_counts: dict[str, int]  # Reason value -> number of members excluded for it


@dataclass(frozen=True)
class AssignmentResult:
    proposals: tuple[Proposal, ...]
    unfilled: tuple[Unfilled, ...]
    method: str  # "exact" (MILP), "heuristic" or "greedy"
    status: str  # "optimal", "time_limit", "heuristic"
    objective: float
    bound: float | None  # best bound of the exact solver, None for heuristics
    gap: float | None  # relative optimality gap (0.0 when proven optimal)
    filled_hours: float  # lesson hours filled over the requests' periods (hours per week x weeks)
    requested_hours: float  # the same measure for everything asked
    wall_time_s: float
    components: int = 1  # independent sub-problems solved
    notes: tuple[str, ...] = ()  # e.g. which components fell back to the heuristic and why
