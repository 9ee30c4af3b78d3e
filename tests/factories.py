import factory
from django.contrib.auth import get_user_model

from organisation.models import BusinessGroup, BusinessUnit, RoleMembership, Segment


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("pw-for-tests-1")


class BusinessGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BusinessGroup
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"BG{n}")
    name_zh = factory.Sequence(lambda n: f"业务群{n}")
    name_en = factory.Sequence(lambda n: f"Group {n}")


class BusinessUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BusinessUnit
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"BU{n}")
    name_zh = factory.Sequence(lambda n: f"事业部{n}")
    name_en = factory.Sequence(lambda n: f"Unit {n}")
    business_group = factory.SubFactory(BusinessGroupFactory)


class SegmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Segment
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"S{n}")
    name_zh = factory.Sequence(lambda n: f"细分市场{n}")
    name_en = factory.Sequence(lambda n: f"Segment {n}")
    business_unit = factory.SubFactory(BusinessUnitFactory)


class RoleMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleMembership

    user = factory.SubFactory(UserFactory)
