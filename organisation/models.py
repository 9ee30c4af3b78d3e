"""The company's org structure (BG > BU > segment) and who holds which role where."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

CODE_VALIDATOR_MESSAGE = _("Use letters, digits, '-' or '_' only.")


def localised(name_zh: str, name_en: str) -> str:
    """The name in the active language: English when chosen and given, else Chinese."""
    if (get_language() or "").startswith("en") and name_en:
        return name_en
    return name_zh


class BilingualNameMixin(models.Model):
    name_zh = models.CharField(_("Chinese name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def name(self) -> str:
        return localised(self.name_zh, self.name_en)


class BusinessGroup(BilingualNameMixin):
    code = models.SlugField(_("code"), max_length=20, unique=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("business group")
        verbose_name_plural = _("business groups")

    def get_absolute_url(self) -> str:
        return reverse("organisation:unit-detail", args=["bg", self.code])


class BusinessUnitQuerySet(models.QuerySet):
    def with_group(self):
        return self.select_related("business_group")

    def in_group(self, business_group):
        return self.filter(business_group=business_group)


class BusinessUnit(BilingualNameMixin):
    code = models.SlugField(_("code"), max_length=20, unique=True)
    business_group = models.ForeignKey(
        BusinessGroup,
        on_delete=models.PROTECT,
        related_name="business_units",
        verbose_name=_("business group"),
    )

    objects = BusinessUnitQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("business unit")
        verbose_name_plural = _("business units")

    def get_absolute_url(self) -> str:
        return reverse("organisation:unit-detail", args=["bu", self.code])


class SegmentQuerySet(models.QuerySet):
    def with_org(self):
        return self.select_related("business_unit__business_group")

    def without_segment_manager(self):
        """Segments where nobody holds the segment-manager role: the BU VP acts for them."""
        return self.exclude(role_memberships__role=Role.SEGMENT_MANAGER)

    def in_unit(self, business_unit):
        return self.filter(business_unit=business_unit)

    def in_org_order(self):
        """By BU code, then segment code: how lists of segments across BUs read."""
        return self.order_by("business_unit__code", "code")

    def other_than(self, segment_id: int):
        return self.exclude(pk=segment_id)


class Segment(BilingualNameMixin):
    code = models.SlugField(_("code"), max_length=20, unique=True)
    business_unit = models.ForeignKey(
        BusinessUnit,
        on_delete=models.PROTECT,
        related_name="segments",
        verbose_name=_("business unit"),
    )

    objects = SegmentQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("market segment")
        verbose_name_plural = _("market segments")

    def get_absolute_url(self) -> str:
        return reverse("organisation:unit-detail", args=["segment", self.code])


class Role(models.TextChoices):
    BG_VP = "bg_vp", _("BG marketing VP")
    BU_VP = "bu_vp", _("BU marketing VP")
    SEGMENT_MANAGER = "segment_manager", _("Segment manager")
    ACCOUNT_MANAGER = "account_manager", _("Account manager")
    RESEARCHER = "researcher", _("Researcher")
    EXTERNAL_RELATIONS = "external_relations", _("External-relations lead")


# The org level each role is held at.
ROLE_LEVEL = {
    Role.BG_VP: "bg",
    Role.BU_VP: "bu",
    Role.SEGMENT_MANAGER: "segment",
    Role.ACCOUNT_MANAGER: "bu",
    Role.RESEARCHER: "bu",
    Role.EXTERNAL_RELATIONS: "bu",
}


class RoleMembershipQuerySet(models.QuerySet):
    def with_scope(self):
        return self.select_related(
            "business_group",
            "business_unit__business_group",
            "segment__business_unit__business_group",
        )

    def held_over(self, unit):
        """The roles held over exactly `unit` (a BG, BU or segment), by role, then username."""
        field = {BusinessGroup: "business_group", BusinessUnit: "business_unit"}.get(
            type(unit), "segment"
        )
        return (
            self.filter(**{field: unit}).select_related("user").order_by("role", "user__username")
        )


class RoleMembership(models.Model):
    """A user holding one role over exactly one org unit of the role's level."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="role_memberships",
        verbose_name=_("user"),
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    business_group = models.ForeignKey(
        BusinessGroup,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="role_memberships",
        verbose_name=_("business group"),
    )
    business_unit = models.ForeignKey(
        BusinessUnit,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="role_memberships",
        verbose_name=_("business unit"),
    )
    segment = models.ForeignKey(
        Segment,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="role_memberships",
        verbose_name=_("market segment"),
    )

    objects = RoleMembershipQuerySet.as_manager()
    # Who was given or lost which role where, and by whom: every role change is audited.
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("role membership")
        verbose_name_plural = _("role memberships")
        constraints = [
            models.CheckConstraint(
                name="membership_scope_matches_role",
                condition=(
                    models.Q(
                        role="bg_vp",
                        business_group__isnull=False,
                        business_unit__isnull=True,
                        segment__isnull=True,
                    )
                    | models.Q(
                        role__in=["bu_vp", "account_manager", "researcher", "external_relations"],
                        business_group__isnull=True,
                        business_unit__isnull=False,
                        segment__isnull=True,
                    )
                    | models.Q(
                        role="segment_manager",
                        business_group__isnull=True,
                        business_unit__isnull=True,
                        segment__isnull=False,
                    )
                ),
            ),
            *(
                models.UniqueConstraint(
                    fields=["user", "role", field],
                    condition=models.Q(**{f"{field}__isnull": False}),
                    name=f"membership_unique_{field}",
                )
                for field in ("business_group", "business_unit", "segment")
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.unit}"

    @property
    def unit(self):
        return self.business_group or self.business_unit or self.segment

    def clean(self) -> None:
        level = ROLE_LEVEL.get(self.role)
        given = {
            "bg": self.business_group_id,
            "bu": self.business_unit_id,
            "segment": self.segment_id,
        }
        field_for_level = {"bg": "business_group", "bu": "business_unit", "segment": "segment"}
        errors = {}
        for unit_level, unit_id in given.items():
            if unit_level == level and not unit_id:
                errors[field_for_level[unit_level]] = _("This role is held for one %(unit)s.") % {
                    "unit": RoleMembership._meta.get_field(field_for_level[unit_level]).verbose_name
                }
            elif unit_level != level and unit_id:
                errors[field_for_level[unit_level]] = _("Leave empty for this role.")
        if errors:
            raise ValidationError(errors)


class NotificationQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """A message to one user, shown on their home page and also sent by e-mail."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sender"),
    )
    text = models.CharField(_("text"), max_length=500)
    url = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self) -> str:
        return self.text


class Profile(models.Model):
    """What Django's user lacks for a person of the people file: the phone number."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="profile",
        verbose_name=_("user"),
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")

    def __str__(self) -> str:
        return str(self.user)
