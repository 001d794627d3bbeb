"""Vietnamese first: the language is the user's explicit choice (cookie set by the language
switch), otherwise Vietnamese — never guessed from the browser's Accept-Language header, since
many office PCs run English browsers."""

from django.conf import settings
from django.utils import translation
from django.utils.deprecation import MiddlewareMixin


class LanguageMiddleware(MiddlewareMixin):
    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        codes = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in codes else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language

    def process_response(self, request, response):
        response.headers.setdefault("Content-Language", translation.get_language())
        return response


def int_text(n: int) -> str:
    """An integer with the active language's thousands separator (1.154; dangvu/formats), as the
    templates' number formatting writes it, for pages that show over a thousand numbers (a cheaper call)."""
    from django.utils.formats import get_format

    return f"{n:,}".replace(",", get_format("THOUSAND_SEPARATOR"))
