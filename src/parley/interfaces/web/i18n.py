"""The interface's languages: Ukrainian first, English.

Templates mark text with ``{% trans %}`` or ``_()``; Python code that produces a message a person
reads (navigation labels, flashes, error pages, enum values) marks it with :func:`N_` where it is
declared and translates it with :func:`gettext` where it is shown. Catalogs are gettext ``.po``
files under ``locale/<lang>/LC_MESSAGES/messages.po``, read with Babel once per process (no
compile step to forget). English is the source language, so it needs no catalog.

The language of a request is the user's choice (the ``parley_lang`` cookie set by
``/language``), then the browser's ``Accept-Language``, then Ukrainian. A middleware puts it in a
context variable, so templates, flashes and error pages all speak the same language without
passing it around.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from contextvars import ContextVar
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any

from babel import Locale
from babel.dates import format_date, format_datetime
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.support import NullTranslations, Translations
from jinja2 import Undefined, pass_context
from jinja2.runtime import Context
from markupsafe import Markup

from parley.i18n_marker import N_ as N_  # the one marker, shared with the domain core

LANGUAGES: tuple[str, ...] = ("uk", "en")
DEFAULT_LANGUAGE = "uk"
LANGUAGE_NAMES = {"uk": "Українська", "en": "English"}
COOKIE = "parley_lang"
LOCALE_DIR = Path(__file__).parent / "locale"

current_language: ContextVar[str] = ContextVar("parley_language", default=DEFAULT_LANGUAGE)


@cache
def translations(language: str) -> NullTranslations:
    """The catalog of ``language`` (English and unknown languages: the source text)."""
    path = LOCALE_DIR / language / "LC_MESSAGES" / "messages.po"
    if language == "en" or not path.is_file():
        return NullTranslations()
    with path.open("rb") as po:
        catalog = read_po(po, locale=language)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return Translations(buffer)


def gettext(message: str) -> str:
    return translations(current_language.get()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return translations(current_language.get()).ngettext(singular, plural, n)


def negotiate(cookie: str | None, accept_language: str | None) -> str:
    """The user's choice, then the browser's preference, then Ukrainian."""
    if cookie in LANGUAGES:
        return str(cookie)
    preferred: list[tuple[float, str]] = []
    for index, part in enumerate((accept_language or "").split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        if tag:
            preferred.append((quality - index * 1e-6, tag.strip().replace("_", "-")))
    for _, tag in sorted(preferred, reverse=True):
        base = tag.split("-")[0].lower()
        if base in LANGUAGES:
            return base
    return DEFAULT_LANGUAGE


def _newstyle(func: Callable[..., str]) -> Callable[..., str]:
    """Jinja's new-style gettext: autoescape-aware, ``%(name)s`` placeholders filled after."""

    @pass_context
    def call(context: Context, message: str, *args: Any, **variables: Any) -> str:
        text = func(message, *args)
        if context.eval_ctx.autoescape:
            text = Markup(text)
        return text % variables if variables else text

    return call


def install(env: Any) -> None:
    """Give a Jinja environment the ``{% trans %}`` tag and the formatting filters."""
    env.add_extension("jinja2.ext.i18n")
    env.install_gettext_callables(_newstyle(gettext), _newstyle(ngettext), newstyle=True)
    env.globals["current_language"] = current_language.get
    env.globals["LANGUAGE_NAMES"] = LANGUAGE_NAMES
    env.filters["number"] = format_number
    env.filters["day"] = format_day
    env.filters["moment"] = format_moment
    env.filters["label"] = label


def format_number(value: int | float | None) -> str:
    if value is None:
        return ""
    return format_decimal(value, locale=Locale.parse(current_language.get()))


def format_day(value: object) -> str:
    if not value:  # None, "", or a field the row does not carry (Jinja's Undefined)
        return ""
    if isinstance(value, str):
        try:
            day = date.fromisoformat(value[:10])
        except ValueError:
            return value  # a partial date ("1990-05") is shown as written
    elif isinstance(value, date):
        day = value
    else:
        return str(value)
    return format_date(day, format="medium", locale=Locale.parse(current_language.get()))


def format_moment(value: datetime | str | None) -> str:
    """A stored UTC time in the reader's language, always said to be UTC (services hand some
    over as ISO text, e.g. a list version's)."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        try:
            return format_moment(datetime.fromisoformat(value))
        except ValueError:
            return value
    text = format_datetime(value, format="medium", tzinfo=None,
                           locale=Locale.parse(current_language.get()))
    return f"{text} UTC"


LABELS: dict[str, str] = {}
"""Enum values as shown (roles, statuses, outcomes…): value → English label, translated when
shown. Features declare theirs with :func:`declare_labels`."""


def declare_labels(labels: dict[str, str]) -> None:
    LABELS.update(labels)


def label(value: object) -> str:
    """An enum value in the reader's language; an unknown value is shown as it is."""
    if isinstance(value, Undefined):  # a field the reader may not see: shown as nothing
        return ""
    raw = getattr(value, "value", value)
    text = "" if raw is None else str(raw)
    return gettext(LABELS[text]) if text in LABELS else text.replace("_", " ")


declare_labels({
    # roles
    "admin": N_("administrator"), "coordinator": N_("coordinator"), "analyst": N_("analyst"),
    "logistics": N_("logistics officer"), "mediator": N_("mediator"), "auditor": N_("auditor"),
    "operator": N_("operator"), "family_liaison": N_("family liaison"),
    # actions (named in refusals)
    "ingest": N_("import records"), "search_registry": N_("search the registry"),
    "read_record": N_("read records"), "resolve": N_("resolve identities"),
    "review_match": N_("review matches"), "resolve_conflict": N_("settle conflicts"),
    "manage_lists": N_("manage lists"), "approve_list": N_("approve lists"),
    "release_list": N_("release lists"), "read_lists": N_("read lists"), "plan": N_("plan"),
    "handover": N_("check people in at handover"), "read_audit": N_("read the audit log"),
    "sign_checkpoint": N_("sign checkpoints"), "manage_users": N_("manage users"),
    # record statuses
    "missing": N_("missing"), "captured": N_("captured"), "held": N_("held"),
    "convicted": N_("convicted"), "released": N_("released"), "deceased": N_("deceased"),
    "unknown": N_("unknown"),
    # list entry statuses
    "proposed": N_("proposed"), "confirmed": N_("confirmed"), "rejected": N_("rejected"),
    "disputed": N_("disputed"), "approved": N_("approved"), "scheduled": N_("scheduled"),
    "transferred": N_("transferred"), "withdrawn": N_("withdrawn"), "held_back": N_("held back"),
    # reviewers' decisions and conflict states
    "match": N_("same person"), "non_match": N_("different persons"), "unsure": N_("unsure"),
    "open": N_("open"), "resolved": N_("resolved"), "lapsed": N_("lapsed"),
    # fields (evidence properties, conflict kinds) and strong identifiers
    "family_name": N_("family name"), "given_name": N_("given name"),
    "patronymic": N_("patronymic"), "birth_date": N_("birth date"),
    "birth_place": N_("birth place"), "sex": N_("sex"), "citizenship": N_("citizenship"),
    "military_unit": N_("military unit"), "service_number": N_("service number"),
    "rank": N_("rank"), "document_number": N_("document number"), "status": N_("status"),
    "capture_date": N_("capture date"), "capture_place": N_("capture place"),
    "notes": N_("notes"), "address": N_("address"), "row": N_("row"),
    "list_duplicate": N_("twice on one list"), "judgements": N_("contradicting decisions"),
    "service number": N_("service number"), "document number": N_("document number"),
    "full name and birth date": N_("full name and birth date"),
    # classification and clearance
    "public": N_("public"), "restricted": N_("restricted"), "confidential": N_("confidential"),
    "secret": N_("secret"), "top_secret": N_("top secret"),
    # the exchange day: outcomes, incidents, places, categories
    "declined": N_("declined"), "unfit": N_("unfit"), "absent": N_("absent"),
    "mismatch": N_("not the listed person"), "pending": N_("not yet checked in"),
    "delay": N_("delay"), "route_change": N_("route change"),
    "security_threat": N_("security threat"), "medical_emergency": N_("medical emergency"),
    "low": N_("low"), "medium": N_("medium"), "high": N_("high"), "critical": N_("critical"),
    "seat": N_("seat"), "stretcher": N_("stretcher"), "military": N_("military"),
    "civilian": N_("civilian"),
    # kinds of item (named in refusals)
    "source_record": N_("source record"), "quarantined_row": N_("quarantined row"),
    "import_batch": N_("import batch"), "evidence": N_("evidence"), "person": N_("person"),
    "list": N_("list"), "list_entry": N_("list entry"), "stage_protocol": N_("stage protocol"),
    "audit_event": N_("audit event"), "inquiry": N_("inquiry"),
    # sexes and sides
    "M": N_("male"), "F": N_("female"), "receive": N_("to receive"), "give": N_("to hand over"),
})
