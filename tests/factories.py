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


class CustomerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "customers.Customer"
        skip_postgeneration_save = True

    name_zh = factory.Sequence(lambda n: f"测试客户{n}有限公司")
    name_en = factory.Sequence(lambda n: f"Test Customer {n} Ltd")
    business_unit = factory.SubFactory(BusinessUnitFactory)

    @factory.post_generation
    def segments(self, create, extracted, **kwargs):
        if create and extracted:
            self.segments.set(extracted)


class CustomerYearFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "customers.CustomerYear"

    customer = factory.SubFactory(CustomerFactory)
    year = 2026


class AttributeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "customers.Attribute"
        django_get_or_create = ("key",)

    key = factory.Sequence(lambda n: f"attribute_{n}")
    name_zh = factory.Sequence(lambda n: f"属性{n}")


def attribute_with_options(key: str, *option_keys: str, business_unit=None):
    """E.g. attribute_with_options("outsourcing_attitude", "open", "neutral", "closed")."""
    from customers.models import AttributeOption

    attribute = AttributeFactory(key=key, business_unit=business_unit)
    for order, option_key in enumerate(option_keys):
        AttributeOption.objects.get_or_create(
            attribute=attribute, key=option_key, defaults={"name_zh": option_key, "order": order}
        )
    return attribute
