"""Rich tables for the terminal, in Chinese and English."""

from __future__ import annotations

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table

from inventory.domain.choices import DeviceClass, LifecycleStatus, Mode
from inventory.domain.labels import label
from inventory.domain.lifecycles import (
    MIGRATION_MACHINES,
    DisposalState,
    StaffState,
)
from inventory.services.summary import EstateSummary


def _both(zh: str, en: str) -> str:
    return f"{zh} [dim]{en}[/]"


def _bar(count: int, total: int, width: int = 24) -> str:
    filled = round(width * count / total) if total else 0
    return "█" * filled + "·" * (width - filled)


def summary_panel(summary: EstateSummary) -> Group:
    headline = Table.grid(padding=(0, 2))
    headline.add_column(justify="right", style="bold")
    headline.add_column()
    for value, zh, en in (
        (summary.total_assets, "资产总数", "assets"),
        (summary.in_scope, "纳入集中", "in scope"),
        (summary.exempt, "涉密豁免", "exempt (classified)"),
        (summary.departments, "部门", "departments"),
        (
            f"{summary.department_rooms_emptied}/{summary.department_rooms}",
            "已腾空小机房",
            "department rooms emptied",
        ),
        (summary.open_reviews, "待核查", "open reviews"),
        (summary.stale, f"超过{summary.stale_after_days}天未发现", "not seen lately"),
        (summary.zombies, "僵尸资产", "zombies"),
        (
            summary.managed_ledger_incomplete,
            "台账不完整(管理集中)",
            "managed, ledger incomplete (P4)",
        ),
    ):
        headline.add_row(str(value), _both(zh, en))

    modes = Table(title=_both("集中方式", "mode"), expand=True)
    modes.add_column("")
    modes.add_column("#", justify="right")
    modes.add_column("")
    for mode in Mode:
        count = summary.by_mode.get(mode, 0)
        modes.add_row(
            _both(label(mode, "zh"), label(mode, "en")),
            str(count),
            f"[cyan]{_bar(count, summary.total_assets)}[/]",
        )

    progress = Table(title=_both("迁移进度", "migration progress"), expand=True)
    progress.add_column("")
    progress.add_column(_both("状态", "state"))
    progress.add_column("#", justify="right")
    for mode, machine in MIGRATION_MACHINES.items():
        states = summary.migration_progress.get(mode, {})
        for state in machine.states:
            if states.get(state):
                progress.add_row(
                    label(mode, "zh"),
                    _both(label(state, "zh"), label(state, "en")),
                    str(states[state]),
                )

    departments = Table(title=_both("各部门", "by department"), expand=True)
    departments.add_column(_both("部门", "department"))
    for mode in Mode:
        departments.add_column(label(mode, "zh"), justify="right")
    for name, counts in sorted(summary.by_department.items()):
        departments.add_row(name, *(str(counts.get(mode, 0) or "") for mode in Mode))

    other = Table(
        title=_both("状态 / 类型 / 人员 / 处置", "status, class, staff, disposal"), expand=True
    )
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
                other.add_row(_both(label(member, "zh"), label(member, "en")), str(counts[member]))

    return Group(
        Panel(headline, title="四集中 资产台账 · estate summary"),
        modes,
        progress,
        departments,
        other,
    )


def print_summary(console: Console, summary: EstateSummary) -> None:
    console.print(summary_panel(summary))
