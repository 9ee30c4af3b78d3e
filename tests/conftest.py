"""Shared fixtures: a small named world of people, so access tests read like prose.

BG1 (Manufacturing) > BU1 > AUTO, ELEC; BG1 > BU2 > CHEM; BG2 > BU3 > BANK; BG2 > BU4 > RETL.
BU4 has no segment manager, so its BU VP (heidi) stands in for RETL.
"""

from types import SimpleNamespace

import pytest

from organisation.models import Role
from tests.factories import (
    BusinessGroupFactory,
    BusinessUnitFactory,
    RoleMembershipFactory,
    SegmentFactory,
    UserFactory,
)

PASSWORD = "pw-for-tests-1"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """PBKDF2's real cost is pointless in tests and makes the world fixture slow."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def org(db):
    bg1 = BusinessGroupFactory(code="BG1", name_zh="制造业务群", name_en="Manufacturing BG")
    bg2 = BusinessGroupFactory(code="BG2", name_zh="服务业务群", name_en="Services BG")
    bu1 = BusinessUnitFactory(code="BU1", business_group=bg1, name_zh="离散制造事业部")
    bu2 = BusinessUnitFactory(code="BU2", business_group=bg1)
    bu3 = BusinessUnitFactory(code="BU3", business_group=bg2)
    bu4 = BusinessUnitFactory(code="BU4", business_group=bg2)
    return SimpleNamespace(
        bg1=bg1,
        bg2=bg2,
        bu1=bu1,
        bu2=bu2,
        bu3=bu3,
        bu4=bu4,
        auto=SegmentFactory(code="AUTO", business_unit=bu1, name_zh="汽车零部件"),
        elec=SegmentFactory(code="ELEC", business_unit=bu1),
        chem=SegmentFactory(code="CHEM", business_unit=bu2),
        bank=SegmentFactory(code="BANK", business_unit=bu3),
        retl=SegmentFactory(code="RETL", business_unit=bu4),
    )


def _member(username, role, **unit):
    user = UserFactory(username=username, first_name=username.title())
    RoleMembershipFactory(user=user, role=role, **unit)
    return user


@pytest.fixture
def people(org):
    """Everyone in the world; the first six are BG1/BU1/AUTO-side, the rest are outsiders."""
    return SimpleNamespace(
        carol=_member("carol", Role.BG_VP, business_group=org.bg1),
        bob=_member("bob", Role.BU_VP, business_unit=org.bu1),
        alice=_member("alice", Role.SEGMENT_MANAGER, segment=org.auto),
        dave=_member("dave", Role.ACCOUNT_MANAGER, business_unit=org.bu1),
        erin=_member("erin", Role.RESEARCHER, business_unit=org.bu1),
        frank=_member("frank", Role.EXTERNAL_RELATIONS, business_unit=org.bu1),
        eve=_member("eve", Role.SEGMENT_MANAGER, segment=org.elec),
        grace=_member("grace", Role.SEGMENT_MANAGER, segment=org.chem),
        oscar=_member("oscar", Role.SEGMENT_MANAGER, segment=org.bank),
        heidi=_member("heidi", Role.BU_VP, business_unit=org.bu4),
        ivan=_member("ivan", Role.BG_VP, business_group=org.bg2),
        judy=UserFactory(username="judy"),
    )


@pytest.fixture
def client_for(client):
    """Log a user in on the test client: client_for(people.alice)."""

    def login(user):
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return login


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium, never a downloaded browser (see shared/STACK.md)."""
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(autouse=True)
def tasks_run_in_process(settings):
    """Tasks run eagerly unless a test asks for the real broker (see tests/outbox)."""
    settings.CELERY_TASK_ALWAYS_EAGER = True


@pytest.fixture(scope="session")
def ldap_server(tmp_path_factory):
    """A real OpenLDAP server with a small directory (tests/ldap_server.py), for the whole run.

    Skips when slapd or python-ldap is missing, unless REQUIRE_SERVICES=1 (then it fails)."""
    from tests.ldap_server import LdapServer, require_ldap

    require_ldap()
    server = LdapServer(tmp_path_factory.mktemp("slapd"))
    server.start()
    yield server
    server.stop()
