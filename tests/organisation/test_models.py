import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from organisation.models import Role, RoleMembership


class TestRoleMembership:
    def test_a_bu_role_needs_a_business_unit(self, org, django_user_model):
        user = django_user_model.objects.create(username="x")
        membership = RoleMembership(user=user, role=Role.BU_VP, segment=org.auto)
        with pytest.raises(ValidationError) as error:
            membership.full_clean()
        assert set(error.value.message_dict) == {"business_unit", "segment"}

    def test_the_database_refuses_a_scope_at_the_wrong_level(self, org, django_user_model):
        user = django_user_model.objects.create(username="x")
        with pytest.raises(IntegrityError), transaction.atomic():
            RoleMembership.objects.create(user=user, role=Role.BG_VP, business_unit=org.bu1)

    def test_the_same_role_twice_on_one_unit_is_refused(self, org, django_user_model):
        user = django_user_model.objects.create(username="x")
        RoleMembership.objects.create(user=user, role=Role.SEGMENT_MANAGER, segment=org.auto)
        with pytest.raises(IntegrityError), transaction.atomic():
            RoleMembership.objects.create(user=user, role=Role.SEGMENT_MANAGER, segment=org.auto)

    def test_a_user_may_hold_two_roles(self, org, django_user_model):
        user = django_user_model.objects.create(username="x")
        RoleMembership.objects.create(user=user, role=Role.BU_VP, business_unit=org.bu1)
        RoleMembership.objects.create(user=user, role=Role.RESEARCHER, business_unit=org.bu1)
        assert user.role_memberships.count() == 2


class TestBilingualNames:
    def test_the_name_follows_the_active_language(self, org):
        org.bg1.name_en = "Manufacturing BG"
        with translation.override("en"):
            assert org.bg1.name == "Manufacturing BG"
        with translation.override("zh-hans"):
            assert org.bg1.name == "制造业务群"

    def test_english_falls_back_to_chinese(self, org):
        org.bg1.name_en = ""
        with translation.override("en"):
            assert org.bg1.name == "制造业务群"
