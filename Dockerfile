# Production image: one image for web (gunicorn), worker and beat (celery).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_ENV=production \
    STATIC_ROOT=/app/staticfiles MEDIA_ROOT=/data/media

# `manage.py backup` runs pg_dump, which must be at least the server's version (postgres:16 in
# docker-compose.yml): the client comes from the PostgreSQL project's apt repository.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b \
      libfontconfig1 fonts-dejavu-core postgresql-common ca-certificates curl \
 && /usr/share/postgresql-common/pgdg/apt.postgresql.org.sh -y \
 && apt-get install -y --no-install-recommends postgresql-client-16 \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --create-home --home-dir /app portal \
 && mkdir -p /data/media /data/backups && chown portal /data/media /data/backups

WORKDIR /app
COPY pyproject.toml constraints.txt ./
COPY . .
RUN pip install --no-cache-dir -e . -c constraints.txt \
 && DJANGO_ENV=development python manage.py compiletranslations \
 && DJANGO_ENV=development python manage.py collectstatic --noinput \
 && chown -R portal /app

USER portal
EXPOSE 8000
CMD ["gunicorn", "portal.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"]
