"""The one exception tree. Each interface turns it into its own form, in one place.

Foreign exceptions (SQLAlchemy, file readers, Splink) are translated at the boundary, so callers
never need to know which library failed. Every class lives here, and each exit code has one
meaning (the CLI's ``run`` prints one line and exits with it; the web answers ``http_status``)::

    ParleyError              1  400  anything else Parley refuses on purpose
    ├── InvalidInput         2  422  input a user supplied is wrong (file, line, field)
    │   ├── InvalidRecord
    │   │   └── RecordError       (one record of a file, with the file and line)
    │   └── UnreadableFile
    ├── NotFound             3  404
    ├── Conflict             4  409
    ├── AccessDenied         5  403
    │   └── ReauthenticationRequired  (account changes need a fresh password check)
    ├── CsrfRefused          5  403  a refusal too: a form without its CSRF token
    ├── LoginRequired       11  401  no one is signed in (pages redirect to the login page;
    │   │                            the command line says to run ``parley login``)
    │   └── LoginExpired    12  401  the saved login (an API token) expired or was revoked
    ├── AuthenticationFailed 13 401  a sign-in was refused (wrong password or code)
    ├── ParityViolation      6  409
    ├── Infeasible           6  409  an agreement or plan that cannot be met
    ├── IntegrityError       7  409  stored history does not verify
    ├── WorkspaceNotReady    8  409  the database is not initialised or is out of date
    ├── LinkageFailed        9  422  the linkage engine could not train or run
    ├── StoreUnavailable    10  503  the database cannot be reached
    └── Interrupted        130  409  the user stopped a long run (Ctrl-C); nothing half-done kept

A message is a template marked with ``N_`` and its values, so each interface can say it in its
reader's language (the command line in English, a web page in Ukrainian or English)::

    raise Infeasible(N_("stage %(stage)s holds %(count)s people, more than the limit %(limit)s"),
                     stage=k, count=n, limit=cap)

``str(err)`` is the English sentence; ``err.template`` and ``err.values`` let the web translate
it (``gettext(template) % values``, an ``Enum`` value or a :class:`Term` shown by its label).
A message raised as a finished sentence (no values) still works: it is its own template.
"""

from __future__ import annotations

from enum import Enum

from parley.i18n_marker import N_ as N_  # re-exported: ``from parley.errors import N_``


class Term(str):
    """A value that is a word of the interface (a role, a status, an action: ``manage_lists``),
    not a name or an id: the English sentence shows it in words ("manage lists"), a translated
    one by its label ("керувати списками")."""

    __slots__ = ()


class Text:
    """A part of a message with a template of its own (where in a file, a list of reasons),
    given as a value of an error so it is translated with the sentence around it."""

    __slots__ = ("template", "values")

    def __init__(self, template: str, /, **values: object) -> None:
        self.template = template
        self.values = values

    def __str__(self) -> str:
        if not self.values:  # a finished sentence: its "%" signs are its own
            return self.template
        return self.template % {k: english(v) for k, v in self.values.items()}


def in_file(source: object, line: int, field: str | None = None) -> Text:
    """Where in a file a value is wrong ("lists.csv, line 4, field stage"), to be translated."""
    if field is None:
        return Text(N_("%(source)s, line %(line)s"), source=source, line=line)
    return Text(N_("%(source)s, line %(line)s, field %(field)s"), source=source, line=line,
                field=field)


def english(value: object) -> object:
    """A value as the English sentence shows it: an enum by its value, a term in words, a tuple
    of parts (reasons, each maybe a :class:`Text`) joined by "; "."""
    if isinstance(value, tuple):
        return "; ".join(str(english(part)) for part in value)
    if isinstance(value, Term):
        return value.replace("_", " ")
    if isinstance(value, Enum):
        return value.value
    return value


class ParleyError(Exception):
    """Base of every error Parley raises on purpose; ``str(err)`` is a sentence for a user."""

    exit_code = 1
    http_status = 400

    def __init__(self, *args: object, **values: object) -> None:
        # The template is kept as written; the English sentence is the same Text a value of
        # another error would give (a finished sentence with a literal "%" stays as it was).
        first = args[0] if args else ""
        self.template = first if isinstance(first, str) else str(first)
        self.values = values
        if values:
            args = (str(Text(self.template, **values)), *args[1:])
        super().__init__(*args)


class NotFound(ParleyError):
    exit_code = 3
    http_status = 404


class Conflict(ParleyError):
    exit_code = 4
    http_status = 409


class InvalidInput(ParleyError):
    """Input a user supplied is wrong; the message names file, line and field where known."""

    exit_code = 2
    http_status = 422


class InvalidRecord(InvalidInput):
    """One record failed validation."""

    def __init__(self, field: str, reason: str | Text, value: str | None = None) -> None:
        # the reason is an N_()-marked sentence where the raise site has one, or a Text with
        # values (a stored row problem read back): translated too; ``reason`` stays English
        text = reason if isinstance(reason, Text) else Text(reason)
        self.field = field
        self.reason = str(text)
        self.value = value
        super().__init__(N_("%(field)s: %(reason)s"), field=field, reason=text)


class RecordError(InvalidRecord):
    """A record that makes a file unusable (e.g. for linkage), named by its file and line."""

    def __init__(self, path: object, line: int, field_name: str, reason: str) -> None:
        super().__init__(field_name, reason)
        self.args = (f"{path}: line {line}: field {field_name}: {reason}",)
        self.template, self.values = self.args[0], {}


class UnreadableFile(InvalidInput):
    """A whole file cannot be read (missing, wrong format, wrong encoding)."""


class AccessDenied(ParleyError):
    exit_code = 5
    http_status = 403


class AuthenticationFailed(ParleyError):
    """A sign-in was refused; the sentence never says which half (user or password) was wrong."""

    exit_code = 13
    http_status = 401


class ParityViolation(ParleyError):
    exit_code = 6
    http_status = 409


class IntegrityError(ParleyError):
    """Stored history does not verify: a tampered, missing or reordered audit event."""

    exit_code = 7
    http_status = 409


class Infeasible(ParleyError):
    exit_code = 6
    http_status = 409


class LoginRequired(ParleyError):
    """No one is signed in: pages redirect to the login page, the API answers 401, the command
    line says to run ``parley login`` (its own exit code, so a script can tell it apart)."""

    exit_code = 11
    http_status = 401


class LoginExpired(LoginRequired):
    """The command line's saved login (or ``PARLEY_TOKEN``) expired or was revoked: signing in
    again helps, unlike a refusal of the rights the user has."""

    exit_code = 12


class CsrfRefused(ParleyError):
    """A state-changing request without the session's CSRF token."""

    exit_code = 5
    http_status = 403


class WorkspaceNotReady(ParleyError):
    """The database has not been brought to the newest schema by ``parley init``."""

    exit_code = 8
    http_status = 409


class LinkageFailed(ParleyError):
    """The Splink run failed (too little data to train on, an engine that will not start)."""

    exit_code = 9
    http_status = 422


class StoreUnavailable(ParleyError):
    """The database cannot be reached or refused the connection."""

    exit_code = 10
    http_status = 503


class ReauthenticationRequired(AccessDenied):
    """Managing one's own account needs a recent password (or code) check in this session."""


class Interrupted(ParleyError):
    """The user stopped a long run (Ctrl-C); what it had not committed was rolled back."""

    exit_code = 130
    http_status = 409
