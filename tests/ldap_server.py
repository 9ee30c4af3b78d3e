"""A real OpenLDAP server for the sign-in tests: Debian's slapd, run from a temporary directory.

The directory is written with slapadd before slapd starts (no network step, no cn=config), then
slapd listens on a free port of 127.0.0.1 until stop(). People below are the directory's; the
tests decide which of them already exist in Django.
"""

import os
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

SCHEMAS = Path("/etc/ldap/schema")
MODULES = Path("/usr/lib/ldap")
SUFFIX = "dc=example,dc=com"
PEOPLE = f"ou=people,{SUFFIX}"
ROOT_DN = f"cn=admin,{SUFFIX}"
ROOT_PASSWORD = "ldap-root-secret"
# The account the application binds as to find a user's DN, as a company would give it.
READER_DN = f"cn=prioritizer,{SUFFIX}"
READER_PASSWORD = "ldap-reader-secret"


@dataclass(frozen=True)
class DirectoryPerson:
    uid: str
    given_name: str
    family_name: str
    mail: str
    password: str

    @property
    def dn(self) -> str:
        return f"uid={self.uid},{PEOPLE}"


DIRECTORY = (
    DirectoryPerson("li.wei", "Wei", "Li", "li.wei@example.com", "li-wei-pass-1"),
    DirectoryPerson("wang.fang", "Fang", "Wang", "Wang.Fang@Example.com", "wang-fang-pass-1"),
    DirectoryPerson("zhao.min", "Min", "Zhao", "zhao.min@example.com", "zhao-min-pass-1"),
)


def find_slapd() -> tuple[str, str] | None:
    """slapd and slapadd live in /usr/sbin, which a non-root PATH may lack."""
    found = []
    for name in ("slapd", "slapadd"):
        path = shutil.which(name) or shutil.which(name, path="/usr/sbin:/usr/local/sbin")
        if path is None:
            return None
        found.append(path)
    return found[0], found[1]


def require_ldap(*, server: bool = True) -> tuple[str, str] | None:
    """python-ldap (and slapd, for a server), or a skip on a bare machine; with
    REQUIRE_SERVICES=1 (CI) a missing one fails instead."""
    problem = None
    binaries = find_slapd()
    try:
        import django_auth_ldap  # noqa: F401
        import ldap  # noqa: F401
    except ImportError:
        problem = "python-ldap / django-auth-ldap are not installed (make install)"
    if server and binaries is None:
        problem = "slapd is not installed (apt-get install slapd ldap-utils)"
    if problem:
        if os.environ.get("REQUIRE_SERVICES"):
            pytest.fail(problem)
        pytest.skip(problem)
    return binaries


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _ldif(people) -> str:
    entries = [
        f"dn: {SUFFIX}\nobjectClass: dcObject\nobjectClass: organization\ndc: example\no: Example",
        f"dn: {PEOPLE}\nobjectClass: organizationalUnit\nou: people",
        f"dn: {READER_DN}\nobjectClass: organizationalRole\nobjectClass: simpleSecurityObject\n"
        f"cn: prioritizer\nuserPassword: {READER_PASSWORD}",
    ]
    for person in people:
        entries.append(
            f"dn: {person.dn}\nobjectClass: inetOrgPerson\nuid: {person.uid}\n"
            f"cn: {person.given_name} {person.family_name}\nsn: {person.family_name}\n"
            f"givenName: {person.given_name}\nmail: {person.mail}\n"
            f"userPassword: {person.password}"
        )
    return "\n\n".join(entries) + "\n"


class LdapServer:
    def __init__(self, root: Path, people=DIRECTORY):
        self.root = root
        self.people = people
        self.port = _free_port()
        self.uri = f"ldap://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None

    def _config(self) -> str:
        schemas = "\n".join(
            f"include {SCHEMAS / name}.schema" for name in ("core", "cosine", "inetorgperson")
        )
        return (
            f"{schemas}\n"
            f"modulepath {MODULES}\nmoduleload back_mdb\n"
            f"pidfile {self.root / 'slapd.pid'}\n"
            f"database mdb\nmaxsize 10485760\n"
            f'suffix "{SUFFIX}"\nrootdn "{ROOT_DN}"\nrootpw {ROOT_PASSWORD}\n'
            f"directory {self.root / 'data'}\n"
            # Anyone may bind with their own password; only a bound user reads the directory.
            "access to attrs=userPassword by anonymous auth by * none\n"
            "access to * by users read by anonymous auth\n"
        )

    def start(self) -> None:
        slapd, slapadd = require_ldap()
        (self.root / "data").mkdir()
        config = self.root / "slapd.conf"
        config.write_text(self._config())
        (self.root / "directory.ldif").write_text(_ldif(self.people))
        subprocess.run(
            [slapadd, "-f", config, "-l", self.root / "directory.ldif"],
            check=True,
            capture_output=True,
        )
        log = (self.root / "slapd.log").open("w")
        # -d keeps slapd in the foreground, so it is our child and stop() can end it.
        self.process = subprocess.Popen(
            [slapd, "-d", "0", "-h", f"{self.uri}/", "-f", config],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        self._wait_until_listening()

    def _wait_until_listening(self, seconds: float = 15) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"slapd exited: {(self.root / 'slapd.log').read_text()}")
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"slapd did not listen on {self.uri} within {seconds}s")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
