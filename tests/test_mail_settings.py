"""Where mail goes without an SMTP server: files in MAIL_DIR (what `make run` sets, so the
worker's e-mails do not push the demo logins off the terminal), else the console."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PRINT_MAILER = (
    "import django; django.setup(); from django.conf import settings; "
    "m = settings.MAILERS['default']; print(m['BACKEND'], m.get('OPTIONS', {}).get('file_path'))"
)


def _mailer(**env) -> str:
    environment = {k: v for k, v in os.environ.items() if k not in ("SMTP_HOST", "MAIL_DIR")}
    environment |= {"DJANGO_SETTINGS_MODULE": "config.settings", "DEBUG": "1", **env}
    result = subprocess.run(
        [sys.executable, "-c", PRINT_MAILER],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


def test_mail_dir_writes_each_e_mail_as_a_file(tmp_path):
    assert _mailer(MAIL_DIR=str(tmp_path)) == (
        f"django.core.mail.backends.filebased.EmailBackend {tmp_path}"
    )


def test_without_smtp_or_mail_dir_mail_goes_to_the_console():
    assert _mailer() == "django.core.mail.backends.console.EmailBackend None"


def test_smtp_wins_over_mail_dir(tmp_path):
    backend = _mailer(SMTP_HOST="smtp.example.cn", MAIL_DIR=str(tmp_path))
    assert backend.startswith("django.core.mail.backends.smtp.EmailBackend")
