"""Times as people read them: in the configured local time zone, to the second.

The database keeps UTC; pages, the CLI and reports show local time
(Asia/Shanghai by default, settings.time_zone), never UTC unmarked.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_ZONE = "Asia/Shanghai"
FORMAT = "%Y-%m-%d %H:%M:%S"


@cache
def zone(name: str) -> ZoneInfo:
    """The IANA zone `name`; ValueError names it if it is unknown."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            f"unknown time zone {name!r} (an IANA name such as Asia/Shanghai)"
        ) from None


def local_text(
    moment: datetime | str | None, zone_name: str = DEFAULT_ZONE, empty: str = "—"
) -> str:
    """`moment` as 'YYYY-MM-DD HH:MM:SS' in `zone_name`; a naive time is taken as UTC.

    An ISO 8601 string (as JSON-shaped values carry times) is read first.
    """
    if moment is None or moment == "":
        return empty
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(zone(zone_name)).strftime(FORMAT)


def local_day_start(day: str, zone_name: str = DEFAULT_ZONE) -> datetime:
    """Local midnight of a 'YYYY-MM-DD' day, as UTC; ValueError if it is not a date."""
    parsed = datetime.strptime(day.strip(), "%Y-%m-%d")
    return parsed.replace(tzinfo=zone(zone_name)).astimezone(UTC)
