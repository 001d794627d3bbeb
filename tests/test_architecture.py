"""The suite checks the architecture: audit coverage, layering, migrations, translations."""

import ast
import re
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


#: The web and command layer (the developers' guide: they parse, call one service or selector, and render):
#: views, forms, serializers, the API, filters, template tags, context processors and management commands.
_WEB_FILE = ("views", "forms", "serializers", "api", "filters", "web", "urls", "context_processors", "inputs")
#: Methods that write rows: on anything (a model instance, a ModelForm) or on a manager or queryset.
_WRITES_ANYWHERE = {"save"}
_WRITES_ON_QUERIES = {"create", "update", "delete", "bulk_create", "bulk_update", "get_or_create", "update_or_create",
                      "select_for_update"}
_QUERY_METHODS = {"objects", "filter", "exclude", "all", "select_related", "prefetch_related", "order_by"}


def _is_web_module(path: Path) -> bool:
    parts = path.relative_to(ROOT / "src/dangvu").parts
    if "tests" in parts or "migrations" in parts:
        return False
    if "management" in parts or "templatetags" in parts or "views" in parts[:-1] or "api" in parts[:-1]:
        return True
    return path.stem.split("_")[0] in _WEB_FILE


def _receiver_chain(node) -> list[str]:
    """The names along `a.b.c(...).d` before the method called: attributes and called methods."""
    names = []
    while True:
        if isinstance(node, ast.Call):
            node = node.func
        elif isinstance(node, ast.Attribute):
            names.append(node.attr)
            node = node.value
        elif isinstance(node, ast.Name):
            names.append(node.id)
            return names
        else:
            return names


def writes_outside_services(source: str) -> list[tuple[int, str]]:
    """The (line, what) of each database write in a module of the web or command layer: a `.save()`, a
    write on a manager or queryset (`Model.objects.create(...)`, `qs.filter(...).update(...)`, `.delete()`
    without arguments), or a transaction opened (`transaction.atomic`, `select_for_update`): a business
    operation, which belongs in a service."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute) and node.attr == "atomic" and _receiver_chain(node.value) == ["transaction"]:
            found.append((node.lineno, "transaction.atomic"))
        if isinstance(node, ast.Name) and node.id == "atomic":
            found.append((node.lineno, "atomic"))
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        method, chain = node.func.attr, _receiver_chain(node.func.value)
        if method in _WRITES_ANYWHERE and not node.args:
            found.append((node.lineno, f".{method}()"))
        elif method == "delete" and not node.args and not node.keywords:
            found.append((node.lineno, ".delete()"))
        elif method in _WRITES_ON_QUERIES and _QUERY_METHODS & set(chain):
            found.append((node.lineno, f"{'.'.join(reversed(chain))}.{method}(…)"))
    return sorted(set(found))


def test_the_write_check_finds_planted_writes():
    planted = (
        "from django.db import transaction\nfrom django.db.transaction import atomic\n"
        "def view(request, member, form, Member):\n"
        "    member.save()\n"
        "    form.save()\n"
        "    Member.objects.create(code='x')\n"
        "    Member.objects.filter(pk=1).update(code='y')\n"
        "    member.delete()\n"
        "    with transaction.atomic():\n"
        "        pass\n"
        "    Member.objects.select_for_update().get(pk=1)\n"
        "    @atomic\n"
        "    def f(): pass\n"
    )
    assert [line for line, _what in writes_outside_services(planted)] == [4, 5, 6, 7, 8, 9, 11, 12]
    harmless = ("def view(request, context, jobs, doc, path):\n    context.update(a=1)\n    jobs.delete(request.user, 3)\n"
                "    doc.save(path)\n    params = {}\n    params.update(context)\n")
    assert writes_outside_services(harmless) == []


def test_views_forms_serializers_and_commands_write_only_through_services():
    """No module of the web or command layer writes to the database or opens a transaction itself: the
    business operations are service functions of the domain apps."""
    found = [
        f"{path.relative_to(ROOT)}:{line}: {what}"
        for path in sorted((ROOT / "src/dangvu").rglob("*.py")) if _is_web_module(path)
        for line, what in writes_outside_services(path.read_text(encoding="utf-8"))
    ]
    assert found == []


#: A number with the unit of a Party rule (an age, a time limit, a count of members or digits, a share), as
#: a message would write a rule value instead of formatting the rule's: English msgids and Vietnamese text.
_RULE_VALUE = re.compile(
    r"(?<![\w/%(.-])\d+(?:[–-]\d+)?\s+(?:working\s+)?(?:months?|years?|days?|digits?|official\s+members?|introducers?)\b"
    r"|(?<![\w/%(.-])\d+\s+(?:tuổi|tháng|năm|ngày(?:\s+làm\s+việc)?|chữ\s+số|đảng\s+viên\s+chính\s+thức)\b"
    r"|(?<![\w/])\d+/\d+\b(?!/)|(?<![\w.])\d+\s?%", re.IGNORECASE)
#: Numbers of that shape that are no rule of the Party: (file, the text matched) → why.
_NOT_RULE_VALUES = {
    ("accounts/services.py", "6 digits"): "the one-time codes of an authenticator application",
    ("accounts/views.py", "6 digits"): "the one-time codes of an authenticator application",
    ("accounts/templates/accounts/otp_enrol.html", "6 digits"): "the one-time codes of an authenticator application",
    ("members/api.py", "12 digits"): "the State's citizen identity card (CCCD), not a Party rule",
    ("members/services.py", "12 digits"): "the State's citizen identity card (CCCD), not a Party rule",
    ("assessment/services/decisions.py", "0%"): "the bounds of a share",
    ("assessment/services/decisions.py", "100%"): "the bounds of a share",
    ("reports/api_as_of.py", "12/12"): "an example of general education as written",
    ("imports/templates.py", "12/12"): "an example of general education as written",
    ("reports/templates/reports/dashboard.html", "31/12"): "the reference day of year-end statistics (HD 11)",
}
_GETTEXT = {"_", "gettext", "gettext_lazy", "ngettext", "ngettext_lazy", "pgettext", "pgettext_lazy", "npgettext",
            "npgettext_lazy", "gettext_noop"}


def _texts(path: Path, source: str):
    """(line, text) of what a file shows a user: in Python the strings given to gettext and every other
    string but docstrings (Vietnamese written as is); in a template the translated text and the whole page."""
    if path.suffix == ".js":  # its string literals, but for a length alone ("100%": a chart's layout)
        yield from ((n, m.group(2)) for n, line in enumerate(source.splitlines(), 1)
                    for m in re.finditer(r'(["\'])(.*?)(?<!\\)\1', line) if not re.fullmatch(r"\d+%", m.group(2)))
        return
    if path.suffix != ".py":  # the text of each line: translated strings kept, other tags, variables and styles left out
        source = re.sub(r"<style.*?</style>", lambda m: "\n" * m.group(0).count("\n"), source, flags=re.DOTALL)
        for n, line in enumerate(source.splitlines(), 1):
            line = re.sub(r'{%\s*translate\s+(["\'])(.*?)\1[^%]*%}', r" \2 ", line)
            yield n, re.sub(r'{%.*?%}|{{.*?}}|style="[^"]*"|{#.*?#}', " ", line)
        return
    tree = ast.parse(source)
    docstrings = {id(n.body[0].value) for n in ast.walk(tree)
                  if isinstance(n, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
                  and n.body and isinstance(n.body[0], ast.Expr) and isinstance(n.body[0].value, ast.Constant)}
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            f = node.func
            if (f.id if isinstance(f, ast.Name) else getattr(f, "attr", None)) in _GETTEXT:
                yield from ((c.lineno, c.value) for a in node.args for c in ast.walk(a)
                            if isinstance(c, ast.Constant) and isinstance(c.value, str))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            if not node.value.isascii():  # Vietnamese written as is (the English is checked as msgids)
                yield node.lineno, node.value


def rule_values_written(path: Path, source: str, relative: str = "") -> list[str]:
    """"file:line: 'value'" for each number with a rule's unit in what `path` shows a user, by line."""
    found = {(line, m.start(), m.group(0)) for line, text in _texts(path, source) for m in _RULE_VALUE.finditer(text)
             if (relative, m.group(0)) not in _NOT_RULE_VALUES}
    return [f"{relative}:{line}: {value!r}" for line, _start, value in sorted(found)]


def test_the_rule_value_check_finds_planted_values():
    planted = ('from django.utils.translation import gettext as _\n'
               'A = _("Not before the 12 months of probation end.")\n'
               'B = "Đảng viên phải đủ 18 tuổi"\n'
               'C = _("at least %(n)s official members") % {"n": 3}\n'
               'D = _("A chi bộ needs 3 official members; 2/3 of them vote; at most 20% excellent")\n')
    assert [w.split(": ", 1)[1] for w in rule_values_written(Path("x.py"), planted)] == [
        "'12 months'", "'18 tuổi'", "'3 official members'", "'2/3'", "'20%'"]
    template = ('{% load i18n %}<p>{% translate "Within 30 days." %}</p>\n'
                '<p>{% blocktranslate with n=days %}Within {{ n }} days.{% endblocktranslate %}</p>\n<p>Trong 30 ngày</p>\n')
    assert [w.split(": ", 1)[1] for w in rule_values_written(Path("x.html"), template)] == ["'30 days'", "'30 ngày'"]


def test_no_rule_value_is_written_outside_the_regulations():
    """The messages, help texts and templates outside `dangvu.regulations` format the rules' values (an age, a
    time limit, a number of members, a share), never write them again (the developers' guide)."""
    src = ROOT / "src/dangvu"
    found = []
    for path in sorted(src.rglob("*")):
        parts = path.relative_to(src).parts
        if path.suffix not in (".py", ".html", ".txt", ".js") or {"regulations", "tests", "migrations"} & set(parts):
            continue
        if parts[0] == "static" and "vendor" in parts:
            continue
        found += rule_values_written(path, path.read_text(encoding="utf-8"), "/".join(parts))
    assert found == []
