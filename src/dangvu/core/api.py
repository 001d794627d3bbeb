"""API plumbing shared by every app: DomainError → 400 with field errors, never a 500; the base
mixins of API views (audit context of the API user, ETag and If-Match of versioned records) and input
serializers (unknown keys refused)."""

from __future__ import annotations

import contextlib

from auditlog.context import auditlog_value
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular import openapi
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema_field
from rest_framework import exceptions, serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .audit import audit_context
from .dates import EARLIEST, LATEST, check_day, check_past
from .errors import DomainError, EditConflict


def exception_handler(exc, context):
    if isinstance(exc, EditConflict):
        return Response({"detail": exc.message, "code": exc.code}, status=status.HTTP_412_PRECONDITION_FAILED)
    if isinstance(exc, DomainError):
        key = exc.field or "non_field_errors"
        return Response({key: [exc.message]}, status=status.HTTP_400_BAD_REQUEST)
    return drf_exception_handler(_in_words_of_the_user(exc), context)


def _in_words_of_the_user(exc):
    """The framework's errors that it words in English whatever the language (the others go through
    the catalogue, `core.framework_messages`): a record not found by Django's get_object_or_404, a
    body that is not JSON, a body that is null."""
    if isinstance(exc, Http404):
        return exceptions.NotFound()  # Django: "No Member matches the given query." (not translatable)
    if isinstance(exc, exceptions.ParseError) and str(exc.detail).startswith("JSON parse error"):
        return exceptions.ParseError(_("The request body is not valid JSON."))
    if isinstance(exc, exceptions.ValidationError) and isinstance(exc.detail, dict):
        errors = exc.detail.get("non_field_errors")
        if isinstance(errors, list) and any(getattr(e, "code", None) == "null" and str(e) == "No data provided"
                                            for e in errors):
            return exceptions.ValidationError({"non_field_errors": [_("No data was sent.")]}, code="null")
    return exc


# --- Base classes of every API view (audit context, strict input, pagination) -------------------


class AuditedAPIMixin:
    """Attribute every audit entry written while serving an API call to the API user.

    `AuditMiddleware` only sees the session user; a caller authenticated by HTTP Basic or a token is
    known only once DRF has authenticated the request, so the audit context is (re-)entered here,
    after authentication, and left when the response is finalised.
    """

    audit_source = "api"

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        stack = contextlib.ExitStack()
        # django-auditlog's context manager does not restore the enclosing context (the
        # middleware's) on exit; restore it ourselves so that the middleware leaves cleanly.
        previous = auditlog_value.get(None)
        if previous is not None:
            stack.callback(auditlog_value.set, previous)
        stack.enter_context(
            audit_context(actor=request.user, source=self.audit_source, remote_addr=request.META.get("REMOTE_ADDR"))
        )
        self._audit_stack = stack

    def finalize_response(self, request, response, *args, **kwargs):
        stack = getattr(self, "_audit_stack", None)
        if stack is not None:
            self._audit_stack = None
            stack.close()
        return super().finalize_response(request, response, *args, **kwargs)


class VersionedAPIMixin:
    """Optimistic concurrency of a record edited in place (`core.models.Versioned`, contracts §4): its
    detail and the answer to a write carry an `ETag`; a write with an `If-Match` that does not name the
    current version answers 412 and changes nothing (`EditConflict`); a write without one proceeds."""

    @staticmethod
    def etag(record) -> str:
        return f'"{record.version}"'

    def if_match_version(self, record) -> int | None:
        """The version the write is made over, for the service to check again atomically: None
        without If-Match (or with `*`), the current one when If-Match names it; else EditConflict."""
        header = self.request.headers.get("If-Match")
        if header is None:
            return None
        tags = {tag.strip() for tag in header.split(",")}
        if "*" in tags:
            return None
        if self.etag(record) not in tags:
            raise EditConflict(record)
        return record.version

    def with_etag(self, response, record):
        response["ETag"] = self.etag(record)
        return response

    def retrieve(self, request, *args, **kwargs):
        return self.with_etag(super().retrieve(request, *args, **kwargs), self.get_object())


ETAG_HEADER = OpenApiParameter(
    "ETag", OpenApiTypes.STR, OpenApiParameter.HEADER, response=[200],
    description=_("The record's current version; send it back in If-Match to update it."),
)
IF_MATCH_HEADER = OpenApiParameter(
    "If-Match", OpenApiTypes.STR, OpenApiParameter.HEADER, required=False,
    description=_("The ETag of the version the changes were made over: if the record has changed since, "
                  "the answer is 412 and nothing is changed. Without it the write proceeds."),
)
PRECONDITION_FAILED = OpenApiResponse(
    description=_("If-Match does not name the current version: someone else changed the record; nothing "
                  "was changed. Read it again (new ETag) and re-apply the changes."),
)


class StrictInputMixin:
    """Refuse input keys the serializer does not accept (a typo or a read-only field is a 400,
    never silently ignored)."""

    unknown_field_message = _("Unknown field, or a field that cannot be changed here.")
    #: Keys that HTML forms (the browsable API) add on their own.
    ignored_keys = frozenset({"csrfmiddlewaretoken"})

    def to_internal_value(self, data):
        if hasattr(data, "keys"):
            writable = {name for name, f in self.fields.items() if not f.read_only}
            unknown = sorted(set(data.keys()) - writable - self.ignored_keys)
            if unknown:
                raise serializers.ValidationError({name: [self.unknown_field_message] for name in unknown})
        return super().to_internal_value(data)


#: A day of EARLIEST … LATEST (whole centuries: 1900 … 2099) as a pattern of the schema, spelled out to the
#: day so that a client (or a fuzzer) can draw from it.
DAY_PATTERN = "^({})[0-9]{{2}}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$".format(
    "|".join(str(c) for c in range(EARLIEST.year // 100, LATEST.year // 100 + 1)))


@extend_schema_field({"type": "string", "format": "date", "pattern": DAY_PATTERN})
class DayField(serializers.DateField):
    """A day (YYYY-MM-DD) in the supported range: a recorded fact lies between `core.dates.EARLIEST` and
    today (`check_past`); with `future=True` (a day asked about, a change that may be planned) it lies
    between EARLIEST and `core.dates.LATEST` (`check_day`). Out of range: a field error, never a 500."""

    def __init__(self, *, future: bool = False, **kwargs):
        self.future = future
        super().__init__(**kwargs)

    def to_internal_value(self, value):
        day = super().to_internal_value(value)
        try:
            return check_day(day) if self.future else check_past(day)
        except DomainError as exc:
            raise serializers.ValidationError(exc.message) from None


class AutoSchema(openapi.AutoSchema):
    """drf-spectacular's schema, saying that a strict input (`StrictInputMixin`) takes no other key."""

    def _map_basic_serializer(self, serializer, direction):
        schema = super()._map_basic_serializer(serializer, direction)
        if direction == "request" and isinstance(serializer, StrictInputMixin):
            schema["additionalProperties"] = False
        return schema


class Pagination(PageNumberPagination):
    """`?page=N` and optional `?page_size=N` (at most 500)."""

    page_size_query_param = "page_size"
    max_page_size = 500
