"""`manage.py check --deploy` with production settings has nothing to say."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_production_settings_pass_the_deploy_check(tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        # The test run's own switches (conftest sets DJANGO_ALLOW_ASYNC_UNSAFE) stay out.
        if key not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE"}
        and not key.startswith(("SECURE_", "SMTP_"))
    }
    env.update(
        DEBUG="0",
        SECRET_KEY="k" * 20 + "-production-secret-with-enough-entropy-" + "x9Qz" * 5,
        ALLOWED_HOSTS="recourse.example.cn",
        SMTP_HOST="smtp.example.cn",
        RECOURSE_VAR_DIR=str(tmp_path),
    )

    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout, result.stdout + result.stderr
