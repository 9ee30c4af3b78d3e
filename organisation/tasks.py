from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import OperationalError
from django.utils.translation import gettext as _
from kombu.exceptions import OperationalError as BrokerError

from organisation.models import Notification


@shared_task(
    autoretry_for=(OperationalError, BrokerError, OSError), retry_backoff=True, max_retries=5
)
def email_notification(notification_id: int) -> bool:
    notification = (
        Notification.objects.select_related("recipient").filter(pk=notification_id).first()
    )
    if notification is None:
        return False  # deleted meanwhile: nothing to send
    link = f"{settings.SITE_URL.rstrip('/')}{notification.url}" if notification.url else ""
    send_mail(
        subject=_("[Prioritizer] %(text)s") % {"text": notification.text[:60]},
        message=f"{notification.text}\n\n{link}".strip(),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[notification.recipient.email],
    )
    return True


@shared_task(
    autoretry_for=(OperationalError, BrokerError, OSError), retry_backoff=True, max_retries=5
)
def email_password_link(user_id: int) -> bool:
    from django.contrib.auth import get_user_model

    from organisation.password_links import password_link

    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.email or user.has_usable_password():
        return False  # gone, deactivated, or a password was set meanwhile: nothing to send
    send_mail(
        subject=_("[Prioritizer] Set your password"),
        message=_(
            "%(name)s, an account was made for you in Prioritizer (user name: %(username)s).\n"
            "Choose your password here; the link works once:\n\n%(link)s"
        )
        % {
            "name": user.get_full_name() or user.username,
            "username": user.username,
            "link": password_link(user),
        },
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[user.email],
    )
    return True


@shared_task(
    autoretry_for=(OperationalError, BrokerError, OSError), retry_backoff=True, max_retries=5
)
def email_send(subject: str, body: str, to_email: str) -> bool:
    """A message already written (e.g. the password reset's), sent as it is."""
    send_mail(
        subject=subject,
        message=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[to_email],
    )
    return True
