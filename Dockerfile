# Front-end libraries come from npm with the lockfile; nothing is copied in by hand.
FROM node:20-bookworm-slim AS assets
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app
RUN useradd --create-home --uid 1000 prioritizer
COPY requirements.txt constraints.txt ./
# python-ldap (LDAP sign-in) builds from source; the compiler and headers leave with the build,
# the OpenLDAP and SASL libraries it links stay.
RUN apt-get update \
    && apt-get install -y --no-install-recommends gcc libc6-dev libldap2-dev libsasl2-dev \
       libldap-2.5-0 libsasl2-2 \
    && pip install -r requirements.txt \
    && apt-get purge -y --auto-remove gcc libc6-dev libldap2-dev libsasl2-dev \
    && rm -rf /var/lib/apt/lists/*
COPY --from=assets /app/node_modules ./node_modules
COPY . .
# collectstatic needs settings to import; these throwaway values never reach a running container.
RUN PRODUCTION=1 SECRET_KEY=collectstatic-only ALLOWED_HOSTS=localhost \
    DATABASE_URL=sqlite:////tmp/build.sqlite3 python manage.py collectstatic --noinput -v0 \
    && mkdir -p /app/var/media && chown -R prioritizer /app/var
USER prioritizer
EXPOSE 8000
CMD ["gunicorn", "prioritizer.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
