"""Enterprise sign-in: django-auth-ldap, matched to the people already in the database.

The people file (load_people) or the admin may have created a person before their first
sign-in, possibly under another username than the directory's (an AD sAMAccountName against
a file's pinyin name). Matching by username, then by e-mail, keeps one account per person, with
its role memberships and history. A person deactivated here (a leaver) stays refused even while
the directory still accepts their password.
"""

from django.contrib.auth import get_user_model
from django_auth_ldap.backend import LDAPBackend


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
        return user, False


def _directory_email(ldap_user) -> str:
    values = (ldap_user.attrs or {}).get("mail") or [""]
    return values[0].strip()


def _users():
    return get_user_model()._default_manager
