"""Rich tables for the terminal, in Chinese and English."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from inventory.domain.choices import DeviceClass, LifecycleStatus, Mode
from inventory.domain.labels import label
from inventory.domain.lifecycles import (
    MIGRATION_MACHINES,
    DisposalState,
    StaffState,
)
from inventory.services.summary import EstateSummary

if TYPE_CHECKING:
    from inventory.lab.demo import DemoReport


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


def print_discovery(console: Console, report: DemoReport) -> None:
    """What the scan found; device strings go in as Text, never as markup."""
    counts = report.scan.counts
    headline = Table.grid(padding=(0, 2))
    headline.add_column(justify="right", style="bold")
    headline.add_column()
    for value, zh, en in (
        (report.devices, "实验网设备", "lab agents"),
        (counts.get("probed", 0), "探测地址", "addresses probed"),
        (counts.get("responding", 0), "应答", "responding"),
        (counts.get("updated", 0) + counts.get("unchanged", 0), "与台账匹配", "matched the ledger"),
        (counts.get("created", 0), "新发现", "new this scan"),
        (counts.get("conflicts", 0), "待核查", "to review"),
        (len(report.excluded), "排除网段 (涉密)", "networks excluded (P1)"),
    ):
        headline.add_row(str(value), _both(zh, en))
    departments = Table(title="按部门 by department", show_edge=False)
    departments.add_column("部门 department")
    departments.add_column("已发现 seen", justify="right")
    departments.add_column("台账 on ledger", justify="right")
    departments.add_column("")
    for name, seen, total in report.by_department:
        departments.add_row(Text(name), str(seen), str(total), _bar(seen, total, 12))
    found = Table(title="有物无账 found, not on the books", show_edge=False)
    for header in ("地址 address", "厂商 vendor", "型号 model", "类别 class", "序列号 serial"):
        found.add_column(header)
    for item in report.unregistered:
        found.add_row(
            *(
                Text(str(item.get(k) or ""))
                for k in ("address", "vendor", "model", "device_class", "serial")
            )
        )
    missing = Table(title="值错误 values not read, and why", show_edge=False)
    for header in ("目标 target", "原因 reason"):
        missing.add_column(header)
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
