# Production image: locked dependencies (hashes checked), unprivileged user, code only.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=config.settings.production \
    VAR_DIR=/tmp/suivi \
    AUDIT_POINTS_DE_CONTROLE_DIR=/var/lib/suivi/audit

RUN groupadd --system --gid 10001 suivi \
    && useradd --system --uid 10001 --gid suivi --no-create-home --home-dir /app \
       --shell /usr/sbin/nologin suivi

WORKDIR /app

# Every package, transitive ones included, must match a hash of the lock file.
COPY requirements/base.txt requirements/base.txt
RUN python -m pip install --no-deps --require-hashes -r requirements/base.txt

# Application code only: no .env, no var/, no tests in the image.
COPY manage.py pyproject.toml ./
COPY config config
COPY socle socle
COPY acces acces
COPY audit audit
COPY cellules cellules
COPY cispd cispd
COPY tig tig

RUN install -d -o suivi -g suivi -m 0700 /var/lib/suivi/audit

USER suivi:suivi
EXPOSE 8000

CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000"]
