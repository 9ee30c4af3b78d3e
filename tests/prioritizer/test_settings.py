"""Settings are read at start-up, so these run manage.py in a fresh process."""

import os
import subprocess
import sys

from django.conf import settings

PRODUCTION_ENV = {
    "PRODUCTION": "1",
    "SECRET_KEY": "a-production-secret-that-is-long-and-random-enough-0123456789abcdef",
    "ALLOWED_HOSTS": "prioritizer.example.com",
    "DATABASE_URL": "sqlite:////tmp/prioritizer-deploy-check.sqlite3",
}


def manage(*args, **env):
    unset = {"DATABASE_URL", "DEBUG", "PRODUCTION", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    base = {k: v for k, v in os.environ.items() if k not in unset}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_the_deploy_check_without_warnings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_required_variables():
    env = {**PRODUCTION_ENV}
    del env["SECRET_KEY"], env["ALLOWED_HOSTS"]
    result = manage("check", **env)
    assert result.returncode != 0
    assert "SECRET_KEY, ALLOWED_HOSTS" in result.stderr
    assert "Traceback" not in result.stderr


def test_debug_is_off_unless_asked():
    result = manage(
        "shell", "--no-imports", "-c", "from django.conf import settings; print(settings.DEBUG)"
    )
    assert result.stdout.strip() == "False"


def test_production_cookies_are_secure():
    result = manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings as s;"
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT)",
        **PRODUCTION_ENV,
    )
    assert result.stdout.strip() == "True True True"


def test_the_database_checks_connections_before_reuse():
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True


def test_docker_compose_runs_one_beat_and_a_persistent_redis():
    import yaml

    compose = yaml.safe_load((settings.BASE_DIR / "docker-compose.yml").read_text())
    services = compose["services"]
    assert {"web", "worker", "beat", "db", "redis"} <= set(services)
    assert services["beat"]["deploy"]["replicas"] == 1
    assert "--appendonly yes" in services["redis"]["command"]
    assert all("healthcheck" in services[name] for name in ["web", "db", "redis"])
