"""Django's own messages that reach the Swedish UI, given our Swedish (issue 12 item 2).

Django's Swedish catalogue writes some of its messages with English quotation marks (“…”) or straight
ones ("…"), and one with "True or False"; Swedish uses ”…”. The project's catalogue comes first
(LOCALE_PATHS), so the same msgid in locale/sv/LC_MESSAGES/django.po wins. Listing the msgids here keeps
makemessages from dropping them as unused. The texts must stay exactly Django's (a test checks each one
is still in Django's catalogue and that our Swedish for it has Swedish quotation marks).
"""

# ruff: noqa: E501 - Django's msgids, whole, so they can be compared with its catalogue
from django.utils.translation import gettext_noop

DJANGO_MESSAGES = (
    gettext_noop(
        "File extension “%(extension)s” is not allowed. Allowed extensions are: %(allowed_extensions)s."
    ),
    gettext_noop("Constraint “%(name)s” is violated."),
    gettext_noop("“%(value)s” value must be either True or False."),
    gettext_noop("“%(value)s” value has an invalid date format. It must be in YYYY-MM-DD format."),
    gettext_noop("“%(value)s” value has the correct format (YYYY-MM-DD) but it is an invalid date."),
    gettext_noop(
        "“%(value)s” value has an invalid format. It must be in YYYY-MM-DD HH:MM[:ss[.uuuuuu]][TZ] format."
    ),
    gettext_noop(
        "“%(value)s” value has the correct format (YYYY-MM-DD HH:MM[:ss[.uuuuuu]][TZ]) but it is an invalid date/time."
    ),
    gettext_noop("“%(value)s” value must be a decimal number."),
    gettext_noop("“%(value)s” value has an invalid format. It must be in [DD] [[HH:]MM:]ss[.uuuuuu] format."),
    gettext_noop("“%(value)s” value must be a float."),
    gettext_noop("“%(value)s” value must be an integer."),
    gettext_noop("“%(value)s” value has an invalid format. It must be in HH:MM[:ss[.uuuuuu]] format."),
    gettext_noop("“%(value)s” value has the correct format (HH:MM[:ss[.uuuuuu]]) but it is an invalid time."),
    gettext_noop("“%(value)s” is not a valid UUID."),
    gettext_noop("“%(pk)s” is not a valid value."),
)
