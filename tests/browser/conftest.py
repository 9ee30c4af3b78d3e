import os
from pathlib import Path

import pytest
from django.conf import settings

# Sync Playwright runs an event loop in the test thread; Django must allow ORM calls there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"


def pytest_collection_modifyitems(config, items):
    if CHROMIUM.exists():
        return
    if os.environ.get("REQUIRE_BROWSER"):
        raise pytest.UsageError("REQUIRE_BROWSER is set but /usr/bin/chromium is missing")
    skip = pytest.mark.skip(reason="Debian's chromium is not installed (apt-get install chromium)")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def screenshot(page):
    """Save a full-page screenshot under test-artifacts/ (kept by CI as evidence)."""
    ARTIFACTS.mkdir(exist_ok=True)

    def take(name: str) -> Path:
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def log_in(page, live_server):
    def login(username: str, password: str):
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("用户名").fill(username)
        page.get_by_label("密码").fill(password)
        page.get_by_role("button", name="登录").click()
        page.wait_for_url(f"{live_server.url}/")

    return login


@pytest.fixture
def csp_violations(page) -> list[str]:
    """What the browser console reported against the Content-Security-Policy during the test:
    a journey ends by asserting it is empty."""
    found: list[str] = []
    page.on(
        "console",
        lambda message: (
            found.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return found
