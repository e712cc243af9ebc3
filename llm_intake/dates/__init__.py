"""Dates and date ranges in free text, relative to an explicit reference date.

Conventions (documented in docs/intake.md):

* a bare weekday ("Tuesday", "on Tue", "this Tuesday") is the first such day on or after today;
* "next Tuesday" and "Tuesday next week" are the Tuesday of the following Monday-based week,
  and so is every weekday listed with them ("next Thu and Fri", "Mon to Wed next week");
* "next week" is Monday–Sunday of the following week, "this week" today–Sunday;
* "the 14th" is the first 14th on or after today; a day and month without a year is the
  first occurrence on or after today − 31 days;
* numeric dates are day/month unless the numbers only fit month/day; "03/04" is ambiguous
  and reported, never guessed; a weekday that contradicts its date is reported too;
* phrases read reliably only one way are resolved ("w/c 14 Dec", "Friday week", "the day
  after Boxing Day"); ambiguous or past ones ("the weekend after next", "since Monday")
  are reported, never guessed.

``find_dates`` scans a sentence with fixed patterns; ``dateparser`` is only ever
used by ``parse_date_phrase`` on an isolated phrase, as a last resort.

Modules: ``names`` (weekday, month, holiday and number words), ``patterns`` (the date
phrases), ``calendar`` (``DateHit`` and date arithmetic), ``resolve`` (one pattern → a
hit), ``scan`` (every pattern over a sentence), ``context`` (words in front of a date),
``next_week`` (weekdays listed with "next week"), ``ranges`` (hits joined into ranges)
and ``find`` (the entry points).
"""

from llm_intake.dates.calendar import DateHit
from llm_intake.dates.find import find_dates, parse_date_phrase
from llm_intake.dates.names import MONTHS, WEEKDAYS, number

__all__ = ["MONTHS", "WEEKDAYS", "DateHit", "find_dates", "number", "parse_date_phrase"]
