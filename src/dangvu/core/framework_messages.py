"""Messages of Django and Django REST framework that their own Vietnamese catalogues leave untranslated
(or spell with an older msgid), so that the API and the forms answer them in Vietnamese.

The project's catalogue (LOCALE_PATHS) comes before the libraries' in Django's lookup: a msgid written
here, with its Vietnamese in `locale/vi`, replaces the library's English. Listing them in a source file
keeps them in the catalogue when `make messages` refreshes it. Nothing imports this module.
"""

from django.utils.translation import gettext_noop as _
from django.utils.translation import ngettext_lazy

REST_FRAMEWORK = (
    # fields
    _('"{input}" is not a valid choice.'),
    _("This field may not be null."),
    _("Ensure this field has no more than {max_length} characters."),
    _("Ensure this field has at least {min_length} characters."),
    _("Ensure this field has no more than {max_length} elements."),
    _("Ensure this field has at least {min_length} elements."),
    _("Not a valid string."),
    _("String value too large."),
    _("A valid integer is required."),
    _("A valid number is required."),
    _("Must be a valid boolean."),
    _("Must be a valid UUID."),
    _("Ensure this value is greater than or equal to {min_value}."),
    _("Ensure this value is less than or equal to {max_value}."),
    _("Datetime has wrong format. Use one of these formats instead: {format}."),
    _("Expected a date but got a datetime."),
    _('Expected a list of items but got type "{input_type}".'),
    _('Expected a dictionary of items but got type "{input_type}".'),
    _("This selection may not be empty."),
    _("This dictionary may not be empty."),
    _("Surrogate characters are not allowed: U+{code_point:X}."),
    _("No file was submitted."),
    _("The submitted file is empty."),
    _("The submitted data was not a file. Check the encoding type on the form."),
    _('Invalid pk "{pk_value}" - object does not exist.'),
    _("Incorrect type. Expected pk value, received {data_type}."),
    _("Object with {slug_name}={value} does not exist."),
    _("This field must be unique."),
    # serializers, requests, pagination
    _("Invalid data. Expected a dictionary, but got {datatype}."),
    _("Invalid input."),
    _("Invalid page."),
    _("Malformed request."),
    _('Unsupported media type "{media_type}" in request.'),
    _("Could not satisfy the request Accept header."),
    _("A server error occurred."),
    _("Request was throttled."),
    # authentication
    _("Authentication credentials were not provided."),
    _("Incorrect authentication credentials."),
    _("Invalid token."),
    _("Invalid token header. No credentials provided."),
    _("Invalid token header. Token string should not contain spaces."),
    _("Invalid token header. Token string should not contain invalid characters."),
    _("Invalid basic header. No credentials provided."),
    _("Invalid basic header. Credentials string should not contain spaces."),
    _("Invalid basic header. Credentials not correctly base64 encoded."),
)

DJANGO = (
    _("Null characters are not allowed."),
    # the validators' messages, worded as sentences (the library's Vietnamese has a stray space, no full stop)
    _("Ensure this value is greater than or equal to %(limit_value)s."),
    _("Ensure this value is less than or equal to %(limit_value)s."),
    _("Ensure this value is %(limit_value)s (it is %(show_value)s)."),
    ngettext_lazy("Ensure this value has at least %(limit_value)d character (it has %(show_value)d).",
                  "Ensure this value has at least %(limit_value)d characters (it has %(show_value)d).", "limit_value"),
    ngettext_lazy("Ensure this value has at most %(limit_value)d character (it has %(show_value)d).",
                  "Ensure this value has at most %(limit_value)d characters (it has %(show_value)d).", "limit_value"),
    # Django 5.2's msgid (its Vietnamese catalogue still has the older "%(min_length)d" one)
    ngettext_lazy("This password is too short. It must contain at least %d character.",
                  "This password is too short. It must contain at least %d characters.", "n"),
)
