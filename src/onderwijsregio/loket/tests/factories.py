import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from onderwijsregio.loket.models import Candidate, EducationLevel, LanguageLevel, Stage, TargetGroup, Trajectory
from onderwijsregio.organisations.tests.factories import RegionFactory


class CandidateFactory(DjangoModelFactory):
    class Meta:
        model = Candidate

    region = factory.SubFactory(RegionFactory)
    first_name = factory.Faker("first_name", locale="nl_NL")
    last_name = factory.Faker("last_name", locale="nl_NL")
    email = factory.Sequence(lambda n: f"kandidaat{n}@example.nl")
    postcode = "3811 AB"
    target_group = TargetGroup.SIDE_ENTRANT
    education_level = EducationLevel.WO_MASTER
    education_field = "Toegepaste wiskunde"
    dutch_level = LanguageLevel.NATIVE
    target_sectors = ["VO"]
    is_synthetic = True


class TrajectoryFactory(DjangoModelFactory):
    class Meta:
        model = Trajectory

    candidate = factory.SubFactory(CandidateFactory)
    stage = Stage.NEW
    stage_changed_at = factory.LazyFunction(timezone.now)
