import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.urls import reverse

LOCALE = Path(settings.BASE_DIR) / "locale"


def test_chinese_is_the_default_even_for_an_english_browser(client, db):
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    page = response.content.decode()
    assert response.headers["Content-Language"] == "zh-hans"
    assert 'lang="zh-hans"' in page and "请使用公司账号登录" in page


def test_the_switcher_changes_to_english(client, db):
    response = client.post(
        reverse("set_language"), {"language": "en", "next": reverse("login")}, follow=True
    )
    assert "Log in with your company account." in response.content.decode()


def test_english_stays_chosen_after_login(people, client_for):
    client = client_for(people.bob)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("home")).content.decode()
    assert "Your roles and scope" in page and "BU marketing VP" in page


def test_an_unknown_language_code_gets_a_message_and_changes_nothing(client, db):
    response = client.post(
        reverse("set_language"), {"language": "xx-evil", "next": reverse("login")}, follow=True
    )
    page = response.content.decode()
    assert "未知语言“xx-evil”" in page
    assert response.headers["Content-Language"] == "zh-hans"


def test_an_unknown_language_cookie_falls_back_to_chinese(client, db):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "klingon"
    assert client.get(reverse("login")).headers["Content-Language"] == "zh-hans"


@pytest.mark.parametrize("language", ["zh_Hans", "en"])
def test_every_message_is_translated(language):
    catalogue = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
    assert untranslated == []
    assert [entry.msgid for entry in catalogue.fuzzy_entries()] == []


@pytest.mark.parametrize("language", ["zh_Hans", "en"])
def test_the_compiled_catalogue_matches_the_source(language):
    folder = LOCALE / language / "LC_MESSAGES"

    def translations(catalogue):
        return {
            e.msgid: (e.msgstr, tuple(sorted(e.msgstr_plural.items())))
            for e in catalogue
            if e.msgid and not e.obsolete
        }

    source = translations(polib.pofile(str(folder / "django.po")))
    compiled = translations(polib.mofile(str(folder / "django.mo")))
    assert compiled == source


@pytest.mark.skipif(not shutil.which("xgettext"), reason="GNU gettext is not installed")
def test_the_catalogue_holds_every_string_in_the_code(tmp_path):
    """Extract the strings afresh in a scratch copy of the code and compare with the catalogue."""
    copy = tmp_path / "src"
    shutil.copytree(
        settings.BASE_DIR,
        copy,
        ignore=shutil.ignore_patterns(".*", "node_modules", "var", "tests", "bench", "__pycache__"),
    )
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "zh_Hans", "--no-location"],
        cwd=copy,
        env=env,
        check=True,
        capture_output=True,
    )
    fresh = {e.msgid for e in polib.pofile(str(copy / "locale/zh_Hans/LC_MESSAGES/django.po"))}
    committed = {e.msgid for e in polib.pofile(str(LOCALE / "zh_Hans/LC_MESSAGES/django.po"))}
    assert sorted(fresh - committed) == [], "run `make messages` and translate the new strings"
