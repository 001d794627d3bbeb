"""`{% party_age member as age %}`: the member's party age today (`services.party_age`), for pages
of other apps that show a member (the member detail page includes `lifecycle/_party_age.html`)."""

from django import template
from django.utils import timezone

from dangvu.lifecycle import services

register = template.Library()


@register.simple_tag(name="party_age")
def party_age_tag(member) -> services.PartyAge:
    return services.party_age(member, timezone.localdate())
