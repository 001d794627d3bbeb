"""The party organization tree (tổ chức đảng) and its history.

`OrganizationEvent` rows are the source of truth (establish, rename, move, change of kind,
dissolve, each with its date and decision). `OrganizationPeriod` rows are derived from them:
the parent, kind and name of an organization over a half-open interval [valid_from, valid_to),
so that the tree as it stood on any day is the set of periods valid on that day.
`Organization` keeps the current values for convenience; its `parent` is the current (or last)
parent and defines the management scope.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from dangvu.core.dates import format_date
from dangvu.core.models import Event, Period, Versioned


class OrganizationKind(models.TextChoices):
    PROVINCIAL = "provincial", _("Provincial party committee")
    DISTRICT = "district", _("District-level party committee")
    GRASSROOTS_COMMITTEE = "grassroots_committee", _("Grassroots party committee")
    GRASSROOTS_CELL = "grassroots_cell", _("Grassroots party cell")
    PARTIAL_COMMITTEE = "partial_committee", _("Partial party committee")
    SUBORDINATE_CELL = "subordinate_cell", _("Subordinate party cell")


CELL_KINDS = (OrganizationKind.GRASSROOTS_CELL, OrganizationKind.SUBORDINATE_CELL)
GRASSROOTS_KINDS = (OrganizationKind.GRASSROOTS_COMMITTEE, OrganizationKind.GRASSROOTS_CELL)

#: Which kinds may sit directly under which (the Statute's levels; the district level covers any
#: committee directly above grassroots, which after 2025 may be a commune committee).
ALLOWED_PARENT_KINDS: dict[str, tuple[str, ...]] = {
    OrganizationKind.PROVINCIAL: (),
    OrganizationKind.DISTRICT: (OrganizationKind.PROVINCIAL, OrganizationKind.DISTRICT),
    OrganizationKind.GRASSROOTS_COMMITTEE: (OrganizationKind.PROVINCIAL, OrganizationKind.DISTRICT),
    OrganizationKind.GRASSROOTS_CELL: (OrganizationKind.PROVINCIAL, OrganizationKind.DISTRICT),
    OrganizationKind.PARTIAL_COMMITTEE: (OrganizationKind.GRASSROOTS_COMMITTEE,),
    OrganizationKind.SUBORDINATE_CELL: (OrganizationKind.GRASSROOTS_COMMITTEE, OrganizationKind.PARTIAL_COMMITTEE),
}


class UnitKind(models.TextChoices):
    COMMUNE = "xa", _("Commune")
    WARD = "phuong", _("Ward")
    SPECIAL_ZONE = "dac_khu", _("Special zone")
    AGENCY = "co_quan", _("State agency")
    PUBLIC_SERVICE = "don_vi_su_nghiep", _("Public service unit")
    ENTERPRISE = "doanh_nghiep", _("Enterprise")
    SCHOOL = "truong_hoc", _("School")
    ARMY = "quan_doi", _("Army")
    POLICE = "cong_an", _("Police")
    VILLAGE = "thon_ban", _("Village / residential group")
    OTHER = "khac", _("Other")


class Organization(Versioned):
    """Tổ chức đảng: any node of the tree."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=255)
    name_folded = models.CharField(max_length=255, db_index=True, editable=False)
    kind = models.CharField(_("kind"), max_length=32, choices=OrganizationKind.choices)
    unit_kind = models.CharField(_("unit kind"), max_length=32, choices=UnitKind.choices, blank=True)
    admin_unit_code = models.CharField(
        _("administrative unit code"), max_length=16, blank=True,
        help_text=_("Code of the province or commune (vietnam-provinces)."),
    )
    parent = models.ForeignKey(
        "self", verbose_name=_("parent organization"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="children",
    )
    #: Materialized path of the current tree ("/1/5/23/": the ids from the root down to this one),
    #: kept by `services.rebuild_periods`; management scope is a prefix match on it.
    path = models.CharField(max_length=255, blank=True, editable=False)
    established_on = models.DateField(_("established on"), null=True, blank=True)
    dissolved_on = models.DateField(_("dissolved on"), null=True, blank=True)

    class Meta:
        ordering = ["code"]
        indexes = [models.Index(fields=["path"], name="org_path_idx", opclasses=["varchar_pattern_ops"])]
        verbose_name = _("party organization")
        verbose_name_plural = _("party organizations")

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def is_cell(self) -> bool:
        return self.kind in CELL_KINDS

    @property
    def is_grassroots(self) -> bool:
        return self.kind in GRASSROOTS_KINDS

    def exists_on(self, day) -> bool:
        return (self.established_on is None or self.established_on <= day) and (
            self.dissolved_on is None or self.dissolved_on > day
        )


class OrganizationEventKind(models.TextChoices):
    ESTABLISHED = "established", _("Established")
    RENAMED = "renamed", _("Renamed")
    MOVED = "moved", _("Moved to another parent")
    KIND_CHANGED = "kind_changed", _("Type changed (upgrade/downgrade)")
    MERGED = "merged", _("Merged into another organization")
    SPLIT = "split", _("Split")
    DISSOLVED = "dissolved", _("Dissolved")


#: What each key of an event's `payload` means, for people (ids are shown as the organizations' names,
#: kinds by their label); keys not listed here are not shown.
EVENT_PAYLOAD_LABELS = {
    "name": _("name"),
    "old_name": _("former name"),
    "kind": _("type"),
    "old_kind": _("former type"),
    "parent_id": _("parent organization"),
    "old_parent_id": _("former parent organization"),
    "into_id": _("merged into"),
    "into_ids": _("split into"),
}


class OrganizationEvent(Event):
    """A dated change to an organization, with its decision. Never deleted; corrections are new events."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(_("event"), max_length=32, choices=OrganizationEventKind.choices)
    effective_on = models.DateField(_("effective on"))

    class Meta:
        ordering = ["effective_on", "id"]
        indexes = [models.Index(fields=["organization", "effective_on"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {format_date(self.effective_on)}"


class OrganizationPeriod(Period):
    """Derived: the parent, kind and name of an organization over [valid_from, valid_to)."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="periods")
    parent = models.ForeignKey(Organization, null=True, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=32, choices=OrganizationKind.choices)
    name = models.CharField(max_length=255)

    class Meta:
        ordering = ["organization", "valid_from"]
        indexes = [
            # covering: a subtree's recursion reads each child's id and kind on a day from the index alone
            models.Index(fields=["parent", "valid_from", "valid_to", "organization", "kind"],
                         name="orgperiod_parent_kind_idx"),
            models.Index(fields=["organization", "valid_from"], name="orgperiod_org_idx"),
        ]

