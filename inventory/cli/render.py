"""Rich tables for the terminal, in Chinese and English."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from inventory.domain.choices import DeviceClass, LifecycleStatus, Mode
from inventory.domain.labels import both, label, term
from inventory.domain.lifecycles import (
    MIGRATION_MACHINES,
    DisposalState,
    StaffState,
)
from inventory.services.summary import EstateSummary

if TYPE_CHECKING:
    from inventory.lab.demo import DemoReport


def _both(key: str, **values: object) -> str:
    """A catalogue word for the terminal: Chinese, then English dimmed."""
    return f"{term(key, 'zh', **values)} [dim]{term(key, 'en', **values)}[/]"


def _both_label(choice: StrEnum) -> str:
    return f"{label(choice, 'zh')} [dim]{label(choice, 'en')}[/]"


def _bar(count: int, total: int, width: int = 24) -> str:
    filled = round(width * count / total) if total else 0
    return "█" * filled + "·" * (width - filled)


def summary_panel(summary: EstateSummary) -> Group:
    headline = Table.grid(padding=(0, 2))
    headline.add_column(justify="right", style="bold")
    headline.add_column()
    for value, words in (
        (summary.total_assets, _both("total_assets")),
        (summary.in_scope, _both("in_scope")),
        (summary.exempt, _both("exempt")),
        (summary.departments, _both("departments")),
        (
            f"{summary.department_rooms_emptied}/{summary.department_rooms}",
            _both("rooms_emptied"),
        ),
        (summary.open_reviews, _both("open_reviews")),
        (summary.stale, _both("stale_days", days=summary.stale_after_days)),
        (summary.zombies, _both("zombies")),
        (summary.managed_ledger_incomplete, _both("managed_ledger_incomplete")),
    ):
        headline.add_row(str(value), words)

    modes = Table(title=_both("mode"), expand=True)
    modes.add_column("")
    modes.add_column("#", justify="right")
    modes.add_column("")
    for mode in Mode:
        count = summary.by_mode.get(mode, 0)
        modes.add_row(
            _both_label(mode),
            str(count),
            f"[cyan]{_bar(count, summary.total_assets)}[/]",
        )

    progress = Table(title=_both("migration_progress"), expand=True)
    progress.add_column("")
    progress.add_column(_both("state"))
    progress.add_column("#", justify="right")
    for mode, machine in MIGRATION_MACHINES.items():
        states = summary.migration_progress.get(mode, {})
        for state in machine.states:
            if states.get(state):
                progress.add_row(
                    label(mode, "zh"),
                    _both_label(state),
                    str(states[state]),
                )

    departments = Table(title=_both("by_department"), expand=True)
    departments.add_column(_both("department"))
    for mode in Mode:
        departments.add_column(label(mode, "zh"), justify="right")
    for name, counts in sorted(summary.by_department.items()):
        departments.add_row(name, *(str(counts.get(mode, 0) or "") for mode in Mode))

    other = Table(title=_both("status_class_staff_disposal"), expand=True)
    other.add_column("")
    other.add_column("#", justify="right")
    for enum_cls, counts in (
        (LifecycleStatus, summary.by_status),
        (DeviceClass, summary.by_device_class),
        (StaffState, summary.staff_by_state),
        (DisposalState, summary.disposals_by_state),
    ):
        for member in enum_cls:
            if counts.get(member):
                other.add_row(_both_label(member), str(counts[member]))

    return Group(
        Panel(headline, title=_both("estate_summary")),
        modes,
        progress,
        departments,
        other,
    )


def print_summary(console: Console, summary: EstateSummary) -> None:
    console.print(summary_panel(summary))


def print_discovery(console: Console, report: DemoReport) -> None:
    """What the scan found; device strings go in as Text, never as markup."""
    counts = report.scan.counts
    headline = Table.grid(padding=(0, 2))
    headline.add_column(justify="right", style="bold")
    headline.add_column()
    for value, key in (
        (report.devices, "lab_agents"),
        (counts.get("probed", 0), "addresses_probed"),
        (counts.get("responding", 0), "responding"),
        (counts.get("updated", 0) + counts.get("unchanged", 0), "matched_ledger"),
        (counts.get("created", 0), "new_this_scan"),
        (counts.get("conflicts", 0), "to_review"),
        (len(report.excluded), "networks_excluded"),
    ):
        headline.add_row(str(value), _both(key))
    departments = Table(title=both("by_department"), show_edge=False)
    departments.add_column(both("department"))
    departments.add_column(both("seen"), justify="right")
    departments.add_column(both("on_ledger"), justify="right")
    departments.add_column("")
    for name, seen, total in report.by_department:
        departments.add_row(Text(name), str(seen), str(total), _bar(seen, total, 12))
    found = Table(title=both("unregistered"), show_edge=False)
    for key in ("address", "vendor", "model", "device_class", "serial_number"):
        found.add_column(both(key))
    for item in report.unregistered:
        found.add_row(
            *(
                Text(str(item.get(k) or ""))
                for k in ("address", "vendor", "model", "device_class", "serial")
            )
        )
    missing = Table(title=both("value_errors"), show_edge=False)
    for key in ("target", "reason"):
        missing.add_column(both(key))
    for target, errors in report.scan.value_errors.items():
        for error in errors:
            missing.add_row(Text(target), Text(error))
    parts = (headline, departments, found, *((missing,) if report.scan.value_errors else ()))
    console.print(
        Panel(
            Group(*parts),
            title=f"发现扫描 discovery scan {report.scan.scan_uid[:8]} · {report.scan.status}",
        )
    )
