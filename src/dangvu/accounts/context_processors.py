from django.conf import settings


def app(request):
    """Values every page needs: the user's role and scope (see accounts.selectors)."""
    from dangvu.accounts.selectors import (
        can_discipline,
        can_see_personal_data,
        can_write,
        is_admin,
        primary_assignment,
    )

    user = getattr(request, "user", None)
    return {
        "assignment": primary_assignment(user),
        "can_write": can_write(user),
        "can_discipline": can_discipline(user),
        "is_admin": is_admin(user),
        "can_see_personal_data": can_see_personal_data(user),
        "LANGUAGES": settings.LANGUAGES,
    }
