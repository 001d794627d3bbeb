"""dangvu report snapshot --org CODE --as-of YYYY-MM-DD --format json|xlsx [--output FILE]
dangvu report flows --org CODE --from YYYY-MM-DD --to YYYY-MM-DD --format json|xlsx [--output FILE]
dangvu report badges --org CODE --award-date YYYY-MM-DD --format json|xlsx [--output FILE]
dangvu report assessment --org CODE --year YYYY --format json|xlsx [--output FILE]
dangvu report profile --org CODE --as-of YYYY-MM-DD --format json|xlsx [--output FILE]
dangvu report checks --org CODE --as-of YYYY-MM-DD --format json|xlsx [--output FILE]
dangvu report summary --org CODE --as-of YYYY-MM-DD [--year YYYY] [--format text|json|docx] [--output FILE]
dangvu report form --number N --org CODE --from YYYY-MM-DD --to YYYY-MM-DD | --as-of YYYY-MM-DD | --year YYYY
    --format json|xlsx|pdf [--output FILE]   (the statistics forms of HD 11-HD/BTCTW, `reports.statforms`)
dangvu report excellent-streak --org CODE --year YYYY [--years N] --format json|xlsx [--output FILE]

(contracts §1.)
"""

from __future__ import annotations

import contextlib
import io
import re
import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError, CommandParser
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangvu.assessment.services import check_year
from dangvu.core.errors import os_reason
from dangvu.core.management.base import DangvuCommand
from dangvu.reports import exporters, exporters_assessment, inputs, queries, sheets, statforms, summary
from dangvu.reports.statforms import xlsx as form_xlsx

REPORTS = ("snapshot", "flows", "badges", "assessment", "excellent-streak", "profile", "checks", "summary", "form")


class ReportParser(CommandParser):
    """Bad arguments are a user error like any other: a Vietnamese message and exit status 1."""

    def error(self, message):
        if self.called_from_command_line:
            translation.activate(settings.LANGUAGE_CODE)
        text = _("Invalid arguments: %(detail)s") % {"detail": _explain(message)}
        if not self.called_from_command_line:
            raise CommandError(text)
        sys.stderr.write(f"Lỗi: {text}\n{_('See: dangvu report --help')}\n")
        sys.exit(1)


def _explain(message: str) -> str:
    """argparse's English message, said in the user's language for the usual cases."""
    if m := re.match(r"unrecognized arguments: (.*)", message):
        return _("unknown option %(options)s") % {"options": m.group(1)}
    if m := re.match(r"argument (\S+): invalid choice: '?([^' ]*)'?", message):
        return _("unknown report “%(value)s” (use %(reports)s)") % {"value": m.group(2), "reports": ", ".join(REPORTS)}
    if m := re.match(r"argument (\S+): expected one argument", message):
        return _("the option %(option)s needs a value") % {"option": m.group(1)}
    return message


# Argument texts; argparse shows them in the language active when the parser is built.
CODE, DATE, YEAR, FILE = gettext_lazy("CODE"), gettext_lazy("DATE"), gettext_lazy("YEAR"), gettext_lazy("FILE")
ORG_HELP = gettext_lazy("Party organization code")
AS_OF_HELP = gettext_lazy("Report date: YYYY-MM-DD or dd/mm/yyyy (default: today)")


class Command(DangvuCommand):
    help = gettext_lazy(
        "Export reports. Examples: dangvu report snapshot --org H01 --as-of 2024-12-31 --format json; "
        "dangvu report flows --org H01 --from 2024-01-01 --to 2024-12-31 --format xlsx --output bien-dong.xlsx"
    )

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.__class__ = ReportParser
        return parser

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="report", metavar=gettext_lazy("REPORT"), parser_class=ReportParser)
        snap = sub.add_parser("snapshot", help=gettext_lazy("Number of Party organizations and members as of a date"))
        snap.add_argument("--org", metavar=CODE, help=ORG_HELP)
        snap.add_argument("--as-of", dest="as_of", metavar=DATE, help=AS_OF_HELP)
        self._output_arguments(snap)
        flows = sub.add_parser(
            "flows", help=gettext_lazy("Member changes in a period (the first and last days both included)"))
        flows.add_argument("--org", metavar=CODE, help=ORG_HELP)
        flows.add_argument("--from", dest="date_from", metavar=DATE,
                           help=gettext_lazy("From date: YYYY-MM-DD or dd/mm/yyyy"))
        flows.add_argument("--to", dest="date_to", metavar=DATE, help=gettext_lazy("To date: YYYY-MM-DD or dd/mm/yyyy"))
        self._output_arguments(flows)
        badges = sub.add_parser(
            "badges", help=gettext_lazy("Members proposed for the Party membership badge in one round"))
        badges.add_argument("--org", metavar=CODE, help=ORG_HELP)
        badges.add_argument("--award-date", dest="award_date", metavar=DATE,
                            help=gettext_lazy("Award date (an award occasion of the rules in force): YYYY-MM-DD or dd/mm/yyyy"))
        self._output_arguments(badges)
        assessment = sub.add_parser("assessment", help=gettext_lazy("Assessment and quality rating results of a year"))
        assessment.add_argument("--org", metavar=CODE, help=ORG_HELP)
        assessment.add_argument("--year", metavar=YEAR, help=gettext_lazy("Assessment year (YYYY)"))
        self._output_arguments(assessment)
        for name, text in (("profile", gettext_lazy("Profile of the membership as of a date (sex, age, ethnicity, "
                                                    "religion, education, political theory, Party age)")),
                           ("checks", gettext_lazy("Record entries that break the rules or do not match, "
                                                   "as of a date"))):
            report = sub.add_parser(name, help=text)
            report.add_argument("--org", metavar=CODE, help=ORG_HELP)
            report.add_argument("--as-of", dest="as_of", metavar=DATE, help=AS_OF_HELP)
            self._output_arguments(report)
        text = sub.add_parser("summary", help=gettext_lazy(
            "Summary paragraph of the figures (Party organizations, members; with --year: the year's changes "
            "and ratings)"))
        text.add_argument("--org", metavar=CODE, help=ORG_HELP)
        text.add_argument("--as-of", dest="as_of", metavar=DATE, help=AS_OF_HELP)
        text.add_argument("--year", metavar=YEAR, help=gettext_lazy("Add the changes and rating results of this year"))
        text.add_argument("--format", default="text", metavar="text|json|docx",
                          help=gettext_lazy("text (default), json or docx"))
        text.add_argument("--output", metavar=FILE,
                          help=gettext_lazy("Output file (required with docx; the screen by default)"))
        form = sub.add_parser(
            "form", help=gettext_lazy("Basic statistical forms (HD 11-HD/BTCTW): forms 1, 2, 4, 5, 6, 7"))
        form.add_argument("--number", metavar=gettext_lazy("NUMBER"), help=gettext_lazy(
            "Form number: 1 (members gained and lost), 2 (newly admitted members), 4 (by ethnicity, religion), "
            "5 (by type of grassroots unit), 6 (assessment and rating results), 7 (member affairs)"))
        form.add_argument("--org", metavar=CODE, help=ORG_HELP)
        form.add_argument("--from", dest="date_from", metavar=DATE,
                          help=gettext_lazy("From date (forms 1, 2, 7): YYYY-MM-DD or dd/mm/yyyy"))
        form.add_argument("--to", dest="date_to", metavar=DATE,
                          help=gettext_lazy("To date (forms 1, 2, 7): YYYY-MM-DD or dd/mm/yyyy"))
        form.add_argument("--as-of", dest="as_of", metavar=DATE,
                          help=gettext_lazy("As of date (forms 4, 5): YYYY-MM-DD or dd/mm/yyyy (default: today)"))
        form.add_argument("--year", metavar=YEAR, help=gettext_lazy("Year (form 6): YYYY"))
        form.add_argument("--format", default="json", metavar="json|xlsx|pdf",
                          help=gettext_lazy("json (default), xlsx or pdf"))
        form.add_argument("--output", metavar=FILE, help=gettext_lazy(
            "Output file (required with xlsx, pdf; json goes to the screen by default)"))
        streak = sub.add_parser("excellent-streak", help=gettext_lazy(
            "Members who completed their duties excellently several years in a row (proposed for commendation)"))
        streak.add_argument("--org", metavar=CODE, help=ORG_HELP)
        streak.add_argument("--year", metavar=YEAR, help=gettext_lazy("Last year of the period (YYYY)"))
        streak.add_argument("--years", metavar="N", default=str(queries.STREAK_DEFAULT_YEARS),
                            help=gettext_lazy("Number of consecutive years (default 5)"))
        self._output_arguments(streak)

    @staticmethod
    def _output_arguments(parser):
        parser.add_argument("--format", default="json", metavar="json|xlsx", help=gettext_lazy("json (default) or xlsx"))
        parser.add_argument("--output", metavar=FILE, help=gettext_lazy(
            "Output file (required with xlsx; json goes to the screen by default)"))

    def handle(self, *args, report=None, **opts):
        if report == "snapshot":
            return self._snapshot(**opts)
        if report == "flows":
            return self._flows(**opts)
        if report == "badges":
            return self._badges(**opts)
        if report == "assessment":
            return self._assessment(**opts)
        if report == "profile":
            return self._as_of_report(queries.profile, sheets.profile_xlsx, **opts)
        if report == "checks":
            return self._as_of_report(queries.checks, sheets.checks_xlsx, **opts)
        if report == "summary":
            return self._summary(**opts)
        if report == "form":
            return self._form(**opts)
        if report == "excellent-streak":
            return self._streak(**opts)
        self.fail(_("Choose a report: %(reports)s.") % {"reports": ", ".join(REPORTS)})

    def _snapshot(self, *, org=None, as_of=None, format=None, output=None, **_opts):
        fmt = inputs.parse_format(format)
        if fmt == "xlsx" and not output:
            self.fail(_("The xlsx format needs an output file: add --output FILE.xlsx."))
        day = inputs.parse_day(as_of) if as_of is not None else timezone.localdate()
        organization = inputs.organization_by_code(org)
        data = queries.snapshot(organization, day)
        self._output(data, fmt, output, exporters.snapshot_xlsx)

    def _flows(self, *, org=None, date_from=None, date_to=None, format=None, output=None, **_opts):
        fmt = inputs.parse_format(format)
        if fmt == "xlsx" and not output:
            self.fail(_("The xlsx format needs an output file: add --output FILE.xlsx."))
        organization = inputs.organization_by_code(org)
        if date_from is None:
            self.fail(_("Enter the first day of the period: --from YYYY-MM-DD."))
        if date_to is None:
            self.fail(_("Enter the last day of the period: --to YYYY-MM-DD."))
        start = inputs.parse_day(date_from, field="from")
        end = inputs.parse_day(date_to, field="to")
        data = queries.flows(organization, start, end)
        self._output(data, fmt, output, exporters.flows_xlsx)

    def _badges(self, *, org=None, award_date=None, format=None, output=None, **_opts):
        fmt = inputs.parse_format(format)
        if fmt == "xlsx" and not output:
            self.fail(_("The xlsx format needs an output file: add --output FILE.xlsx."))
        organization = inputs.organization_by_code(org)
        if award_date is None:
            self.fail(_("Enter the award date: --award-date YYYY-MM-DD."))
        data = queries.badges(organization, inputs.parse_day(award_date, field="award_date"))
        self._output(data, fmt, output, exporters.badges_xlsx)
        for warning in data["warnings"]:  # a day off the rules' award occasions: said, not refused
            self.stderr.write(warning["message"])

    def _assessment(self, *, org=None, year=None, format=None, output=None, **_opts):
        fmt = inputs.parse_format(format)
        if fmt == "xlsx" and not output:
            self.fail(_("The xlsx format needs an output file: add --output FILE.xlsx."))
        organization = inputs.organization_by_code(org)
        if year is None:
            self.fail(_("Enter the year assessed: --year YYYY."))
        data = queries.assessment(organization, check_year(year))
        self._output(data, fmt, output, exporters.assessment_xlsx)

    def _as_of_report(self, query, write_xlsx, *, org=None, as_of=None, format=None, output=None, **_opts):
        """A report of an organization on a day (profile, checks): json or xlsx."""
        fmt = inputs.parse_format(format)
        if fmt == "xlsx" and not output:
            self.fail(_("The xlsx format needs an output file: add --output FILE.xlsx."))
        day = inputs.parse_day(as_of) if as_of is not None else timezone.localdate()
        organization = inputs.organization_by_code(org)
        self._output(query(organization, day), fmt, output, write_xlsx)

    def _summary(self, *, org=None, as_of=None, year=None, format=None, output=None, **_opts):
        fmt = inputs.parse_format(format, formats=summary.FORMATS)
        if fmt == "docx" and not output:
            self.fail(_("The docx format needs an output file: add --output FILE.docx."))
        day = inputs.parse_day(as_of) if as_of is not None else timezone.localdate()
        organization = inputs.organization_by_code(org)
        data = summary.summary(organization, day, check_year(year) if year is not None else None)
        if fmt == "docx":
            self._write(Path(output), summary.summary_docx(organization, data))
            self.stdout.write(_("Report written to %(path)s.") % {"path": output})
        elif fmt == "json":
            self._output(data, fmt, output, None)
        elif output:
            self._write(Path(output), (data["text"] + "\n").encode("utf-8"))
            self.stdout.write(_("Report written to %(path)s.") % {"path": output})
        else:
            self.stdout.write(data["text"])
    def _form(self, *, number=None, org=None, date_from=None, date_to=None, as_of=None, year=None, format=None,
              output=None, **_opts):
        fmt = inputs.parse_format(format, formats=("json", "xlsx", "pdf"))
        if fmt == "xlsx" and not output:
            self.fail(_("The xlsx format needs an output file: add --output FILE.xlsx."))
        if fmt == "pdf" and not output:
            self.fail(_("The pdf format needs an output file: add --output FILE.pdf."))
        if number is None:
            self.fail(_("Enter the number of the form: --number N (%(forms)s).")
                      % {"forms": ", ".join(map(str, statforms.FORMS))})
        spec = statforms.form_spec(number)
        organization = inputs.organization_by_code(org)
        if spec.yearly:
            if date_from is not None or date_to is not None or as_of is not None:
                self.fail(_("Form %(number)s covers a year: use --year.") % {"number": spec.number})
            if year is None:
                self.fail(_("Enter the year: --year YYYY."))
            data = statforms.build_form(spec.number, organization, year=year)
        elif spec.period:
            if year is not None:
                self.fail(_("Form %(number)s covers a period: use --from and --to, not --year.") % {"number": spec.number})
            if as_of is not None:
                self.fail(_("Form %(number)s covers a period: use --from and --to, not --as-of.") % {"number": spec.number})
            if date_from is None:
                self.fail(_("Enter the first day of the period: --from YYYY-MM-DD."))
            if date_to is None:
                self.fail(_("Enter the last day of the period: --to YYYY-MM-DD."))
            data = statforms.build_form(spec.number, organization, date_from=inputs.parse_day(date_from, field="from"),
                                        date_to=inputs.parse_day(date_to, field="to"))
        else:
            if year is not None:
                self.fail(_("Form %(number)s counts on a day: use --as-of, not --year.") % {"number": spec.number})
            if date_from is not None or date_to is not None:
                self.fail(_("Form %(number)s counts on a day: use --as-of, not --from and --to.") % {"number": spec.number})
            day = inputs.parse_day(as_of) if as_of is not None else timezone.localdate()
            data = statforms.build_form(spec.number, organization, as_of=day)
        if fmt == "pdf":
            from dangvu.reports.statforms import pdf as form_pdf

            self._write(Path(output), form_pdf.render(data))
            self.stdout.write(_("Report written to %(path)s.") % {"path": output})
            return
        self._output(data, fmt, output, form_xlsx.write)
    def _streak(self, *, org=None, year=None, years=None, format=None, output=None, **_opts):
        fmt = inputs.parse_format(format)
        if fmt == "xlsx" and not output:
            self.fail(_("The xlsx format needs an output file: add --output FILE.xlsx."))
        organization = inputs.organization_by_code(org)
        if year is None:
            self.fail(_("Enter the last year of the period: --year YYYY."))
        data = queries.excellent_streak(organization, *queries.check_streak(year, years))
        self._output(data, fmt, output, exporters_assessment.streak_xlsx)

    def _output(self, data: dict, fmt: str, output: str | None, write_xlsx) -> None:
        if fmt == "json":
            text = exporters.to_json(data)
            if not output:
                self.stdout.write(text)
                return
            content = (text + "\n").encode("utf-8")
        else:
            buffer = io.BytesIO()
            write_xlsx(data, buffer)
            content = buffer.getvalue()
        self._write(Path(output), content)
        self.stdout.write(_("Report written to %(path)s.") % {"path": output})

    def _write(self, path: Path, content: bytes) -> None:
        """Write the whole file at once; on failure nothing is left behind."""
        if path.is_dir():
            self.fail(_("Cannot write to %(path)s: it is a folder.") % {"path": path})
        existed = path.exists()
        try:
            with open(path, "wb") as fh:
                fh.write(content)
        except OSError as exc:
            if not existed:
                with contextlib.suppress(OSError):
                    path.unlink()
            self.fail(_("Cannot write to %(path)s: %(reason)s.") % {"path": path, "reason": os_reason(exc)})
