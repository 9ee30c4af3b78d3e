"""「忘记密码」: Django's password reset, its e-mail sent through the outbox like every other.

Only a person with a password of their own and an e-mail is sent a link (Django's rule): people
the directory signs in, or new people who have not yet used their invitation
(`password_links`), get none. The page says the same whether or not the address is known.
"""

from django.contrib.auth.forms import PasswordResetForm
from django.template import loader

from outbox.services import job_enqueue


class OutboxPasswordResetForm(PasswordResetForm):
    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        job_enqueue("organisation.tasks.email_send", subject, body, to_email)
