"""The Kazakh and Russian catalogues: complete, faithful to placeholders, in step with
the code, and actually used by the pages."""

import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[3]
LOCALE = ROOT / "tatulyq" / "locale"
LANGUAGES = ["kk", "ru"]
NPLURALS = {"kk": 2, "ru": 4}

# The project's own command (Makefile: `make messages-update`).
MAKEMESSAGES = [
    "makemessages", "-l", "kk", "-l", "ru",
    "--ignore=.venv", "--ignore=var", "--ignore=benchmarks", "--ignore=tests",
    "--ignore=conftest.py", "--no-location",
]

# %(name)s, %(count)d, %s, %d and {name}; "%%" is a literal percent sign.
PLACEHOLDER = re.compile(r"%\(\w+\)[sdfr]|%[sdfr]|\{\w*\}")


def placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text.replace("%%", "")))


def catalogue(language: str) -> polib.POFile:
    return polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))


def label(entry: polib.POEntry) -> str:
    return f"[{entry.msgctxt}] {entry.msgid!r}" if entry.msgctxt else repr(entry.msgid)


def live(po: polib.POFile) -> list[polib.POEntry]:
    return [entry for entry in po if not entry.obsolete]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated(language):
    po = catalogue(language)
    assert not po.metadata_is_fuzzy, f"{language}: the header is still marked fuzzy"
    assert po.metadata.get("Language") == language
    untranslated = []
    for entry in live(po):
        if entry.msgid_plural:
            forms = [entry.msgstr_plural.get(i, "") for i in range(NPLURALS[language])]
            if not all(form.strip() for form in forms):
                untranslated.append(label(entry))
        elif not entry.msgstr.strip():
            untranslated.append(label(entry))
    assert not untranslated, f"{language}: untranslated:\n" + "\n".join(untranslated)


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_message_is_fuzzy(language):
    fuzzy = [label(entry) for entry in live(catalogue(language)) if "fuzzy" in entry.flags]
    assert not fuzzy, (
        f"{language}: fuzzy entries (check each translation against its new English, "
        "then remove the flag):\n" + "\n".join(fuzzy)
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_the_placeholders(language):
    wrong = []
    for entry in live(catalogue(language)):
        expected = placeholders(entry.msgid) | placeholders(entry.msgid_plural or "")
        translations = (
            list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        )
        for text in translations:
            if text and placeholders(text) != expected:
                wrong.append(f"{label(entry)}: {sorted(placeholders(text))} != {sorted(expected)}")
    assert not wrong, f"{language}: placeholders differ:\n" + "\n".join(wrong)


def test_both_catalogues_hold_the_same_messages():
    kk, ru = ({(e.msgctxt, e.msgid) for e in live(catalogue(lang))} for lang in LANGUAGES)
    assert kk == ru, f"only in kk: {sorted(kk - ru, key=str)}\nonly in ru: {sorted(ru - kk, key=str)}"


def test_catalogues_are_up_to_date_with_the_code(tmp_path):
    project = tmp_path / "project"
    project.mkdir()
    shutil.copy2(ROOT / "manage.py", project / "manage.py")
    # The committed catalogues stay out: the copy extracts from scratch.
    shutil.copytree(
        ROOT / "tatulyq", project / "tatulyq",
        ignore=shutil.ignore_patterns("__pycache__", "tests", "*.po", "*.mo"),
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tatulyq.settings",
        "TATULYQ_ENV": "dev",
        "TATULYQ_VAR_DIR": str(tmp_path / "var"),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", *MAKEMESSAGES],
        cwd=project, env=env, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr

    fresh_po = polib.pofile(str(project / "tatulyq" / "locale" / "kk" / "LC_MESSAGES" / "django.po"))
    fresh = {(e.msgctxt, e.msgid) for e in live(fresh_po)}
    committed = {(e.msgctxt, e.msgid) for e in live(catalogue("kk"))}

    def show(keys):
        return "\n".join(
            f"  [{ctx}] {msgid!r}" if ctx else f"  {msgid!r}"
            for ctx, msgid in sorted(keys, key=lambda k: (k[0] or "", k[1]))
        )

    missing, obsolete = fresh - committed, committed - fresh
    assert not missing and not obsolete, (
        "The catalogues are out of date with the code. Run `make messages-update`, "
        "translate the new entries in tatulyq/locale/{kk,ru}/LC_MESSAGES/django.po "
        "and clear any fuzzy flags.\n"
        f"Missing from the catalogue ({len(missing)}):\n{show(missing)}\n"
        f"Obsolete in the catalogue ({len(obsolete)}):\n{show(obsolete)}"
    )


class _VisibleText(HTMLParser):
    """Text a person reads or hears: element text plus the labelling attributes."""

    ATTRIBUTES = {"alt", "title", "aria-label", "placeholder"}

    def __init__(self):
        super().__init__()
        self.chunks: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in {"script", "style"}:
            self._skip += 1
        for name, value in attrs:
            if name in self.ATTRIBUTES and value:
                self.chunks.append(value)
            if tag == "input" and name == "value" and dict(attrs).get("type") == "submit":
                self.chunks.append(value or "")

    def handle_endtag(self, tag):
        if tag in {"script", "style"} and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.chunks.append(" ".join(data.split()))


def _english_msgids(language: str) -> list[str]:
    """Our English strings that must not show through: those whose translation differs."""
    english = []
    for entry in live(catalogue(language)):
        translated = entry.msgstr_plural.get(0, "") if entry.msgid_plural else entry.msgstr
        if translated and translated != entry.msgid and re.search(r"[A-Za-z]{3}", entry.msgid):
            english.append(entry.msgid)
    return english


@pytest.mark.parametrize(
    ("language", "title", "heading"),
    [
        ("kk", "Кіру · Татулық", "Татулық платформасына кіру"),
        ("ru", "Войти · Tatulyq", "Вход в Tatulyq"),
    ],
)
def test_login_page_shows_no_english(client, db, language, title, heading):
    response = client.get(f"/{language}/accounts/login/")
    assert response.status_code == 200
    html = response.content.decode()
    hint = " (are the catalogues compiled? run `manage.py compilemessages --ignore=.venv --ignore=var`)"
    assert f"<title>{title}</title>" in html, "the translated title is missing" + hint
    assert heading in html, "the translated heading is missing" + hint
    assert "Log in" not in html, hint

    parser = _VisibleText()
    parser.feed(html)
    texts = parser.chunks
    shown = [
        msgid for msgid in _english_msgids(language)
        # A one-word label must not be a whole text; a longer message not even a part of one.
        if any(text == msgid or (" " in msgid and msgid in text) for text in texts)
    ]
    assert not shown, f"English text on the {language} login page: {shown}" + hint
