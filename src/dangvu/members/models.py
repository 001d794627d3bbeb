"""The member registry (đảng viên) with effective-dated history.

`MemberEvent` rows (biến động) are the source of truth. `MemberPeriod` rows are derived from
them by `history.replay`: where the member was placed (which chi bộ), in which status
(probationary or official), whether exempted from activities and whether suspended from them, over
[valid_from, valid_to). The "current" columns of `Member` (cell, status, exempted, suspended, dates) are a
cache of the same replay,
kept for lists and search; reports "as of" a day read the periods.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Value
from django.db.models.functions import Coalesce, Upper
from django.utils.translation import gettext_lazy as _

from dangvu import regulations as R
from dangvu.core.dates import format_date
from dangvu.core.ethnicity import ethnic_groups
from dangvu.core.models import DecisionFields, Period, PeriodQuerySet, Recorded, Versioned
from dangvu.organizations.models import Organization


class Sex(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")


class MemberStatus(models.TextChoices):
    """The member's standing as of a day (current value cached on Member.status)."""

    PROBATIONARY = "probationary", _("Probationary member")
    OFFICIAL = "official", _("Official member")
    TRANSFERRED_OUT = "transferred_out", _("Transferred out")
    REMOVED = "removed", _("Removed from the Party")
    EXPELLED = "expelled", _("Expelled")
    RESIGNED = "resigned", _("Left the Party")
    DIED = "died", _("Deceased")


ACTIVE_STATUSES = (MemberStatus.PROBATIONARY, MemberStatus.OFFICIAL)


class PoliticalTheory(models.TextChoices):
    NONE = "", _("None")
    ELEMENTARY = "so_cap", _("Elementary")
    INTERMEDIATE = "trung_cap", _("Intermediate")
    ADVANCED = "cao_cap", _("Advanced")
    BACHELOR = "cu_nhan", _("Bachelor")


class PersonProfile(models.Model):
    """The identity and profile fields of the party member sheet (domain-rules §12.3), shared by a
    member and a candidate for admission (who becomes a member with the same values)."""

    full_name = models.CharField(_("full name"), max_length=255)
    family_name = models.CharField(_("family name"), max_length=100, blank=True)
    middle_name = models.CharField(_("middle name"), max_length=100, blank=True)
    given_name = models.CharField(_("given name"), max_length=100)
    name_folded = models.CharField(max_length=255, editable=False)
    sort_key = models.CharField(max_length=255, editable=False)
    other_names = models.CharField(_("other names"), max_length=255, blank=True)
    birth_date = models.DateField(_("date of birth"))
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    ethnicity = models.CharField(_("ethnicity"), max_length=2, choices=ethnic_groups())
    religion = models.CharField(_("religion"), max_length=100, blank=True)
    place_of_birth = models.CharField(_("place of birth"), max_length=255, blank=True)
    home_town = models.CharField(_("home town"), max_length=255, blank=True)
    residence = models.CharField(_("permanent residence"), max_length=255, blank=True)
    current_address = models.CharField(_("current address"), max_length=255, blank=True)
    national_id_number = models.CharField(_("national ID number"), max_length=12, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    occupation = models.CharField(_("occupation"), max_length=255, blank=True)
    general_education = models.CharField(_("general education"), max_length=20, blank=True)
    professional_qualification = models.CharField(_("professional qualification"), max_length=255, blank=True)
    political_theory_level = models.CharField(
        _("political theory level"), max_length=16, choices=PoliticalTheory.choices, blank=True
    )
    biography_number = models.CharField(_("biography number"), max_length=32, blank=True)

    class Meta:
        abstract = True


#: The fields of a member that are personal data (dữ liệu cá nhân): shown and edited only by the roles
#: that need them (`accounts.permissions.Action.PERSONAL_DATA`), in pages, forms, the API and the change log.
PERSONAL_FIELDS = ("national_id_number", "residence", "current_address", "phone")


class Member(Versioned, PersonProfile):
    """Đảng viên: identity, profile and the cached current placement."""

    code = models.CharField(_("member code"), max_length=32)
    # Cached from the events (see history.replay); never edited directly.
    card_number = models.CharField(_("party card number"), max_length=16, blank=True, editable=False)
    admitted_on = models.DateField(_("admitted on"), editable=False)  # the first admission (vào Đảng lần đầu)
    # The ceremony of the current membership when it is a readmission (kết nạp lại), else None.
    readmitted_on = models.DateField(_("readmitted on"), null=True, blank=True, editable=False)
    made_official_on = models.DateField(_("made official on"), null=True, blank=True, editable=False)
    status = models.CharField(_("status"), max_length=16, choices=MemberStatus.choices, editable=False)
    exempted = models.BooleanField(_("exempted from activities"), default=False, editable=False)
    suspended = models.BooleanField(_("suspended from party activities"), default=False, editable=False)
    # not indexed alone: member_cell_sort_idx starts with it
    cell = models.ForeignKey(
        Organization, verbose_name=_("party cell"), on_delete=models.PROTECT, related_name="members", editable=False,
        db_index=False,
    )
    ended_on = models.DateField(_("left on"), null=True, blank=True, editable=False)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["sort_key", "id"]
        verbose_name = _("party member")
        verbose_name_plural = _("party members")
        # Each index costs every import; none repeats another's first column. The code is unique by a
        # constraint (a unique field would add a second, LIKE-pattern index on PostgreSQL).
        constraints = [
            models.UniqueConstraint(fields=["code"], name="member_code_uniq"),
            # one person, one national ID number (members.identity checks the candidates too)
            models.UniqueConstraint(fields=["national_id_number"], condition=~models.Q(national_id_number=""),
                                    name="member_national_id_uniq"),
        ]
        indexes = [
            models.Index(fields=["sort_key", "id"], name="member_sort_idx"),
            models.Index(fields=["cell", "sort_key", "id"], name="member_cell_sort_idx"),
            # the to-do figures of a whole province (dashboard): the probationary members, the official
            # ones without a card — counted from this index instead of a read of every member; issuing a
            # card checks its number is free by it too (`status IN` every status: one descent per status)
            models.Index(fields=["status", "card_number"], name="member_status_card_idx"),
            # a code differing from another only in capitals is refused (`services.code_taken`, the import):
            # looked up by this index, not a read of every member (not unique: older databases may hold both)
            models.Index(Upper("code"), name="member_code_upper_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.code})"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def membership_started_on(self):
        """The ceremony that began the current membership (probation counts from it): the
        readmission, or else the first admission."""
        return self.readmitted_on or self.admitted_on


class MemberEventKind(models.TextChoices):
    ADMITTED = "admitted", _("Admitted")
    MADE_OFFICIAL = "made_official", _("Made official member")
    TRANSFERRED_IN = "transferred_in", _("Transferred in")
    MOVED = "moved", _("Moved to another cell")
    TRANSFERRED_OUT = "transferred_out", _("Transferred out")
    EXEMPTED = "exempted", _("Exempted from activities")
    EXEMPTION_ENDED = "exemption_ended", _("Exemption ended")
    SUSPENDED = "suspended", _("Suspended from party activities")
    SUSPENSION_LIFTED = "suspension_lifted", _("Suspension of party activities lifted")
    DISCIPLINED = "disciplined", _("Disciplined")
    CARD_ISSUED = "card_issued", _("Party card issued")
    BADGE_AWARDED = "badge_awarded", _("Party badge awarded")
    REMOVED = "removed", _("Removed from the Party")
    EXPELLED = "expelled", _("Expelled")
    RESIGNED = "resigned", _("Left the Party")
    DIED = "died", _("Deceased")
    RESTORED = "restored", _("Membership restored")


class RecordedEventManager(models.Manager):
    """The events in force: those not cancelled as mistaken (`MemberEvent.cancelled_at`). The default
    manager, so that every replay, report and list of events (`member.events`) leaves the cancelled
    ones out; the member's history page reads them all (`MemberEvent.with_cancelled`). A query that
    reaches the events through a join (a FilteredRelation, raw SQL) says `cancelled_at IS NULL` itself."""

    def get_queryset(self):
        return super().get_queryset().filter(cancelled_at__isnull=True)


class MemberEvent(DecisionFields, Recorded):
    """Biến động: one dated change in a member's party life, with its decision.

    An event recorded by mistake is never deleted nor changed: it is cancelled (hủy sự kiện nhập sai,
    `members.cancellation`), who, when and why kept on it, and the member's history replayed without it."""

    # not indexed alone: memberevent_member_idx starts with it
    member = models.ForeignKey(Member, verbose_name=_("party member"), on_delete=models.CASCADE, related_name="events",
                               db_index=False)
    kind = models.CharField(_("event"), max_length=32, choices=MemberEventKind.choices)
    effective_on = models.DateField(_("effective on"))
    # not indexed: events are read by member or by date (reports), never by cell alone
    cell = models.ForeignKey(
        Organization, verbose_name=_("party cell"), null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        db_index=False,
    )
    value = models.CharField(_("value"), max_length=64, blank=True)
    note = models.TextField(_("note"), blank=True)
    # the planned end of a suspension (đình chỉ sinh hoạt đảng): it informs; the suspension lasts until lifted
    planned_end = models.DateField(_("planned end"), null=True, blank=True)
    # not indexed (unlike the other `Recorded` rows): events are never read by who recorded them
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", db_index=False,
    )
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("cancelled by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", db_index=False,
    )
    cancel_reason = models.TextField(_("reason for the cancellation"), blank=True)

    objects = RecordedEventManager()
    with_cancelled = models.Manager()

    class Meta:
        ordering = ["effective_on", "id"]
        # By member (a history), by date (reports, recent changes); none by kind (the flows report reads a
        # date range; the index cost every import 0.2 s per 20,000 members at 1M, for no plan that used it).
        indexes = [
            models.Index(fields=["member", "effective_on"], name="memberevent_member_idx"),
            models.Index(fields=["effective_on", "id"], name="memberevent_recent_idx"),
        ]

    def __str__(self) -> str:
        return self.bulk_repr()(self)

    @property
    def value_display(self) -> str:
        """The value as a person reads it: a disciplinary form, the ground of an exemption or a removal, or the
        reason of a suspension by its label from the rules (a suspension with its planned end)."""
        if self.kind == MemberEventKind.DISCIPLINED:
            label = R.DISCIPLINE_FORM_LABELS.get(self.value)
            return str(label) if label else self.value
        if self.kind == MemberEventKind.BADGE_AWARDED and self.value.isdigit():  # the milestone, in years
            return _("%(n)d years") % {"n": int(self.value)}
        if self.kind == MemberEventKind.EXEMPTED:  # the ground of the exemption (none on older records)
            return str(R.EXEMPTION_GROUND_LABELS.get(self.value, self.value))
        if self.kind == MemberEventKind.REMOVED and self.value in R.REMOVAL_GROUNDS:  # as the rules of its day name it
            label = R.removal_ground_labels(R.rules_on(self.effective_on))[self.value]
            return "" if " ".join(self.note.split()) == label else label  # the note says it already (the default)
        if self.kind == MemberEventKind.SUSPENDED:
            text = str(R.SUSPENSION_REASON_LABELS.get(self.value, self.value))
            if self.planned_end:
                text += " · " + _("planned end %(day)s") % {"day": format_date(self.planned_end)}
            return text
        return self.value

    @classmethod
    def bulk_repr(cls):
        """str() for many events at once (audit of a bulk write): the labels are translated once,
        not per event (get_kind_display() hashes every lazy choice label on each call)."""
        labels = {k: str(v) for k, v in MemberEventKind.choices}
        return lambda ev: f"{labels.get(ev.kind, ev.kind)} {format_date(ev.effective_on)}"


#: The open end of a member period as its cell index orders it: `COALESCE(valid_to, OPEN_END)`.
OPEN_END = "9999-12-31"


def period_valid_on_sql(alias: str) -> str:
    """SQL condition: the member period `alias` is valid on the day given twice as parameters, written
    as the cell index orders the periods (`memberperiod_cell_cover_idx`: by cell, then end): the
    periods of a cell that end after the day are one range of the index, read without the ended ones."""
    return f"{alias}.valid_from <= %s AND COALESCE({alias}.valid_to, '{OPEN_END}') > %s"


class MemberPeriodQuerySet(PeriodQuerySet):
    def active_on(self, day) -> MemberPeriodQuerySet:
        """The periods valid on `day` (`day` a date or an expression), as `period_valid_on_sql` writes it."""
        return self.alias(ends=Coalesce("valid_to", Value(OPEN_END), output_field=models.DateField())).filter(
            valid_from__lte=day, ends__gt=day)


class MemberPeriod(Period):
    """Derived: the member in `cell`, with `status`, `exempted` and `suspended`, over [valid_from, valid_to).

    The member's own fields the reports count (`PERIOD_PROFILE_FIELDS`: sex, ethnicity, religion,
    birth date, general education, political theory) are copies of the member's fields (not of the
    history: a correction applies to every period); `party_age_start` (the day party age counts
    from: `R.party_age_start` of the first admission) and `readmitted` (the current membership began
    with a readmission) come from the replay of the member's events, as the periods do. They are
    carried here so that the reports count from the periods alone, without joining the wide member
    table or the events (issue 11: most of a province's snapshot and profile were those joins). Every
    writer of periods writes them (services.rebuild, bulk.bulk_write) and every edit of the member's
    fields rewrites them (services.member_update_profile, bulk.bulk_update_profiles, through
    `services.copy_profile_to_periods`)."""

    # Derived rows (rebuilt from the events by `rebuild-history`): no database constraints, which cost
    # every import a check per row and key (Django still cascades and protects), and neither indexed
    # alone (the two indexes below start with them).
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="periods", db_index=False,
                               db_constraint=False)
    cell = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+", db_index=False,
                             db_constraint=False)
    status = models.CharField(max_length=16, choices=MemberStatus.choices)
    exempted = models.BooleanField(default=False)
    suspended = models.BooleanField(default=False)
    sex = models.CharField(max_length=1, choices=Sex.choices, blank=True, default="")
    ethnicity = models.CharField(max_length=2, blank=True, default="")
    religion = models.CharField(max_length=100, blank=True, default="")
    birth_date = models.DateField()
    general_education = models.CharField(max_length=20, blank=True, default="")
    political_theory_level = models.CharField(max_length=16, blank=True, default="")
    party_age_start = models.DateField()
    readmitted = models.BooleanField(default=False)

    objects = MemberPeriodQuerySet.as_manager()

    class Meta:
        ordering = ["member", "valid_from"]
        indexes = [
            # covering (on both backends: key columns, not INCLUDE, which SQLite lacks): a report reads the
            # periods of a subtree's cells on a day and counts their status and attributes from the index
            # alone (PostgreSQL: an index-only scan; SQLite: USING COVERING INDEX). Ordered by the end of
            # the period after the cell (`period_valid_on_sql`): the periods valid on a day are read
            # without the ended ones beside them (about half of a cell's range at 1M members).
            models.Index("cell", Coalesce("valid_to", Value(OPEN_END), output_field=models.DateField()), "valid_from",
                         "valid_to", "member", "status", "exempted", "suspended", "sex", "ethnicity", "religion",
                         "birth_date", "general_education", "political_theory_level", "party_age_start", "readmitted",
                         name="memberperiod_cell_cover_idx"),
            models.Index(fields=["member", "valid_from"], name="memberperiod_member_idx"),
            # the few periods of exempted members (the assessment's check that none of them was rated): read
            # whole, not found among every period by a scan; nothing to write for the other periods
            models.Index(fields=["member", "valid_from", "valid_to"], condition=models.Q(exempted=True),
                         name="memberperiod_exempted_idx"),
            # and of suspended members (the same check for them)
            models.Index(fields=["member", "valid_from", "valid_to"], condition=models.Q(suspended=True),
                         name="memberperiod_suspended_idx"),
        ]


class MemberWord(models.Model):
    """Derived search index (members.search), never edited by hand: one row per distinct word of a
    member's folded name, with the member's sort key and current cell, so that the members having a
    word stream from the index (word, sort_key, member, cell, words) in Vietnamese order, filtered by
    scope on the entry itself, and a search stops after one page. `words` holds every word of the name
    (sorted, space-delimited: " an nguyen van ") so that the other words of a query are checked on the
    entry too. No database constraints: it is rebuilt from Member (search.rebuild_index), and written
    in bulk by imports."""

    pk = models.CompositePrimaryKey("member", "word")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+", db_index=False,
                               db_constraint=False)
    word = models.CharField(max_length=255)
    sort_key = models.CharField(max_length=255)
    cell = models.ForeignKey(Organization, on_delete=models.DO_NOTHING, related_name="+", db_index=False,
                             db_constraint=False)
    words = models.TextField()

    class Meta:
        indexes = [
            models.Index(fields=["word", "sort_key", "member", "cell", "words"], name="memberword_stream_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.word} → {self.member_id}"
