"""Output of `report profile` and `report checks`: the labelled sections the web pages show and the
print-ready workbooks, from the dict of a query — written on the one report sheet of `exporters`
(`report_sheet`), as the other reports' workbooks."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from .exporters import Row, as_of_text, report_sheet, safe_code
from .queries.profile import UNKNOWN

# --- report profile ----------------------------------------------------------------------------------

PROFILE_SECTIONS = (
    ("by_sex", gettext_lazy("Sex")),
    ("by_age_band", gettext_lazy("Age")),
    ("by_party_age_band", gettext_lazy("Party age")),
    ("by_ethnicity", gettext_lazy("Ethnicity")),
    ("by_religion", gettext_lazy("Religion")),
    ("by_education", gettext_lazy("General education")),
    ("by_political_theory", gettext_lazy("Political theory")),
)
SEX_LABELS = {"male": gettext_lazy("Male"), "female": gettext_lazy("Female")}


def _key_label(section: str, key: str) -> str:
    if key == UNKNOWN:
        return _("Not recorded")
    if section == "by_sex":
        return str(SEX_LABELS.get(key, key))
    if section == "by_party_age_band":  # years in the Party, not years of age
        if key.endswith("+"):
            return pgettext("party age", "%(n)s years and over") % {"n": key[:-1]}
        if key.startswith("<"):
            return pgettext("party age", "under %(n)s years") % {"n": key[1:]}
        low, high = key.split("-")
        return pgettext("party age", "%(low)s to %(high)s years") % {"low": low, "high": high}
    if section == "by_age_band":
        if key.endswith("+"):
            return _("%(n)s years and over") % {"n": key[:-1]}
        if key.startswith("<"):
            return _("under %(n)s years") % {"n": key[1:]}
        low, high = key.split("-")
        return _("%(low)s to %(high)s years") % {"low": low, "high": high}
    return key


def profile_sections(data: dict) -> list[tuple[str, str, list[Row]]]:
    """Each breakdown's key, title and rows (every key with its count and share of the members)."""
    members = data["members"]
    total = members["total"]
    return [(key, str(title), [Row(k, _key_label(key, k), n, 1, n / total if total else None)
                               for k, n in members[key].items()])
            for key, title in PROFILE_SECTIONS]


def profile_title() -> str:
    return _("Profile of the party membership")


def profile_filename(data: dict, extension: str) -> str:
    """A safe ASCII file name: doi-ngu-dang-vien-CODE-YYYY-MM-DD.ext."""
    return f"doi-ngu-dang-vien-{safe_code(data['org']['code'])}-{data['as_of']}.{extension}"


def profile_xlsx(data: dict, path_or_buffer) -> None:
    """Write the profile as a one-sheet, print-ready workbook: the total, then each breakdown with the
    share of the members."""
    with report_sheet(path_or_buffer, profile_title(), data["org"]["name"], as_of_text(data), item_width=40,
                      heads=(_("No."), _("Item"), _("Number"), _("Share of members"))) as sheet:
        ws, f = sheet.ws, sheet.f
        ws.write_blank(5, 0, None, f["blank"])
        ws.write(5, 1, _("Total party members"), f["label"][0])
        ws.write_number(5, 2, data["members"]["total"], f["count"][0])
        ws.write_blank(5, 3, None, f["blank"])
        numerals = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")
        r = sheet.sections(5, [(numeral, title, rows) for numeral, (_key, title, rows)
                               in zip(numerals, profile_sections(data), strict=False)], share=True)
        sheet.finish(r)


# --- report checks -----------------------------------------------------------------------------------

CHECK_LABELS = {
    "cell_below_minimum": gettext_lazy("Party cells below the minimum of official members"),
    "probation_overdue": gettext_lazy("Probations past the time limit for recognition"),
    "card_missing": gettext_lazy("Official members without a party card"),
    "placed_nowhere": gettext_lazy("Members placed in no existing party cell"),
    "excellent_over_cap": gettext_lazy("Ratings “excellent” over the cap"),
    "disciplined_above_limit": gettext_lazy("Disciplined members rated above the limit"),
    "exempted_rated": gettext_lazy("Exempted members rated"),
    "suspended_rated": gettext_lazy("Suspended members rated"),
}


def check_label(code: str) -> str:
    return str(CHECK_LABELS.get(code, code))


def checks_title() -> str:
    return _("Checks of the records")


def checks_filename(data: dict, extension: str) -> str:
    """A safe ASCII file name: kiem-tra-so-lieu-CODE-YYYY-MM-DD.ext."""
    return f"kiem-tra-so-lieu-{safe_code(data['org']['code'])}-{data['as_of']}.{extension}"


def checks_xlsx(data: dict, path_or_buffer) -> None:
    """Write the checks as a one-sheet workbook: one row per finding, then the count of each kind."""
    with report_sheet(path_or_buffer, checks_title(), data["org"]["name"], as_of_text(data), item_width=28,
                      heads=(_("No."), _("Check"), _("Code"), _("Name"), _("Finding")), landscape=True) as sheet:
        ws, f = sheet.ws, sheet.f
        ws.set_column(1, 1, 36)
        ws.set_column(3, 3, 28)
        ws.set_column(4, 4, 70)
        r = 4
        for n, finding in enumerate(data["findings"], 1):
            r += 1
            ws.write_number(r, 0, n, f["blank"])
            ws.write(r, 1, check_label(finding["code"]), f["label"][1])
            ws.write(r, 2, finding["subject"], f["blank"])
            ws.write(r, 3, finding.get("name", ""), f["blank"])
            ws.write(r, 4, finding["message"], f["label"][1])
        for code, count in data["counts"].items():
            r += 1
            ws.merge_range(r, 0, r, 3, check_label(code), f["label"][0])
            ws.write_number(r, 4, count, f["count"][0])
        sheet.finish(r)
