# Recourse: one image for the web (gunicorn), the Celery worker and beat.
# docker compose up  -> see docker-compose.yml and the README's "Production" section.
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    RECOURSE_VAR_DIR=/app/var \
    DEBUG=0

# libmagic1: content sniffing of uploaded evidence.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libmagic1 \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app

# Dependencies first, from pyproject.toml, so code changes do not reinstall them.
COPY pyproject.toml README.md ./
RUN pip install .

COPY . .

# Static files are collected into the image and served by whitenoise. The secret and database
# here exist only for this build step.
RUN SECRET_KEY=collectstatic-only DATABASE_URL=sqlite:////tmp/build.sqlite3 \
        python manage.py collectstatic --noinput \
    && rm -f /tmp/build.sqlite3*

RUN useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin recourse \
    && mkdir -p /app/var/media /app/var/beat /app/var/evidence \
    && chown -R recourse:recourse /app/var \
    && chmod 750 /app/var/evidence
USER recourse

EXPOSE 8000
# Healthchecks are per service in docker-compose.yml: this image also runs the worker and beat.
CMD ["gunicorn", "config.wsgi", "--bind", "0.0.0.0:8000", "--access-logfile", "-", \
     "--forwarded-allow-ips", "*", "--timeout", "300"]
