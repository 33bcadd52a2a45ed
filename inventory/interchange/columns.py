"""The columns of each kind of sheet: field, English and Chinese headers, and parsing."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

from inventory.domain.choices import DeviceClass, LifecycleStatus, Mode
from inventory.domain.identifiers import canonical_mac
from inventory.domain.labels import bool_label, label, parse_bool, parse_choice, term
from inventory.domain.lifecycles import StaffState

KINDS = ("departments", "assets", "staff")
LIST_SEPARATOR = re.compile(r"[;；,，\s]+")
_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d")


@dataclass(frozen=True)
class Column:
    """One column of a sheet: the English header is the field name, the Chinese
    one the catalogue's word for it (``words`` names it where it is not the field).
    """

    field: str
    kind: str = "text"  # text, int, decimal, date, bool, list, macs, enum
    enum: type[StrEnum] | None = None
    aliases: tuple[str, ...] = ()
    words: str | None = None

    @property
    def en(self) -> str:
        return self.field

    @property
    def zh(self) -> str:
        return term(self.words or self.field, "zh")

    def header(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en

    def parse(self, raw: Any) -> Any:
        """The cell as a Python value; None for an empty cell; ValueError says why not."""
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            return [] if self.kind in ("list", "macs") else None
        if self.kind == "date":
            return _parse_date(raw)
        if self.kind == "int":
            return _parse_int(raw)
        if self.kind == "decimal":
            return _parse_decimal(raw)
        text = unescape_formula(str(raw)) if isinstance(raw, str) else str(raw)
        if self.kind == "bool":
            return raw if isinstance(raw, bool) else parse_bool(text)
        if self.kind == "enum":
            assert self.enum is not None
            return parse_choice(self.enum, text)
        if self.kind == "list":
            return [item for item in LIST_SEPARATOR.split(text.strip()) if item]
        if self.kind == "macs":
            return _parse_macs(text)
        return text.strip()

    def format(self, value: Any, lang: str) -> Any:
        if value is None:
            return ""
        if self.kind == "enum":
            return label(value, lang) if lang == "zh" else str(value)
        if self.kind == "bool":
            return bool_label(bool(value), lang)
        if self.kind in ("list", "macs"):
            return ";".join(value)
        if self.kind in ("date", "int"):
            return value.isoformat() if isinstance(value, date) else value
        if self.kind == "decimal":
            return str(value)
        return escape_formula(str(value))


# OWASP's CSV-injection starters, and their full-width forms (＝ ＋ － ＠), which
# WPS and Excel with a Chinese IME read as the same formula.
FORMULA_STARTERS = frozenset("=+-@\t\r'\uff1d\uff0b\uff0d\uff20")


def escape_formula(text: str) -> str:
    """Neutralise spreadsheet formulas (CSV injection): device strings are hostile.

    A leading quote is doubled too, so that unescape_formula restores every value.
    """
    return "'" + text if text[:1] in FORMULA_STARTERS else text


def unescape_formula(text: str) -> str:
    return text[1:] if text[:1] == "'" else text


# Excel writes a date cell with its time part ("2023/5/1 0:00", "2023-05-01 00:00:00").
_TIME_PART = re.compile(r"^(?P<date>\S+?)(?:[ T]+(?P<time>\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?))$")


def _parse_date(raw: Any) -> date:
    """A date cell; a time part is accepted only at midnight (what Excel adds to a date).

    Any other time is refused: the column holds a day, and guessing which one
    a timestamp near midnight means (UTC or Asia/Shanghai) loses the truth.
    """
    if isinstance(raw, datetime):
        if raw.time() != datetime.min.time():
            raise ValueError(f"{raw.isoformat(sep=' ')} has a time of day; a date is expected")
        return raw.date()
    if isinstance(raw, date):
        return raw
    text = str(raw).strip()
    timed = _TIME_PART.match(text)
    if timed:
        clock = [float(part) for part in timed["time"].split(":")]
        if any(clock):
            raise ValueError(f"{text!r} has a time of day ({timed['time']}); a date is expected")
        text = timed["date"]
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"{str(raw).strip()!r} is not a date (YYYY-MM-DD)")


def _parse_macs(text: str) -> list[str]:
    """MACs in any notation people paste (inventory.domain.identifiers); a typo is an error."""
    items = [item for item in LIST_SEPARATOR.split(text.strip()) if item]
    for item in items:
        if canonical_mac(item) is None:
            raise ValueError(f"{item!r} is not a MAC address (aa:bb:cc:dd:ee:ff)")
    return items


def _parse_int(raw: Any) -> int:
    if isinstance(raw, bool):
        raise ValueError("expected a whole number")
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float) and raw.is_integer():
        return int(raw)
    text = str(raw).strip().replace(",", "")
    if not re.fullmatch(r"-?\d+", text):
        raise ValueError(f"{text!r} is not a whole number")
    return int(text)


def _parse_decimal(raw: Any) -> Decimal:
    text = str(raw).strip().replace(",", "").replace("¥", "").replace("￥", "")
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"{text!r} is not an amount") from None
    if not value.is_finite():
        raise ValueError(f"{text!r} is not an amount")
    return value


DEPARTMENT_COLUMNS = (
    Column("code", aliases=("department_code", "单位编码"), words="department_code"),
    Column("name", aliases=("单位名称", "部门"), words="department_name"),
    Column("name_en"),
    Column("parent_code"),
    Column("is_classified_unit", "bool"),
    Column("is_law_enforcement", "bool"),
)

ASSET_COLUMNS = (
    Column("uid"),
    Column("asset_tag", aliases=("资产卡片编号", "asset_card_no")),
    Column("name", aliases=("hostname", "主机名", "设备名称")),
    Column("department_code", aliases=("部门", "单位", "department")),
    Column("serial_number", aliases=("serial", "sn", "设备序列号")),
    Column("system_uuid", aliases=("uuid",)),
    Column("machine_id", aliases=("machine-id",)),
    Column("macs", "macs", aliases=("mac", "mac_addresses")),
    Column("addresses", "list", aliases=("ip", "ip_addresses", "地址")),
    Column("device_class", "enum", DeviceClass),
    Column("vendor", aliases=("品牌", "manufacturer")),
    Column("model", aliases=("规格型号",)),
    Column("cpu_model"),
    Column("cpu_count", "int", aliases=("cpu", "cpus")),
    Column("memory_mb", "int", aliases=("内存mb", "memory")),
    Column("disk_total_gb", "int", aliases=("磁盘gb", "disk")),
    Column("os_name", aliases=("os",)),
    Column("os_version"),
    Column("is_virtual", "bool"),
    Column("hypervisor"),
    Column("location", aliases=("位置", "放置地点")),
    Column("purpose"),
    Column("purchase_date", "date", aliases=("取得日期",)),
    Column("purchase_value", "decimal", aliases=("价值", "金额")),
    Column("useful_life_years", "int"),
    Column("warranty_until", "date"),
    Column("is_classified", "bool", aliases=("是否涉密",)),
    Column("mode", "enum", Mode, aliases=("集中模式",)),
    Column("lifecycle_status", "enum", LifecycleStatus),
    Column("monitoring_enabled", "bool", aliases=("监控",)),
    Column("notes"),
)

STAFF_COLUMNS = (
    Column("staff_no", aliases=("员工编号",)),
    Column("name", words="staff_name"),
    Column("department_code", aliases=("部门", "单位", "department")),
    Column("title", aliases=("职务",)),
    Column("skills", aliases=("专业",)),
    Column("state", "enum", StaffState, words="staff_state"),
    Column("maintains", "list", aliases=("assets", "维护设备")),
)

COLUMNS = {"departments": DEPARTMENT_COLUMNS, "assets": ASSET_COLUMNS, "staff": STAFF_COLUMNS}


def normalise_header(text: str) -> str:
    return re.sub(r"[\s_\-（）()]", "", str(text)).casefold()


def header_lookup(kind: str) -> dict[str, Column]:
    lookup: dict[str, Column] = {}
    for column in COLUMNS[kind]:
        for name in (column.field, column.en, column.zh, *column.aliases):
            lookup[normalise_header(name)] = column
    return lookup
