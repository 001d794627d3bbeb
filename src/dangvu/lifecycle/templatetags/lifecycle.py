"""Template tags that show lifecycle records on pages of other apps (the member page)."""

from django import template

from dangvu.core import documents
from dangvu.lifecycle.models import DisciplineCase

register = template.Library()


@register.simple_tag
def open_discipline_case(member):
    """The member's discipline case still open, or None."""
    return DisciplineCase.objects.filter(member=member, closed_on__isnull=True).first()


@register.simple_tag
def pdf_available():
    """Whether PDF links may be offered (`documents.pdf_available`)."""
    return documents.pdf_available()
