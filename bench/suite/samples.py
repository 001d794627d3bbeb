"""What the steps measure, sampled from the synthetic database: the subtrees (~3k, ~200k, all),
the admin of the root, the search queries."""

from __future__ import annotations

from .settings import ROOT_CODE, SEED


def _subtrees():
    """(label, org, members) of the subtrees measured: ~3k, ~200k (a region/province), all."""
    from django.db.models import Count

    from dangvu.members.models import Member
    from dangvu.organizations.models import Organization, OrganizationKind

    root = Organization.objects.get(code=ROOT_CODE)
    per_parent = dict(
        Member.objects.filter(cell__parent__code__startswith=ROOT_CODE, cell__parent__kind=OrganizationKind.GRASSROOTS_COMMITTEE)
        .values_list("cell__parent_id").annotate(n=Count("id")).values_list("cell__parent_id", "n")
    )
    commune_id, n_commune = min(per_parent.items(), key=lambda kv: abs(kv[1] - 3000))
    regions = list(Organization.objects.filter(parent=root, kind=OrganizationKind.DISTRICT).order_by("code"))
    total = Member.objects.filter(code__startswith=f"S{SEED}-").count()
    result = [("~3k (commune)", Organization.objects.get(pk=commune_id), n_commune)]
    if regions:
        from dangvu.members.selectors import members_in_subtree

        result.append(("~200k (province)", regions[0], members_in_subtree(regions[0]).count()))
    result.append((f"{total // 1000}k (root)", root, total))
    return result


def _admin():
    from django.contrib.auth import get_user_model

    from dangvu.accounts.services import user_create
    from dangvu.organizations.models import Organization

    user = get_user_model().objects.filter(username="bench_admin").first()
    if user is None:
        user = user_create(username="bench_admin", organization=Organization.objects.get(code=ROOT_CODE),
                           role="admin", password="bench-admin-2026", check_password=False)
    return user


def _queries(n: int) -> list[tuple[str, str]]:
    """(kind, query) built from sampled real rows, diacritics-free."""
    import random

    from django.db.models import Max, Min

    from dangvu.core.text import fold
    from dangvu.members.models import Member

    rng = random.Random(42)
    lo, hi = Member.objects.aggregate(a=Min("id"), b=Max("id")).values()
    ids = rng.sample(range(lo, hi + 1), min(n * 2, hi - lo + 1))
    names = list(Member.objects.filter(pk__in=ids).values_list("family_name", "middle_name", "given_name"))
    rng.shuffle(names)
    out = []
    kinds = ("full name", "family + given", "given only")
    for i, (family, middle, given) in enumerate(names[:n]):
        kind = kinds[i % 3]
        text = {"full name": f"{family} {middle} {given}", "family + given": f"{family} {given}",
                "given only": given}[kind]
        out.append((kind, fold(" ".join(text.split()))))
    return out
