"""Answers to families (pure): which changes matter to a family, and the letter drafted for
each, in Ukrainian and English. Parley never sends anything: a person sends the letter and
records how and when."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum


class AnswerEvent(StrEnum):
    CONFIRMED_HELD = "confirmed_held"
    ON_LIST = "on_list"
    SCHEDULED = "scheduled"
    TRANSFERRED = "transferred"
    REPORTED_DEAD = "reported_dead"
    REMAINS_IDENTIFIED = "remains_identified"


HELD_STATUSES = frozenset({"held", "captured", "convicted"})
SENT_HOW = ("post", "email", "phone", "in_person", "icrc")


def events_for(*, status: str, on_list: bool, scheduled: bool) -> list[AnswerEvent]:
    """The events a person's current facts amount to, in the order a family would live them."""
    out: list[AnswerEvent] = []
    if status in HELD_STATUSES:
        out.append(AnswerEvent.CONFIRMED_HELD)
    if on_list:
        out.append(AnswerEvent.ON_LIST)
    if scheduled:
        out.append(AnswerEvent.SCHEDULED)
    if status == "released":
        out.append(AnswerEvent.TRANSFERRED)
    if status == "deceased":
        out.append(AnswerEvent.REPORTED_DEAD)
    return out


@dataclass(frozen=True, slots=True)
class LetterText:
    title: str
    body: str


_UK: dict[AnswerEvent, str] = {
    AnswerEvent.CONFIRMED_HELD: "Повідомляємо, що {sought} за підтвердженими даними перебуває "
    "у полоні. Ми продовжуємо роботу щодо його (її) повернення і повідомимо вас про зміни.",
    AnswerEvent.ON_LIST: "Повідомляємо, що {sought} внесено до списку осіб для обміну. "
    "Включення до списку ще не означає дати обміну; ми повідомимо вас про наступні кроки.",
    AnswerEvent.SCHEDULED: "Повідомляємо, що {sought} включено до запланованого етапу обміну. "
    "Дату й місце буде підтверджено окремо.",
    AnswerEvent.TRANSFERRED: "Повідомляємо, що {sought} повернувся (повернулася) на "
    "батьківщину в ході обміну. З вами зв'яжуться щодо зустрічі.",
    AnswerEvent.REPORTED_DEAD: "З глибоким сумом повідомляємо, що за наявними відомостями "
    "{sought} загинув (загинула). Ці відомості ще перевіряються; ми повідомимо вас про "
    "результати.",
    AnswerEvent.REMAINS_IDENTIFIED: "З глибоким сумом повідомляємо, що рештки {sought} "
    "ідентифіковано за результатами ДНК-експертизи. З вами зв'яжуться щодо передачі тіла "
    "родині.",
}
_EN: dict[AnswerEvent, str] = {
    AnswerEvent.CONFIRMED_HELD: "We inform you that {sought} is confirmed to be held "
    "captive. We continue to work for their return and will tell you of any change.",
    AnswerEvent.ON_LIST: "We inform you that {sought} has been put on a list of persons to be "
    "exchanged. This is not yet a date; we will tell you of the next steps.",
    AnswerEvent.SCHEDULED: "We inform you that {sought} is scheduled in a planned stage of the "
    "exchange. Date and place will be confirmed separately.",
    AnswerEvent.TRANSFERRED: "We inform you that {sought} has returned home in the exchange. "
    "You will be contacted about meeting them.",
    AnswerEvent.REPORTED_DEAD: "With deep regret we inform you that, according to the "
    "information received, {sought} has died. This is still being verified; we will tell you "
    "of the outcome.",
    AnswerEvent.REMAINS_IDENTIFIED: "With deep regret we inform you that the remains of "
    "{sought} have been identified by DNA analysis. You will be contacted about the return of "
    "the body to the family.",
}
_TITLES = {"uk": "Відповідь на ваше звернення № {key}",
           "en": "Answer to your inquiry no. {key}"}
_GREETING = {"uk": "Шановний (шановна) {inquirer}!", "en": "Dear {inquirer},"}
_CLOSING = {"uk": "З повагою,\nУповноважений з питань зв'язку з родинами",
            "en": "Yours sincerely,\nFamily liaison"}


def letter(event: str, *, language: str, fields: Mapping[str, str]) -> LetterText:
    """The drafted letter for ``event`` in ``uk`` or ``en``; ``fields``: ``sought``,
    ``inquirer``, ``key``."""
    texts = _UK if language == "uk" else _EN
    body = "\n\n".join([_GREETING[language].format(**fields),
                        texts[AnswerEvent(event)].format(**fields), _CLOSING[language]])
    return LetterText(title=_TITLES[language].format(**fields), body=body)
