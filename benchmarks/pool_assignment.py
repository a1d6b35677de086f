"""Substitute-pool assignment on a national instance built from the real school locations.

Instance (seeded, reproducible): every VO vestiging of DUO's address file
(data/duo/duo_vo_02_alle_vestigingen_vo.csv), placed at its PC4 centroid
(data/geo/geonames_nl_postcode4_centroids.csv, mean per PC4), with its board (bevoegd gezag) and
levels from its onderwijsstructuur, weighted by pupils (data/duo/duo_vo_03_..._2025.csv, 400 when
missing). Members live within ~12 km of a school (picked by size), travel at most 20-50 km, work
4-20 h a week on 5-10 of the 10 day-parts; 1-2 subjects (maths, Dutch and English most often),
degrees first 35 %, second 45 %, limited second 10 %, pdg 3 %, in training 7 %; some absences, VOGs
and earlier contracts. Requests: over school year 2026/27 (40 weeks), subject weighted the same
way, 1-2 levels the school offers, 1-12 weeks, 4-20 h a week spread over day-parts, urgency,
reason (illness/leave/vacancy) and class.

Ours runs as coordinators run it: weekly rolling batches. Each Monday the requests starting that
week are assigned (`assign`), the proposals become bookings (and new contracts, and received hours
for the fairness term) that constrain later batches. The baseline is `greedy_dispatch` over all
requests in start order (sequential dispatch), same instance, same run.

Metrics (one JSON object per line): filled lesson hours and fill rate (hours x working weeks),
mean travel km per proposal, fairness spread = p90 - p10 over requesting boards (with >= 200
requested lesson hours) of the board's fill rate, wall time. On small regional instances (40
members x 80 requests, 12 weeks, neutral weights) the gap in filled hours of greedy and of the
rolling engine to the exact whole-horizon optimum (`assign_exact`).

    python benchmarks/pool_assignment.py [--quick]
"""

from __future__ import annotations

import argparse
import csv
import math
import random
import statistics
import sys
import time
from collections import defaultdict
from dataclasses import replace
from datetime import date, timedelta

from _setup import ROOT, emit

sys.path.insert(0, str(ROOT / "src"))

from onderwijsregio.pool.engine import (
    Booking,
    ChainRule,
    Degree,
    Level,
    Member,
    Period,
    Policy,
    Qualification,
    Request,
    assign,
    assign_exact,
    chain_status,
    greedy_dispatch,
    lesson_hours,
)

SCHOOL_YEAR_START = date(2026, 8, 24)  # Monday, start of school year 2026/27 (region midden)
SCHOOL_WEEKS = 40
SUBJECT_WEIGHTS = {
    "wi": 22,
    "ne": 20,
    "en": 15,
    "du": 5,
    "fa": 5,
    "gs": 5,
    "ak": 5,
    "bio": 5,
    "na": 4,
    "sk": 4,
    "ec": 4,
    "lo": 6,
}
DEGREE_WEIGHTS = {
    Degree.FIRST: 35,
    Degree.SECOND: 45,
    Degree.LIMITED_SECOND: 10,
    Degree.PDG: 3,
    Degree.IN_TRAINING: 7,
}
STRUCTURE_LEVELS = {
    "VBO": [Level.VMBO_BK],
    "MAVO": [Level.VMBO_GT],
    "HAVO": [Level.HAVO_VWO_LOWER, Level.HAVO_UPPER],
    "VWO": [Level.HAVO_VWO_LOWER, Level.VWO_UPPER],
    "PRO": [Level.VSO],
    "BRUGJAAR": [Level.HAVO_VWO_LOWER, Level.VMBO_GT],
}
ALL_PARTS = [(weekday, part) for weekday in range(5) for part in range(2)]


def load_schools() -> list[dict]:
    centroids: dict[str, list[tuple[float, float]]] = defaultdict(list)
    with open(ROOT / "data/geo/geonames_nl_postcode4_centroids.csv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            centroids[row["pc4"]].append((float(row["latitude"]), float(row["longitude"])))
    pc4 = {
        code: (statistics.fmean(p[0] for p in points), statistics.fmean(p[1] for p in points))
        for code, points in centroids.items()
    }
    pupils = {}
    with open(ROOT / "data/duo/duo_vo_03_leerlingen_per_vestiging_en_bestuur_2025.csv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter=";"):
            pupils[row["VESTIGINGSCODE"]] = int(row["AANTAL LEERLINGEN"] or 0)
    schools = []
    with open(ROOT / "data/duo/duo_vo_02_alle_vestigingen_vo.csv", encoding="utf-8") as handle:
        for number, row in enumerate(csv.DictReader(handle, delimiter=";")):
            point = pc4.get(row["POSTCODE"].strip()[:4])
            if point is None:
                continue
            levels = sorted(
                {
                    level
                    for part in row["ONDERWIJSSTRUCTUUR"].split("/")
                    for level in STRUCTURE_LEVELS.get(part.strip(), [])
                }
            )
            if not levels:
                continue
            schools.append(
                {
                    "id": number + 1,
                    "code": row["VESTIGINGSCODE"],
                    "board": int(row["BEVOEGD GEZAG NUMMER"]),
                    "lat": point[0],
                    "lon": point[1],
                    "levels": levels,
                    "pupils": max(pupils.get(row["VESTIGINGSCODE"], 400), 50),
                }
            )
    return schools


def jitter(rng: random.Random, lat: float, lon: float, km: float) -> tuple[float, float]:
    distance = km * math.sqrt(rng.random())
    angle = rng.uniform(0, 2 * math.pi)
    return lat + distance * math.cos(angle) / 111.2, lon + distance * math.sin(angle) / (
        111.2 * math.cos(math.radians(lat))
    )


def pick_subject(rng: random.Random) -> str:
    return rng.choices(list(SUBJECT_WEIGHTS), weights=list(SUBJECT_WEIGHTS.values()))[0]


def make_members(rng: random.Random, schools: list[dict], count: int, first_id: int = 1) -> list[Member]:
    weights = [s["pupils"] for s in schools]
    members = []
    for member_id in range(first_id, first_id + count):
        home = rng.choices(schools, weights=weights)[0]
        lat, lon = jitter(rng, home["lat"], home["lon"], 12)
        subjects = {pick_subject(rng) for _ in range(rng.choice([1, 1, 2]))}
        qualifications = tuple(
            Qualification(subject, rng.choices(list(DEGREE_WEIGHTS), weights=list(DEGREE_WEIGHTS.values()))[0])
            for subject in sorted(subjects)
        )
        unavailable = ()
        if rng.random() < 0.2:
            start = SCHOOL_YEAR_START + timedelta(weeks=rng.randrange(SCHOOL_WEEKS))
            unavailable = (Period(start, start + timedelta(days=rng.choice([6, 13, 20]))),)
        contracts = tuple(
            (home["board"], SCHOOL_YEAR_START - timedelta(days=rng.randrange(30, 1000)))
            for _ in range(rng.choice([0, 0, 1, 2]))
        )
        members.append(
            Member(
                id=member_id,
                board_id=rng.choice([home["board"], 0]),  # own board, or the regional employer (0)
                qualifications=qualifications,
                weekly_hours=float(rng.choice([4, 8, 8, 12, 12, 16, 16, 20])),
                day_parts=frozenset(rng.sample(ALL_PARTS, rng.randint(5, 10))),
                latitude=lat,
                longitude=lon,
                max_travel_km=float(rng.choice([20, 25, 30, 40, 50])),
                vog_date=None if rng.random() < 0.03 else SCHOOL_YEAR_START - timedelta(days=rng.randrange(0, 1400)),
                unavailable=unavailable,
                preferred_school_ids=frozenset({home["id"]}) if rng.random() < 0.3 else frozenset(),
                contracts=contracts,
            )
        )
    return members


def make_requests(
    rng: random.Random, schools: list[dict], count: int, weeks: int = SCHOOL_WEEKS, first_id: int = 1
) -> list[Request]:
    weights = [s["pupils"] for s in schools]
    requests = []
    for request_id in range(first_id, first_id + count):
        school = rng.choices(schools, weights=weights)[0]
        start = SCHOOL_YEAR_START + timedelta(weeks=rng.randrange(weeks), days=rng.choice([0, 0, 0, 1, 2, 3]))
        duration = rng.choices(range(1, 13), weights=[10, 9, 8, 7, 6, 6, 5, 4, 3, 3, 2, 3])[0]
        end = start + timedelta(weeks=duration) - timedelta(days=start.weekday() + 3)  # ends on a Friday
        if end < start:
            end = start + timedelta(days=4 - start.weekday())
        hours = float(rng.choice(range(4, 21, 2)))
        parts = min(10, max(1, round(hours / 2.5)))
        levels = rng.sample(school["levels"], min(len(school["levels"]), rng.choice([1, 1, 2])))
        subject = pick_subject(rng)
        requests.append(
            Request(
                id=request_id,
                school_id=school["id"],
                board_id=school["board"],
                subject=subject,
                levels=frozenset(levels),
                start=start,
                end=end,
                hours_per_week=hours,
                day_parts=frozenset(rng.sample(ALL_PARTS, parts)),
                latitude=school["lat"],
                longitude=school["lon"],
                urgency=rng.choices([0, 1, 2], weights=[70, 20, 10])[0],
                reason=rng.choices(["illness", "leave", "vacancy"], weights=[60, 25, 15])[0],
                class_key=f"{school['id']}-{subject}-{rng.randrange(6)}",
            )
        )
    return requests


def base_policy(schools: list[dict], **changes) -> Policy:
    shares: dict[int, float] = defaultdict(float)
    for school in schools:
        shares[school["board"]] += school["pupils"]
    return Policy(default_chain_rule=ChainRule(3, 36), board_shares=dict(shares), time_limit_s=10.0, **changes)


def announcements(rng: random.Random, requests: list[Request]) -> dict[int, date]:
    """When each request becomes known: illness mostly the week itself, leave and vacancies weeks ahead."""
    lead_weeks = {"illness": [0, 0, 0, 1], "leave": [2, 3, 4, 6], "vacancy": [1, 2, 3, 4]}
    return {r.id: r.start - timedelta(weeks=rng.choice(lead_weeks[r.reason])) for r in requests}


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def rolling(
    members: list[Member], requests: list[Request], policy: Policy, announced: dict[int, date] | None = None
) -> tuple[list, float, dict]:
    """Weekly batches; each batch's proposals become bookings, contracts and received hours for the next.

    Without `announced` a batch holds the requests starting that week. With it (look-ahead), a batch
    holds every request known by that Monday that has not started yet; only the proposals for
    requests starting that week are committed, the rest is planned again next week.
    """
    members_by_id = {m.id: m for m in members}
    requests_by_id = {r.id: r for r in requests}
    known = announced or {r.id: monday_of(r.start) for r in requests}
    mondays = sorted({monday_of(r.start) for r in requests})
    bookings: list[Booking] = []
    received: dict[int, float] = defaultdict(float)
    proposals = []
    info = {
        "batches": 0,
        "max_batch_s": 0.0,
        "methods": defaultdict(int),
        "statuses": defaultdict(int),
        "batch_sizes": [],
    }
    started = time.perf_counter()
    for monday in mondays:
        batch = [r for r in requests if known[r.id] <= monday + timedelta(days=6) and monday_of(r.start) >= monday]
        today = replace(policy, board_received_hours=dict(received))
        live = [b for b in bookings if b.end >= monday]
        batch_started = time.perf_counter()
        result = assign(list(members_by_id.values()), batch, today, live)
        info["max_batch_s"] = max(info["max_batch_s"], time.perf_counter() - batch_started)
        info["batches"] += 1
        info["batch_sizes"].append(len(batch))
        info["methods"][result.method] += 1
        info["statuses"][result.status] += 1
        for proposal in result.proposals:
            request = requests_by_id[proposal.request_id]
            if monday_of(request.start) != monday:
                continue  # planned, not committed: next week's batch decides again
            member = members_by_id[proposal.member_id]
            bookings.append(
                Booking(
                    member.id,
                    request.start,
                    request.end,
                    proposal.hours_per_week,
                    request.day_parts,
                    request.school_id,
                    request.class_key,
                )
            )
            adds, _count, _maximum = chain_status(member, request, today)
            if adds:
                members_by_id[member.id] = replace(
                    member, contracts=(*member.contracts, (request.board_id, request.start))
                )
            received[request.board_id] += lesson_hours(proposal.hours_per_week, request.start, request.end)
            proposals.append(proposal)
    return proposals, time.perf_counter() - started, info


def measures(requests: list[Request], proposals) -> dict:
    requests_by_id = {r.id: r for r in requests}
    requested = sum(lesson_hours(r.hours_per_week, r.start, r.end) for r in requests)
    filled = 0.0
    per_board_asked: dict[int, float] = defaultdict(float)
    per_board_got: dict[int, float] = defaultdict(float)
    for request in requests:
        per_board_asked[request.board_id] += lesson_hours(request.hours_per_week, request.start, request.end)
    for proposal in proposals:
        request = requests_by_id[proposal.request_id]
        hours = lesson_hours(proposal.hours_per_week, request.start, request.end)
        filled += hours
        per_board_got[request.board_id] += hours
    rates = sorted(per_board_got[b] / asked for b, asked in per_board_asked.items() if asked >= 200)
    p10 = rates[int(0.1 * (len(rates) - 1))] if rates else 0.0
    p90 = rates[int(0.9 * (len(rates) - 1))] if rates else 0.0
    return {
        "filled": filled,
        "requested": requested,
        "fill_rate": filled / requested if requested else 0.0,
        "mean_km": statistics.fmean(p.travel_km for p in proposals) if proposals else 0.0,
        "spread": p90 - p10,
        "boards": len(rates),
        "proposals": len(proposals),
    }


def small_gaps(schools: list[dict], seeds: int) -> dict:
    """Gap in filled hours to the exact whole-horizon optimum, on regional instances around Amersfoort."""
    region = [s for s in schools if abs(s["lat"] - 52.16) < 0.25 and abs(s["lon"] - 5.39) < 0.4]
    greedy_gaps, rolling_gaps, ahead_gaps, exact_seconds = [], [], [], []
    neutral = base_policy(region, urgency_weight=0.0, earliness_weight=0.0)
    for seed in range(seeds):
        rng = random.Random(1000 + seed)
        members = make_members(rng, region, 40)
        requests = make_requests(rng, region, 80, weeks=12)
        started = time.perf_counter()
        exact = assign_exact(members, requests, neutral)
        exact_seconds.append(time.perf_counter() - started)
        greedy = greedy_dispatch(members, requests, neutral)
        ours, _seconds, _info = rolling(members, requests, neutral)
        ahead, _seconds, _info = rolling(members, requests, neutral, announcements(rng, requests))
        optimum = exact.filled_hours
        greedy_gaps.append((optimum - greedy.filled_hours) / optimum)
        rolling_gaps.append((optimum - measures(requests, ours)["filled"]) / optimum)
        ahead_gaps.append((optimum - measures(requests, ahead)["filled"]) / optimum)
    return {
        "greedy_mean": statistics.fmean(greedy_gaps),
        "greedy_max": max(greedy_gaps),
        "rolling_mean": statistics.fmean(rolling_gaps),
        "rolling_max": max(rolling_gaps),
        "ahead_mean": statistics.fmean(ahead_gaps),
        "ahead_max": max(ahead_gaps),
        "exact_mean_s": statistics.fmean(exact_seconds),
        "schools": len(region),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="600 members x 1,200 requests, 3 small instances")
    args = parser.parse_args()
    member_count, request_count, seeds = (600, 1_200, 3) if args.quick else (3_000, 6_000, 10)

    schools = load_schools()
    rng = random.Random(2026)
    members = make_members(rng, schools, member_count)
    requests = make_requests(rng, schools, request_count)
    policy = base_policy(schools)
    size = {
        "members": member_count,
        "requests": request_count,
        "schools": len(schools),
        "boards": len({s["board"] for s in schools}),
        "weeks": SCHOOL_WEEKS,
    }

    started = time.perf_counter()
    greedy = greedy_dispatch(members, requests, policy)
    greedy_seconds = time.perf_counter() - started
    announced = announcements(random.Random(7), requests)
    ours, ours_seconds, info = rolling(members, requests, policy, announced)
    plain, plain_seconds, plain_info = rolling(members, requests, policy)
    mine = measures(requests, ours)
    mine_plain = measures(requests, plain)
    theirs = measures(requests, greedy.proposals)
    common = {
        "baseline_is": "greedy_dispatch: sequential by start date, first eligible by preference then distance",
        "ours_is": "weekly rolling batches of assign() over the requests known by Monday, committing those starting that week",
    }

    def line(metric: str, key: str, unit: str, digits: int, **extra) -> None:
        ratio = mine[key] / theirs[key] if theirs[key] else None
        emit(
            benchmark="pool_assignment",
            metric=metric,
            ours=round(mine[key], digits),
            baseline=round(theirs[key], digits),
            ratio=None if ratio is None else round(ratio, 4),
            unit=unit,
            size=size,
            ours_without_lookahead=round(mine_plain[key], digits),
            **extra,
            **common,
        )

    line("filled_hours", "filled", "lesson hours", 0, requested_hours=round(mine["requested"]))
    line(
        "fill_rate",
        "fill_rate",
        "share of requested lesson hours",
        4,
        proposals={
            "ours": mine["proposals"],
            "baseline": theirs["proposals"],
            "ours_without_lookahead": mine_plain["proposals"],
        },
    )
    both = {p.request_id for p in ours} & {p.request_id for p in greedy.proposals}
    line(
        "mean_travel_km",
        "mean_km",
        "km per proposal (straight line)",
        2,
        on_requests_both_filled={
            "requests": len(both),
            "ours": round(statistics.fmean(p.travel_km for p in ours if p.request_id in both), 2) if both else None,
            "baseline": round(statistics.fmean(p.travel_km for p in greedy.proposals if p.request_id in both), 2)
            if both
            else None,
        },
    )
    line(
        "fairness_spread",
        "spread",
        "p90 - p10 of board fill rates (boards with >= 200 requested lesson hours)",
        4,
        boards_measured=mine["boards"],
    )
    emit(
        benchmark="pool_assignment",
        metric="wall_time",
        ours=round(ours_seconds, 2),
        baseline=round(greedy_seconds, 2),
        ratio=round(ours_seconds / greedy_seconds, 2),
        unit="s for the whole school year",
        size=size,
        ours_without_lookahead=round(plain_seconds, 2),
        batches=info["batches"],
        mean_batch_requests=round(statistics.fmean(info["batch_sizes"]), 1),
        max_batch_s=round(info["max_batch_s"], 2),
        max_batch_s_without_lookahead=round(plain_info["max_batch_s"], 2),
        methods=dict(info["methods"]),
        statuses=dict(info["statuses"]),
        **common,
    )
    gaps = small_gaps(schools, seeds)
    emit(
        benchmark="pool_assignment",
        metric="gap_to_optimum",
        ours=round(100 * gaps["ahead_mean"], 2),
        baseline=round(100 * gaps["greedy_mean"], 2),
        ratio=round(gaps["greedy_mean"] / gaps["ahead_mean"], 2) if gaps["ahead_mean"] > 0 else None,
        unit="% of optimal filled hours, mean over instances",
        size={"members": 40, "requests": 80, "weeks": 12, "instances": seeds, "region_schools": gaps["schools"]},
        ours_max=round(100 * gaps["ahead_max"], 2),
        baseline_max=round(100 * gaps["greedy_max"], 2),
        ours_without_lookahead=round(100 * gaps["rolling_mean"], 2),
        ours_without_lookahead_max=round(100 * gaps["rolling_max"], 2),
        exact_whole_horizon_mean_s=round(gaps["exact_mean_s"], 3),
        optimum_is="assign_exact over all 80 requests at once (whole horizon, neutral weights, no time limit)",
    )


if __name__ == "__main__":
    main()
