from datetime import timedelta

import factory

from django.utils import timezone

from tests.factories import UserFactory
from workgroups.models import (
    AgendaItem,
    IntegrationArea,
    Meeting,
    Membership,
    WorkingGroup,
)


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


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    group = factory.SubFactory(WorkingGroupFactory)
    title = factory.Sequence(lambda n: f"Posiedzenie {n}")
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))
    ends_at = factory.LazyAttribute(lambda m: m.starts_at + timedelta(hours=2))
    address = "ul. Basztowa 22, Kraków"


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgendaItem

    meeting = factory.SubFactory(MeetingFactory)
    title = factory.Sequence(lambda n: f"Punkt {n}")
    position = factory.Sequence(lambda n: n)


def group_with_roles(**group_kwargs):
    """A group with one member in each role: a dict role → membership."""
    group = WorkingGroupFactory(**group_kwargs)
    return {role: MembershipFactory(group=group, role=role) for role in Membership.Role}
