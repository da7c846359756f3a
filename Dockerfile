# The DMCA desk: one image for web (gunicorn), worker and beat (Celery) and migrate.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONPATH=/app \
    VAR_DIR=/app/var

# Shared libraries and a font for WeasyPrint (PDF letters), from the one list of Debian
# packages (what `make run` installs too).
COPY bin/debian-packages /tmp/
RUN /tmp/debian-packages run && rm -rf /var/lib/apt/lists/* /tmp/debian-packages

RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --home-dir /app --no-create-home app

WORKDIR /app

# Dependencies first, read from pyproject.toml, so a code change does not reinstall them.
# The project itself is not pip-installed: it runs from /app (PYTHONPATH=/app).
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

# Code stays root-owned (read-only to the app user); only VAR_DIR is writable.
# The media directory exists in the image so a fresh named volume inherits its owner.
COPY . .
RUN mkdir -p /app/var/media && chown -R app:app /app/var

USER app

# Static files are baked into the image (whitenoise serves them). The key is for this step only.
RUN SECRET_KEY=build-only-not-secret python manage.py collectstatic --noinput --verbosity 0

EXPOSE 8000

CMD ["gunicorn", "iija_compliance.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "60", "--limit-request-line", "8190"]
