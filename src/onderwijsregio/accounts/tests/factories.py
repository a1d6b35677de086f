import factory
from factory.django import DjangoModelFactory

from onderwijsregio.accounts.models import Membership, Role, User
from onderwijsregio.organisations.tests.factories import BoardFactory

TEST_PASSWORD = "correct-horse-battery-staple"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"gebruiker{n}@example.nl")
    full_name = factory.Faker("name", locale="nl_NL")
    is_synthetic = True
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(BoardFactory)
    role = Role.BOARD_HR
