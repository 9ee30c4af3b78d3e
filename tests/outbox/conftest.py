import os
from urllib.parse import urlsplit

import kombu.pools
import pytest
from celery import current_app

# A Redis database of its own, so tests never consume a developer's real queue.
TEST_BROKER_DB = 15


CONFIGURED_BROKER = os.environ.get("CELERY_BROKER_URL", "")


def configured_broker() -> str | None:
    url = CONFIGURED_BROKER
    if not url.startswith("redis://"):
        return None
    return urlsplit(url)._replace(path=f"/{TEST_BROKER_DB}").geturl()


def skip_or_fail(reason: str) -> None:
    """Skip visibly on a bare machine; in CI (REQUIRE_SERVICES=1) a missing service is a failure."""
    if os.environ.get("REQUIRE_SERVICES"):
        pytest.fail(reason)
    pytest.skip(reason)


def reset_connections() -> None:
    """Drop pooled connections so the next send connects to the current broker URL."""
    kombu.pools.reset()
    current_app._pool = None
    current_app.amqp._producer_pool = None


def use_broker(settings, url: str) -> None:
    """Point this process at `url` for real (not eager) sending.

    Celery reads the CELERY_BROKER_URL environment variable before its settings, so both change.
    """
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = url
    os.environ["CELERY_BROKER_URL"] = url
    reset_connections()


@pytest.fixture(autouse=True)
def restore_broker_environment():
    saved = os.environ.get("CELERY_BROKER_URL")
    yield
    if saved is None:
        os.environ.pop("CELERY_BROKER_URL", None)
    else:
        os.environ["CELERY_BROKER_URL"] = saved
    reset_connections()


@pytest.fixture
def broker_down(settings):
    use_broker(settings, "redis://127.0.0.1:1/0")  # nothing listens on port 1


@pytest.fixture
def real_broker(settings):
    url = configured_broker()
    if url is None:
        skip_or_fail("no Redis broker configured (set CELERY_BROKER_URL=redis://...)")
    use_broker(settings, url)
    flush_test_broker()
    return url


def flush_test_broker() -> None:
    with current_app.connection_for_write() as connection:
        connection.default_channel.client.flushdb()
