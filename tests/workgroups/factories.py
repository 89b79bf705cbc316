import factory

from tests.factories import UserFactory
from workgroups.models import IntegrationArea, Membership, WorkingGroup


class IntegrationAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IntegrationArea

    name = factory.Sequence(lambda n: f"Obszar {n}")


class WorkingGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkingGroup

    area = factory.SubFactory(IntegrationAreaFactory)
    name = factory.Sequence(lambda n: f"Zespół {n}")
    slug = factory.Sequence(lambda n: f"zespol-{n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    group = factory.SubFactory(WorkingGroupFactory)
    user = factory.SubFactory(UserFactory)
    role = Membership.Role.EXPERT
