"""Enterprise sign-in: django-auth-ldap, matched to the people already in the database.

The people file (load_people) or the admin may have created a person before their first
sign-in, possibly under another username than the directory's (an AD sAMAccountName against
a file's pinyin name). Matching by username, then by e-mail, keeps one account per person, with
its role memberships and history. A person deactivated here (a leaver) stays refused even while
the directory still accepts their password. The names and e-mail a matched person already has
stay as the file gave them (Chinese names, family name first); the directory fills only what is
empty, so signing in does not turn 王芳 into "Fang Wang".
"""

from django.contrib.auth import get_user_model
from django.dispatch import receiver
from django_auth_ldap.backend import LDAPBackend, populate_user

KEPT_FIELDS = ("first_name", "last_name", "email")


class PeopleLDAPBackend(LDAPBackend):
    """The user with the directory's username, else the one with its e-mail (case-insensitive);
    a new user only when neither exists."""

    def get_or_build_user(self, username, ldap_user):
        # Raised inside django-auth-ldap's sign-in, which then refuses it without saving.
        refuse = ldap_user.AuthenticationFailed
        email = _directory_email(ldap_user)
        user = _users().filter(username__iexact=username).first()
        if user is None and email:
            by_email = list(_users().filter(email__iexact=email)[:2])
            if len(by_email) > 1:
                raise refuse(
                    f"{len(by_email)} users have the e-mail {email}; give one this username"
                )
            user = by_email[0] if by_email else None
        if user is None:
            return super().get_or_build_user(username, ldap_user)
        if not user.is_active:
            raise refuse(f"{user.username} is inactive")
        user._kept = {field: getattr(user, field) for field in KEPT_FIELDS if getattr(user, field)}
        return user, False


@receiver(populate_user, sender=PeopleLDAPBackend)
def _keep_what_the_person_had(sender, user, ldap_user, **kwargs):
    """Sent after the directory's attributes were copied onto the user, before it is saved."""
    for field, value in getattr(user, "_kept", {}).items():
        setattr(user, field, value)


def _directory_email(ldap_user) -> str:
    values = (ldap_user.attrs or {}).get("mail") or [""]
    return values[0].strip()


def _users():
    return get_user_model()._default_manager
