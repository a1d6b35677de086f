"""Background tasks of the kernel: sending email from the worker, never from a web request."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django_tasks import task


@task()
def send_email(
    *, to: list[str], subject: str, body: str, html_body: str = "", reply_to: list[str] | None = None
) -> int:
    """Send one email through Django's mail API (the configured EMAIL_BACKEND)."""
    message = EmailMultiAlternatives(
        subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=to, reply_to=reply_to or None
    )
    if html_body:
        message.attach_alternative(html_body, "text/html")
    return message.send()
