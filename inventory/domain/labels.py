"""Bilingual names of every choice (DESIGN section 9), for pages, reports and imports."""

from __future__ import annotations

from enum import StrEnum

from inventory.domain.choices import (
    DeviceClass,
    DisposalRoute,
    LifecycleStatus,
    MachineRoomKind,
    Mode,
    Role,
)
from inventory.domain.lifecycles import (
    CloudMigrationState,
    DisposalState,
    HostedMigrationState,
    ManagedState,
    StaffState,
)

LANGUAGES = ("zh", "en")

# StrEnum members hash as their values, so Mode.HOSTED and HostedMigrationState.HOSTED
# would be one key; labels are keyed by (enum class, value) instead.
_LABEL_LIST: list[tuple[StrEnum, tuple[str, str]]] = [
    (Mode.UNDECIDED, ("待定", "undecided")),
    (Mode.CLOUD, ("上云集中", "cloud migration")),
    (Mode.HOSTED, ("托管集中", "hosted")),
    (Mode.MANAGED, ("管理集中", "managed")),
    (Mode.EXEMPT, ("涉密豁免", "exempt (classified)")),
    (LifecycleStatus.ACTIVE, ("在用", "active")),
    (LifecycleStatus.IDLE, ("闲置", "idle")),
    (LifecycleStatus.OFFLINE, ("离线", "offline")),
    (LifecycleStatus.RETIRED, ("已退役", "retired")),
    (LifecycleStatus.DISPOSED, ("已处置", "disposed")),
    (DeviceClass.SERVER, ("服务器", "server")),
    (DeviceClass.VIRTUAL_MACHINE, ("虚拟机", "virtual machine")),
    (DeviceClass.HYPERVISOR, ("虚拟化主机", "hypervisor")),
    (DeviceClass.BMC, ("带外管理", "management controller")),
    (DeviceClass.STORAGE, ("存储", "storage")),
    (DeviceClass.UPS, ("UPS", "UPS")),
    (DeviceClass.SWITCH, ("交换机", "switch")),
    (DeviceClass.ROUTER, ("路由器", "router")),
    (DeviceClass.FIREWALL, ("防火墙", "firewall")),
    (DeviceClass.APPLIANCE, ("专用设备", "appliance")),
    (DeviceClass.OTHER, ("其他", "other")),
    (DeviceClass.UNKNOWN, ("未知", "unknown")),
    (MachineRoomKind.DEPARTMENT_ROOM, ("部门小机房", "department machine room")),
    (MachineRoomKind.GOVERNMENT_CLOUD, ("政务云", "government cloud")),
    (MachineRoomKind.COLOCATION, ("托管机房", "colocation machine room")),
    (MachineRoomKind.STANDARD_BIGDATA, ("大数据标准机房", "standard big-data machine room")),
    (DisposalRoute.WAREHOUSE, ("财政公务仓", "public warehouse")),
    (DisposalRoute.WRITE_OFF, ("报废", "write-off")),
    (DisposalRoute.REDEPLOY, ("利旧", "redeploy")),
    (StaffState.REGISTERED, ("已登记", "registered")),
    (StaffState.NOMINATED, ("已提名", "nominated")),
    (StaffState.TRANSFERRED, ("已划转", "transferred")),
    (StaffState.WORKING_CENTRALLY, ("集中办公", "working centrally")),
    (StaffState.EXCLUDED, ("不纳入", "excluded")),
    (CloudMigrationState.IDENTIFIED, ("已识别", "identified")),
    (CloudMigrationState.ASSESSED, ("已评估", "assessed")),
    (CloudMigrationState.PLANNED, ("已排期", "planned")),
    (CloudMigrationState.MIGRATING, ("迁移中", "migrating")),
    (CloudMigrationState.CUT_OVER, ("已割接", "cut over")),
    (CloudMigrationState.VERIFIED, ("已验证", "verified")),
    (CloudMigrationState.SOURCE_RELEASED, ("源端已释放", "source released")),
    (CloudMigrationState.ON_HOLD, ("暂缓", "on hold")),
    (HostedMigrationState.RELOCATING, ("搬迁中", "relocating")),
    (HostedMigrationState.HOSTED, ("已托管", "hosted")),
    (ManagedState.REGISTERED, ("已登记", "registered")),
    (ManagedState.MONITORED, ("已监控", "monitored")),
    (DisposalState.PROPOSED, ("待审批", "proposed")),
    (DisposalState.APPROVED, ("已批准", "approved")),
    (DisposalState.REJECTED, ("已驳回", "rejected")),
    (DisposalState.SANITISED, ("数据已清除", "sanitised")),
    (DisposalState.WAREHOUSED, ("已入公务仓", "handed to warehouse")),
    (DisposalState.WRITTEN_OFF, ("已报废", "written off")),
    (DisposalState.REDEPLOYED, ("已利旧", "redeployed")),
    (DisposalState.RECONCILED, ("已账实核对", "reconciled")),
    (Role.ADMIN, ("系统管理员", "administrator")),
    (Role.OPS, ("运维工程师", "ops engineer")),
    (Role.BUREAU, ("数据局", "bureau")),
    (Role.DEPARTMENT, ("部门用户", "department user")),
    (Role.FINANCE, ("财政局", "finance")),
    (Role.AUDITOR, ("审计员", "auditor")),
]
_LABELS = {(type(member), member.value): names for member, names in _LABEL_LIST}
# Hosted and managed migrations share state names with cloud migration.
for _machine_states in (HostedMigrationState, ManagedState):
    for _state in _machine_states:
        if (CloudMigrationState, _state.value) in _LABELS:
            _LABELS.setdefault(
                (_machine_states, _state.value), _LABELS[(CloudMigrationState, _state.value)]
            )

TRUE_WORDS = frozenset({"true", "yes", "y", "1", "是", "有", "对", "√", "t"})
FALSE_WORDS = frozenset({"false", "no", "n", "0", "否", "无", "", "×", "f"})


def label(value: StrEnum, lang: str = "zh") -> str:
    """The display name of a choice; a choice with no label shows its value."""
    zh, en = _LABELS.get((type(value), value.value), (value.value, value.value.replace("_", " ")))
    return zh if lang == "zh" else en


def bool_label(value: bool, lang: str = "zh") -> str:
    if lang == "zh":
        return "是" if value else "否"
    return "yes" if value else "no"


def parse_choice(enum_cls: type[StrEnum], text: str) -> StrEnum:
    """A choice from its value or either label; ValueError lists what is accepted."""
    cleaned = text.strip()
    for member in enum_cls:
        if cleaned.casefold() in (member.value, label(member, "en").casefold()) or cleaned == label(
            member, "zh"
        ):
            return member
    accepted = ", ".join(f"{m.value} ({label(m, 'zh')})" for m in enum_cls)
    raise ValueError(f"{cleaned!r} is not one of: {accepted}")


def parse_bool(text: str) -> bool:
    cleaned = text.strip().casefold()
    if cleaned in TRUE_WORDS:
        return True
    if cleaned in FALSE_WORDS:
        return False
    raise ValueError(f"{text!r} is not yes/no (是/否)")
