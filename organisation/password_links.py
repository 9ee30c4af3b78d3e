"""New people set their own password: the people file creates them without one, and each is
e-mailed a link (Django's password-reset token, valid PASSWORD_RESET_TIMEOUT) to the page where
they choose it. Not when the company's directory signs people in (LDAP): the directory's
password is theirs then."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from outbox.services import job_enqueue

LDAP_BACKEND = "organisation.ldap_backend.PeopleLDAPBackend"


def directory_sign_in() -> bool:
    return LDAP_BACKEND in settings.AUTHENTICATION_BACKENDS


def password_link(user) -> str:
    """The absolute address of the page where `user` sets a password (one use)."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    path = reverse("password_reset_confirm", args=[uid, default_token_generator.make_token(user)])
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def password_link_send(*, user) -> None:
    """E-mail the link once the surrounding transaction commits (through the outbox)."""
    job_enqueue("organisation.tasks.email_password_link", user.pk)
