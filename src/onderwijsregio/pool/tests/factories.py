"""Factories for the substitute pool; fictitious people, marked synthetic."""

from datetime import date, timedelta
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from onderwijsregio.organisations.models import Subject
from onderwijsregio.organisations.tests.factories import BoardFactory, RegionFactory, SchoolLocationFactory
from onderwijsregio.pool.models import (
    Assignment,
    BookedSlot,
    Degree,
    Level,
    MemberQualification,
    Pool,
    PoolBoard,
    PoolMember,
    ReplacementRequest,
)

ALL_DAY_PARTS = [f"{weekday}-{part}" for weekday in range(5) for part in range(2)]


class SubjectFactory(DjangoModelFactory):
    class Meta:
        model = Subject
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"vak-{n}")
    name = factory.Sequence(lambda n: f"Vak {n}")
    in_vmbo = True
    in_lower_havo_vwo = True
    in_upper_havo_vwo = True


class PoolFactory(DjangoModelFactory):
    class Meta:
        model = Pool

    region = factory.SubFactory(RegionFactory)
    name = factory.Sequence(lambda n: f"Invalpool {n}")
    slug = factory.Sequence(lambda n: f"pool-{n}")


class PoolBoardFactory(DjangoModelFactory):
    class Meta:
        model = PoolBoard

    pool = factory.SubFactory(PoolFactory)
    board = factory.SubFactory(BoardFactory)


class PoolMemberFactory(DjangoModelFactory):
    class Meta:
        model = PoolMember

    pool = factory.SubFactory(PoolFactory)
    full_name = factory.Faker("name", locale="nl_NL")
    email = factory.Sequence(lambda n: f"poollid{n}@example.nl")
    employer = factory.SubFactory(BoardFactory)
    levels = [Level.VMBO_GT.value, Level.HAVO_VWO_LOWER.value]
    contract_hours = Decimal("24.0")
    pool_hours = Decimal("16.0")
    day_parts = ALL_DAY_PARTS
    home_postcode = "3811"
    latitude = 52.156
    longitude = 5.387
    max_travel_km = 30
    vog_date = factory.LazyFunction(lambda: date.today() - timedelta(days=100))
    is_synthetic = True


class MemberQualificationFactory(DjangoModelFactory):
    class Meta:
        model = MemberQualification

    member = factory.SubFactory(PoolMemberFactory)
    subject = factory.SubFactory(SubjectFactory)
    degree = Degree.SECOND


class ReplacementRequestFactory(DjangoModelFactory):
    class Meta:
        model = ReplacementRequest

    pool = factory.SubFactory(PoolFactory)
    school_location = factory.SubFactory(SchoolLocationFactory)
    board = factory.LazyAttribute(lambda o: o.school_location.board)
    subject = factory.SubFactory(SubjectFactory)
    levels = [Level.HAVO_VWO_LOWER.value]
    class_key = "2B"
    start_date = factory.LazyFunction(lambda: date.today() + timedelta(days=14))
    end_date = factory.LazyAttribute(lambda o: o.start_date + timedelta(days=27))
    hours_per_week = Decimal("8.0")
    day_parts = ["0-0", "2-0"]
    reason = "illness"
    contact_name = "J. de Vries"
    contact_email = factory.Sequence(lambda n: f"contact{n}@school.example.nl")
    is_synthetic = True


class AssignmentFactory(DjangoModelFactory):
    """An assignment with its booked day-parts, as the accept service would make it."""

    class Meta:
        model = Assignment
        skip_postgeneration_save = True

    request = factory.SubFactory(ReplacementRequestFactory)
    member = factory.SubFactory(PoolMemberFactory, pool=factory.SelfAttribute("..request.pool"))
    start_date = factory.SelfAttribute("request.start_date")
    end_date = factory.SelfAttribute("request.end_date")
    hours_per_week = factory.SelfAttribute("request.hours_per_week")
    day_parts = factory.SelfAttribute("request.day_parts")

    @factory.post_generation
    def slots(obj, create, extracted, **kwargs):
        if not create:
            return
        day = obj.start_date
        rows = []
        while day <= obj.end_date:
            for value in obj.day_parts:
                weekday, part = (int(x) for x in value.split("-"))
                if day.weekday() == weekday:
                    rows.append(BookedSlot(assignment=obj, member=obj.member, day=day, part=part))
            day += timedelta(days=1)
        BookedSlot.objects.bulk_create(rows)


class HoursEntryFactory(DjangoModelFactory):
    """Hours of one week of an assignment (the Monday of its first week by default), entered by the school."""

    class Meta:
        model = "pool.HoursEntry"

    assignment = factory.SubFactory(AssignmentFactory)
    week_start = factory.LazyAttribute(
        lambda o: o.assignment.start_date - timedelta(days=o.assignment.start_date.weekday())
    )
    hours = factory.LazyAttribute(lambda o: o.assignment.hours_per_week)
    entered_side = "school"
    status = "entered"
