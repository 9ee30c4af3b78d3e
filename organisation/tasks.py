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
