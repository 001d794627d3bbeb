"""Records of the member lifecycle beside the member events: transfers (chuyển sinh hoạt) and
discipline cases. (Candidates for admission are the `admission` app's.)"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dangvu.core.dates import format_date
from dangvu.core.models import Recorded
from dangvu.members.models import Member, MemberEvent
from dangvu.organizations.models import Organization


class TransferKind(models.TextChoices):
    OFFICIAL = "official", _("Official transfer")
    TEMPORARY = "temporary", _("Temporary transfer")


class Transfer(Recorded):
    """Chuyển sinh hoạt đảng: the introduction letter (giấy giới thiệu) issued, and its receipt.

    An official transfer also records the member's event on the day of issue (MOVED to a cell of
    this database, or TRANSFERRED_OUT of it); the member is "in transit" until the receiving side
    confirms (`received_on`). A temporary transfer records no member event: the member stays counted
    at the home organization, and takes part at the host until `until`."""

    member = models.ForeignKey(Member, verbose_name=_("party member"), on_delete=models.PROTECT,
                               related_name="transfers")
    kind = models.CharField(_("kind"), max_length=16, choices=TransferKind.choices)
    from_cell = models.ForeignKey(Organization, verbose_name=_("sending chi bộ"), on_delete=models.PROTECT, related_name="+")
    to_cell = models.ForeignKey(Organization, verbose_name=_("to (in this database)"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    destination = models.CharField(_("to (outside this database)"), max_length=255, blank=True)
    issued_on = models.DateField(_("letter issued on"))
    letter_number = models.CharField(_("letter number"), max_length=64, blank=True)
    report_by = models.DateField(_("to report by"))
    purpose = models.CharField(_("purpose"), max_length=16, blank=True)
    until = models.DateField(_("temporary until"), null=True, blank=True)
    received_on = models.DateField(_("received on"), null=True, blank=True)
    event = models.OneToOneField(MemberEvent, verbose_name=_("event"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="transfer")
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["-issued_on", "-id"]
        verbose_name = _("transfer")
        verbose_name_plural = _("transfers")
        indexes = [models.Index(fields=["received_on", "report_by"], name="transfer_transit_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {format_date(self.issued_on)}"


class CaseOutcome(models.TextChoices):
    DISCIPLINED = "disciplined", _("Disciplined")
    NO_DISCIPLINE = "no_discipline", _("No discipline")


class DisciplineCase(models.Model):
    """Vụ việc kỷ luật: a case opened against a member by the authority considering it, closed by the
    discipline decision (its member event) or by a decision not to discipline. While a case is open
    the member is not transferred (QĐ 24-QĐ/TW, pt 6.3). At most one open case per member."""

    member = models.ForeignKey(Member, verbose_name=_("party member"), on_delete=models.PROTECT,
                               related_name="discipline_cases")
    opened_on = models.DateField(_("opened on"))
    authority = models.CharField(_("considered by"), max_length=255)
    violation = models.TextField(_("alleged violation"))
    violation_on = models.DateField(_("date of the violation"), null=True, blank=True)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("opened by"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=16, choices=CaseOutcome.choices, blank=True)
    event = models.OneToOneField(MemberEvent, verbose_name=_("discipline decision"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="discipline_case")
    note = models.TextField(_("note"), blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("closed by"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-opened_on", "-id"]
        verbose_name = _("discipline case")
        verbose_name_plural = _("discipline cases")
        constraints = [models.UniqueConstraint(fields=["member"], condition=models.Q(closed_on__isnull=True),
                                               name="disciplinecase_one_open_per_member")]

    def __str__(self) -> str:
        opened = f"{self._meta.verbose_name} {format_date(self.opened_on)}"
        if self.closed_on is None:
            return opened
        return gettext("%(case)s, closed on %(day)s: %(outcome)s") % {
            "case": opened, "day": format_date(self.closed_on), "outcome": self.get_outcome_display().lower()}
