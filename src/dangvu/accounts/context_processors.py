from django.conf import settings


def app(request):
    """Values every page needs: the user's role and scope, and what the role allows (the one table of
    `accounts.permissions`)."""
    from dangvu.accounts.permissions import Action, can
    from dangvu.accounts.selectors import is_admin, primary_assignment

    user = getattr(request, "user", None)
    return {
        "assignment": primary_assignment(user),
        "can_write": can(user, Action.EDIT),
        "can_discipline": can(user, Action.DISCIPLINE),
        "is_admin": is_admin(user),
        "can_see_personal_data": can(user, Action.PERSONAL_DATA),
        "can_import": can(user, Action.IMPORT),
        "LANGUAGES": settings.LANGUAGES,
    }
