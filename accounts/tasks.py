from celery import shared_task
from django.core.management import call_command


@shared_task
def clear_expired_sessions() -> None:
    call_command("clearsessions")


@shared_task
def send_password_reset(*, email: str, domain: str, use_https: bool, language: str) -> None:
    """The reset e-mail, if `email` belongs to an active account with a password. Run by the
    worker, so the request that asked took the same time whether or not it did."""
    from django.contrib.auth.forms import PasswordResetForm
    from django.utils import translation

    form = PasswordResetForm({"email": email})
    if not form.is_valid():
        return
    with translation.override(language):
        form.save(
            domain_override=domain,
            use_https=use_https,
            subject_template_name="registration/password_reset_subject.txt",
            email_template_name="registration/password_reset_email.txt",
        )
