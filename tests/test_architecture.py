"""The suite checks the architecture: audit coverage, layering, migrations, translations."""

import subprocess
import sys
from pathlib import Path

import pytest
from auditlog.registry import auditlog
from django.apps import apps

ROOT = Path(__file__).resolve().parent.parent
DERIVED = {"OrganizationPeriod", "MemberPeriod", "MemberWord"}  # recomputed from audited rows (ADR 3; MemberWord: search index)


def test_every_domain_model_is_audited():
    missing = [
        m.__name__
        for m in apps.get_models()
        if m.__module__.startswith("dangvu.") and m.__name__ not in DERIVED and not auditlog.contains(m)
    ]
    assert missing == []


def test_import_layers_hold():
    result = subprocess.run([str(Path(sys.executable).with_name("lint-imports"))], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.django_db
def test_migrations_are_up_to_date():
    from django.core.management import call_command

    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def _po_entries(text: str) -> list[dict[str, str]]:
    """Parse a .po file into entries {keyword: joined string} (msgid, msgid_plural, msgstr, msgstr[n]),
    with "flags" (the #, line) and "obsolete"; the header (msgid "") is left out."""
    entries = []
    for block in text.split("\n\n"):
        entry: dict[str, str] = {"flags": "", "obsolete": ""}
        key = None
        for line in block.splitlines():
            if line.startswith("#~"):
                entry["obsolete"] = "1"
            elif line.startswith("#,"):
                entry["flags"] += line
            elif line.startswith("#"):
                continue
            elif line.startswith('"') and key:
                entry[key] += line[1:-1]
            elif " " in line:
                key, _, value = line.partition(" ")
                entry[key] = value[1:-1]
        if entry.get("msgid") and not entry["obsolete"]:
            entries.append(entry)
    return entries


def _untranslated(entries: list[dict[str, str]]) -> list[str]:
    return [
        e["msgid"] for e in entries
        if "fuzzy" in e["flags"] or any(v == "" for k, v in e.items() if k.startswith("msgstr"))
    ]


def test_po_parser_sees_untranslated_plurals():
    text = 'msgid "a"\nmsgid_plural "as"\nmsgstr[0] ""\n\nmsgid "b"\nmsgstr ""\n"B"\n\n#, fuzzy\nmsgid "c"\nmsgstr "C"\n'
    assert _untranslated(_po_entries(text)) == ["a", "c"]


def test_vietnamese_catalogue_is_complete(tmp_path):
    """Every msgid of the source (singular and plural, code and templates, as makemessages extracts them)
    has a Vietnamese translation in the committed catalogue, none fuzzy."""
    import shutil

    tree = tmp_path / "dangvu"
    shutil.copytree(ROOT / "src/dangvu", tree, ignore=shutil.ignore_patterns("tests", "__pycache__", "*.mo"))
    result = subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "-l", "vi", "--ignore", "tests/*", "--no-obsolete"],
        cwd=tree, capture_output=True, text=True, env={**__import__("os").environ, "DJANGO_SETTINGS_MODULE": "dangvu.settings"},
    )
    assert result.returncode == 0, result.stderr
    merged = _po_entries((tree / "locale/vi/LC_MESSAGES/django.po").read_text(encoding="utf-8"))
    assert len(merged) > 1000
    missing = _untranslated(merged)
    assert missing == [], missing[:10]
