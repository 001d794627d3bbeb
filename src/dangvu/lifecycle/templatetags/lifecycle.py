"""Template tags that show lifecycle records on pages of other apps (the member page)."""

from django import template
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangvu.core import documents
from dangvu.lifecycle.models import DisciplineCase, Transfer, TransferKind
from dangvu.lifecycle.selectors import allowed_actions

register = template.Library()

#: The button of each member action (lifecycle.selectors.MEMBER_ACTIONS).
ACTION_BUTTONS = {
    "recognize": _("Official recognition"),
    "card": _("Issue a card"),
    "badge": _("Party badge"),
    "exempt": _("Exemption"),
    "end-exemption": _("End the exemption"),
    "transfer": _("Transfer"),
    "suspend": _("Suspend activities"),
    "lift-suspension": _("Lift the suspension"),
    "open-discipline-case": _("Open a discipline case"),
    "close-discipline-case": _("No discipline: close the case"),
    "discipline": _("Discipline"),
    "remove": _("Removal"),
    "resign": _("Leaving the Party"),
    "death": _("Death"),
    "restore": _("Restore the membership"),
    "transfer-in": _("Transfer back in"),
}


@register.simple_tag
def open_discipline_case(member):
    """The member's discipline case still open, or None."""
    return DisciplineCase.objects.filter(member=member, closed_on__isnull=True).first()


@register.simple_tag
def temporary_transfer(member):
    """The member's temporary transfer not yet over (it records no member event), or None."""
    return (Transfer.objects.filter(member=member, kind=TransferKind.TEMPORARY, until__gte=timezone.localdate())
            .select_related("to_cell").order_by("-issued_on", "-id").first())


@register.simple_tag
def pdf_available():
    """Whether PDF links may be offered (`documents.pdf_available`)."""
    return documents.pdf_available()


@register.simple_tag
def member_actions(member, user, case=None) -> list[tuple[str, str]]:
    """(action, button label) of the actions `user` may take on `member` now (selectors.allowed_actions)."""
    result = []
    for name in allowed_actions(member, user, case_open=case is not None):
        label = _("Replace the card") if name == "card" and member.card_number else ACTION_BUTTONS[name]
        result.append((name, label))
    return result
