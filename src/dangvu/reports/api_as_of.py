"""REST API of the reports of an organization on a day: the profile, the checks and the summary of
contracts §3, limited to the caller's scope (beside `reports.api`)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from dangvu.assessment.services import check_year
from dangvu.core.api import DayField

from . import queries, summary
from .api import OrgQuerySerializer, ReportView, SnapshotQuerySerializer, _OrgRefSerializer
from .queries.profile import DEFAULT_AGE_BANDS, DEFAULT_PARTY_AGE_BANDS, band_keys

_BY = _("Counts by key; every breakdown adds up to `total`; an empty field counts under \"unknown\".")


class _ProfileMembersSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    by_sex = serializers.DictField(child=serializers.IntegerField(), help_text=_("male, female"))
    by_ethnicity = serializers.DictField(child=serializers.IntegerField(), help_text=_(
        "By the ethnic group's Vietnamese name, e.g. Kinh, Thái, Mông."))
    by_religion = serializers.DictField(child=serializers.IntegerField(), help_text=_(
        "By the religion as written; \"Không\" for none."))
    by_age_band = serializers.DictField(child=serializers.IntegerField(), help_text=format_lazy(_(
        "By age band (setting DANGVU_REPORT_AGE_BANDS; default {bands})."), bands=", ".join(band_keys(DEFAULT_AGE_BANDS))))
    by_party_age_band = serializers.DictField(child=serializers.IntegerField(), help_text=format_lazy(_(
        "By party-age band (setting DANGVU_REPORT_PARTY_AGE_BANDS; default {bands})."),
        bands=", ".join(band_keys(DEFAULT_PARTY_AGE_BANDS))))
    by_education = serializers.DictField(child=serializers.IntegerField(), help_text=_(
        "By general education as written, e.g. 12/12."))
    by_political_theory = serializers.DictField(child=serializers.IntegerField(), help_text=_(
        "Sơ cấp, Trung cấp, Cao cấp, Cử nhân."))


class _BandsSerializer(serializers.Serializer):
    age = serializers.ListField(child=serializers.IntegerField(), help_text=_("Lower bound of each age band."))
    party_age = serializers.ListField(child=serializers.IntegerField(), help_text=_(
        "Lower bound of each party-age band."))


class ProfileSerializer(serializers.Serializer):
    """The `report profile` JSON of contracts §3 (keys may be added, never removed)."""

    org = _OrgRefSerializer()
    as_of = serializers.DateField()
    members = _ProfileMembersSerializer(help_text=_BY)
    bands = _BandsSerializer()


class ProfileView(ReportView):
    """The membership of an organization of your scope on a day, by sex, age, party age, ethnicity,
    religion, general education and political theory."""

    query, answer = SnapshotQuerySerializer, ProfileSerializer
    summary = _("Report profile: the membership on a day by characteristic")

    def report(self, org, params):
        return queries.profile(org, params.get("as_of") or timezone.localdate())


class _FindingSerializer(serializers.Serializer):
    code = serializers.CharField(help_text=_(
        "cell_below_minimum, probation_overdue, card_missing, placed_nowhere, excellent_over_cap, disciplined_above_limit, "
        "exempted_rated, suspended_rated"))
    subject = serializers.CharField(help_text=_("Code of the organization or member concerned."))
    name = serializers.CharField()
    message = serializers.CharField()


class ChecksSerializer(serializers.Serializer):
    """The `report checks` JSON of contracts §3 (keys may be added, never removed)."""

    org = _OrgRefSerializer()
    as_of = serializers.DateField()
    counts = serializers.DictField(child=serializers.IntegerField(), help_text=_("Findings by code (codes found)."))
    assessment_year = serializers.IntegerField(allow_null=True, help_text=_(
        "The year whose ratings were checked (the latest assessed by that day)."))
    findings = _FindingSerializer(many=True)


class ChecksView(ReportView):
    """What in the records of the subtree of an organization of your scope breaks a rule on a day."""

    query, answer = SnapshotQuerySerializer, ChecksSerializer
    summary = _("Report checks: what breaks a rule or does not add up on a day")

    def report(self, org, params):
        return queries.checks(org, params.get("as_of") or timezone.localdate())


class SummaryQuerySerializer(OrgQuerySerializer):
    as_of = DayField(future=True, required=False, help_text=_("Day (YYYY-MM-DD); today when omitted."))
    year = serializers.IntegerField(required=False, min_value=1930, help_text=_(
        "Also the changes in membership and the ratings of that year."))


class SummarySerializer(serializers.Serializer):
    """The `report summary` JSON of contracts §3 (keys may be added, never removed)."""

    org = _OrgRefSerializer()
    as_of = serializers.DateField()
    year = serializers.IntegerField(required=False)
    text = serializers.CharField(help_text=_("The drafted Vietnamese paragraph."))


class SummaryView(ReportView):
    """The figures of an organization of your scope written as a paragraph of a committee's report."""

    query, answer = SummaryQuerySerializer, SummarySerializer
    summary = _("Report summary: the drafted paragraph of the figures")

    def report(self, org, params):
        year = params.get("year")
        return summary.summary(org, params.get("as_of") or timezone.localdate(),
                               check_year(year) if year is not None else None)
