"""REST API of the statistics forms (`reports.statforms`): /api/reports/forms/N/?org=…&from=…&to=…
(a form of a period) or &as_of=… (a form of a day), limited to the caller's scope."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from dangvu.core.api import DayField

from . import statforms
from .api import ReportView, query_serializer

FormQuerySerializer = query_serializer("FormQuerySerializer", {
    "from": DayField(future=True, required=False, help_text=_(
        "First day of the period (YYYY-MM-DD), included; forms of a period (1, 2, 7). Default: 1 January of the year "
        "of `to`.")),
    "to": DayField(future=True, required=False, help_text=_(
        "Last day of the period (YYYY-MM-DD), included; forms of a period. Default: today.")),
    "as_of": DayField(future=True, required=False, help_text=_(
        "The day counted; forms of a day (4, 5). Default: today.")),
    "year": serializers.IntegerField(required=False, min_value=1930, help_text=_(
        "The year; forms of a year (6). Default: last year.")),
}, "The parameters of a statistics form.")


class _FormRefSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    code = serializers.CharField(help_text=_("e.g. 1-BTCTW"))
    title = serializers.CharField()


class _ColumnSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    ratio = serializers.BooleanField(required=False, help_text=_("Present (true) on a percentage column."))


class _RowSerializer(serializers.Serializer):
    key = serializers.CharField(help_text=_("Stable key of the row, e.g. admitted, transferred_in_other_province."))
    number = serializers.CharField(help_text=_("Its number on the printed form (A, B, 1, …), may be empty."))
    label = serializers.CharField()
    level = serializers.IntegerField(help_text=_("0 a heading or total, 1 an item, 2 a sub-item."))
    values = serializers.DictField(child=serializers.FloatField(allow_null=True), help_text=_(
        "Column key → count, or on a ratio column a percentage with one decimal (kỳ này × 100 / cùng kỳ, or a "
        "share); null when blank."))


class FormSerializer(serializers.Serializer):
    """A statistics form: its rows with their keys, the columns, the organization and the dates."""

    form = _FormRefSerializer()
    org = serializers.DictField(child=serializers.CharField())
    superior = serializers.CharField(help_text=_("The name of the committee above (empty for a root)."))
    columns = _ColumnSerializer(many=True)
    rows = _RowSerializer(many=True)


class FormView(ReportView):
    """A basic statistics form (HD 11-HD/BTCTW) of an organization of your scope: one endpoint per form
    (`number`, given by the URL configuration)."""

    number = 0
    query, answer = FormQuerySerializer, FormSerializer
    summary = _("Statistics form (biểu thống kê cơ bản) of an organization")
    description = _(
        "Form 1 (/api/reports/forms/1/): increase and decrease of party members in a period (with the same period "
        "last year). Form 2: members admitted in a period by sex, ethnicity, religion, age, education, "
        "qualification and occupation. Form 4: members by ethnic group and religion on a day. Form 5: "
        "organizations and members by kind of grassroots unit on a day. Form 6: assessment results of a year. "
        "Form 7: member work in a period. An organization outside your scope does not exist (404).")

    def report(self, org, params):
        today = timezone.localdate()
        end = params.get("to") or today
        return statforms.build_form(self.number, org, date_from=params.get("from") or end.replace(month=1, day=1),
                                    date_to=end, as_of=params.get("as_of") or today,
                                    year=params.get("year") or today.year - 1)
