# The portal image used by docker-compose.yml for web, worker and beat.
FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PORTAL_VAR_DIR=/srv/var PORTAL_STATIC_ROOT=/srv/staticfiles
RUN apt-get update && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 libfontconfig1 \
        fonts-noto-cjk fonts-wqy-microhei fonts-dejavu-core curl \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /srv/app
# The versions CI tested: requirements.lock constrains every package, direct or not (as scripts/bootstrap.sh).
COPY pyproject.toml README.md requirements.lock ./
COPY portal portal
COPY zones zones
COPY schools schools
COPY budgets budgets
COPY evaluation evaluation
RUN pip install --no-cache-dir -c requirements.lock .
COPY . .
RUN DJANGO_SECRET_KEY=build-only python manage.py collectstatic --noinput
RUN useradd --system --home /srv portal && mkdir -p /srv/var && chown -R portal /srv/var
USER portal
EXPOSE 8000
CMD ["gunicorn", "portal.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "120"]
