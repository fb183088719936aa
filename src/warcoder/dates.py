"""Dates: the report date of a document and the event date of each sentence.

Rules (ACLED's time_precision: 1 day, 2 week, 3 month):
- "On November 1", "Late on November 1", "On 9 May 2020", "Around 9 May 2020" give that day (1).
- "yesterday", "last night", "today", "on Wednesday" resolve against the report date (1).
- "over the last few days", "this week", "(week of)" give the report date or stated day with precision 2.
- "in May", "early May", "(end of month)", "last month" give precision 3.
- A date without a year takes the year that puts it on or before the report date (an event never
  falls after its report).
Explicit expressions are matched with regular expressions: they are the forms news and ACLED
notes use, and an exact matcher is an order of magnitude faster than a general date parser.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

MONTHS: dict[str, int] = {}
for _i in range(1, 13):
    MONTHS[calendar.month_name[_i].lower()] = _i
    MONTHS[calendar.month_abbr[_i].lower()] = _i
MONTHS["sept"] = 9
WEEKDAYS = {calendar.day_name[i].lower(): i for i in range(7)}

# the months' names and abbreviations, as a regular-expression alternation (no group)
MONTH_NAMES = (
    r"January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec"
)
_MON = rf"(?P<mon>{MONTH_NAMES})\.?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_MDY = re.compile(rf"\b{_MON}\s+{_DAY}(?:\s*,\s*|\s+){_YEAR}\b")
_DMY = re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MON}(?:\s*,?\s*{_YEAR})?\b")
_MD = re.compile(rf"\b{_MON}\s+{_DAY}\b(?!\s*(?:,\s*)?(?:19|20)\d\d)(?![\d:])")
_ISO = re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<mon>[01]\d)-(?P<day>[0-3]\d)\b")
_WEEKDAY = re.compile(
    r"\b(?:on|last|this|early|late)?\s*(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b", re.I
)
_RELATIVE = [
    (re.compile(r"\b(?:the day before yesterday)\b", re.I), -2, 1),
    (re.compile(r"\b(?:yesterday|last night|overnight)\b", re.I), -1, 1),
    (re.compile(r"\b(?:today|this morning|this afternoon|this evening|tonight|earlier today)\b", re.I), 0, 1),
    (
        re.compile(
            r"\b(?:over|during|in|within) the (?:last|past) (?:few|several|couple of|two|three|\d+) days\b", re.I
        ),
        0,
        2,
    ),
    (re.compile(r"\b(?:this|last|past) week(?:end)?\b|\bweek of\b|\bduring the week\b", re.I), 0, 2),
    (re.compile(r"\b(?:this|last|past) month\b|\bend of (?:the )?month\b|\bearlier this month\b", re.I), 0, 3),
]
_MONTH_ONLY = re.compile(rf"\b(?:in|during|early|mid|late|since|throughout)[- ](?:{_MON})(?:\s+{_YEAR})?\b", re.I)
_WEEK_HINT = re.compile(r"\(week of\)|\bweek of\b|\bbetween\b[^.]{0,30}\b(?:and|-|–)\b", re.I)
_MONTH_HINT = re.compile(r"\((?:end|beginning|start|middle) of (?:the )?month\)|\(month of\)", re.I)


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    date: date
    precision: int
    kind: str  # "explicit", "relative", "vague"


def _mk(year: int | None, mon: int, day: int, ref: date | None) -> date | None:
    if year is None:
        if ref is None:
            return None
        for y in (ref.year, ref.year - 1):
            try:
                d = date(y, mon, day)
            except ValueError:
                continue
            if d <= ref:
                return d
        return None
    try:
        return date(year, mon, day)
    except ValueError:
        return None


def find_dates(text: str, ref: date | None, start: int = 0, end: int | None = None) -> list[DateMention]:
    """Date expressions in text[start:end], resolved against the report date ``ref``."""
    end = len(text) if end is None else end
    seg = text[start:end]
    out: list[DateMention] = []
    taken: list[tuple[int, int]] = []

    def free(a: int, b: int) -> bool:
        return all(b <= x or a >= y for x, y in taken)

    def add(a: int, b: int, d: date | None, prec: int, kind: str) -> None:
        if d is not None and free(a, b):
            taken.append((a, b))
            out.append(DateMention(start + a, start + b, d, prec, kind))

    for m in _ISO.finditer(seg):
        add(m.start(), m.end(), _mk(int(m["year"]), int(m["mon"]), int(m["day"]), ref), 1, "explicit")
    for rx in (_MDY, _DMY, _MD):
        for m in rx.finditer(seg):
            gd = m.groupdict()
            y = int(gd["year"]) if gd.get("year") else None
            mon = MONTHS[m["mon"].lower().rstrip(".")]
            add(m.start(), m.end(), _mk(y, mon, int(m["day"]), ref), 1, "explicit")
    if ref is not None:
        for rx, delta, prec in _RELATIVE:
            for m in rx.finditer(seg):
                add(m.start(), m.end(), ref + timedelta(days=delta), prec, "relative")
        for m in _WEEKDAY.finditer(seg):
            wd = WEEKDAYS[m["wd"].lower()]
            back = (ref.weekday() - wd) % 7
            add(m.start(), m.end(), ref - timedelta(days=back), 1, "relative")
        for m in _MONTH_ONLY.finditer(seg):
            mon = MONTHS[m["mon"].lower().rstrip(".")]
            y = int(m["year"]) if m["year"] else (ref.year if mon <= ref.month else ref.year - 1)
            last = calendar.monthrange(y, mon)[1]
            d = date(y, mon, 1 if (y, mon) != (ref.year, ref.month) else min(ref.day, last))
            add(m.start(), m.end(), d, 3, "vague")
    # precision hints such as "(week of)" or "(end of month)" next to an explicit date
    if out and _MONTH_HINT.search(seg):
        out = [DateMention(o.start, o.end, o.date, max(o.precision, 3), o.kind) for o in out]
    elif out and _WEEK_HINT.search(seg):
        out = [DateMention(o.start, o.end, o.date, max(o.precision, 2), o.kind) for o in out]
    out.sort(key=lambda d: d.start)
    return out


# A dateline opening a sentence: "ADEN, March 11 (Reuters) - ", "KHARKIV, Ukraine, May 3 (AP) — ",
# "September 21, 2024 (EL FASHER) – ", "BEIRUT: ".  Its date is the report's, never an event's.
_DATELINE = re.compile(
    rf"\s*(?:[A-Z][A-Z.'’ -]{{1,40}}(?:,\s*[A-Z][\w.'’-]*(?:\s[A-Z][\w.'’-]*){{0,2}})?"
    rf"(?:,?\s*(?:{MONTH_NAMES})\.?\s+\d{{1,2}}(?:,?\s*(?:19|20)\d\d)?)?"
    rf"|(?:{MONTH_NAMES})\.?\s+\d{{1,2}},?\s+(?:19|20)\d\d)"
    r"\s*(?:\([^()\n]{1,40}\))?\s*(?:-{1,2}|–|—|:)\s"
)


# "April 1 (Reuters) - ": a date and the agency, without the town
_DATELINE_DATE = re.compile(
    rf"\s*(?:{MONTH_NAMES})\.?\s+\d{{1,2}}(?:,?\s+(?:19|20)\d\d)?\s*\([^()\n]{{1,40}}\)\s*(?:-{{1,2}}|–|—|:)\s"
)
# the day a statement was made ("the army said on Tuesday", "officials told AFP Monday"): not the event's
_SAID_ON = re.compile(
    r"\b(?:said|says|told [\w-]+|announced|reported|added|stated|claimed|confirmed|wrote|posted|tweeted)"
    r"(?: in a statement)?\s*(?:(?:on|late on|early on|late|early)\s+)?$",
    re.I,
)


def dateline_end(text: str, start: int, end: int) -> int:
    """Where the dateline that opens ``text[start:end]`` ends (``start`` when there is none)."""
    m = _DATELINE.match(text, start, end) or _DATELINE_DATE.match(text, start, end)
    return m.end() if m else start


def event_dates(text: str, ref: date | None, start: int, end: int) -> list[DateMention]:
    """The dates a sentence gives its event: after its dateline, without the days statements were made
    ("the ministry said on Monday that an air strike on Sunday killed ...": Sunday)."""
    found = find_dates(text, ref, dateline_end(text, start, end), end)
    return [d for d in found if not (d.kind == "relative" and _SAID_ON.search(text, max(start, d.start - 40), d.start))]


def report_date(title: str | None, text: str, head_chars: int = 400) -> date | None:
    """The report date from a title or dateline: the first full date (with a year) near the top."""
    for chunk in (title or "", text[:head_chars]):
        for rx in (_ISO, _MDY, _DMY):
            for m in rx.finditer(chunk):
                gd = m.groupdict()
                if not gd.get("year"):
                    continue
                mon = int(gd["mon"]) if gd["mon"].isdigit() else MONTHS[gd["mon"].lower().rstrip(".")]
                d = _mk(int(gd["year"]), mon, int(gd["day"]), None)
                if d:
                    return d
    return None


def parse_iso(value: str) -> date:
    """A strict YYYY-MM-DD date; raises ValueError with a readable message."""
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value or ""):
        raise ValueError(f"invalid date {value!r} (want YYYY-MM-DD)")
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise ValueError(f"invalid date {value!r}: {exc}") from None
