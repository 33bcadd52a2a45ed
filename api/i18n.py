"""The pages' words in Chinese and English (terms as in DESIGN section 9)."""

from __future__ import annotations

from fastapi import Request

LANG_COOKIE = "lang"

TEXT: dict[str, tuple[str, str]] = {
    "app": ("四集中资产台账", "Consolidation inventory"),
    "overview": ("总览", "Overview"),
    "assets": ("资产", "Assets"),
    "asset": ("资产", "Asset"),
    "scans": ("发现扫描", "Discovery scans"),
    "scan": ("扫描", "Scan"),
    "reviews": ("待核查", "Review queue"),
    "login": ("登录", "Log in"),
    "logout": ("退出", "Log out"),
    "username": ("用户名", "Username"),
    "password": ("密码", "Password"),
    "login_failed": (
        "用户名或密码错误,或账号已锁定",
        "Wrong username or password, or the account is locked",
    ),
    "total_assets": ("资产总数", "Assets in all"),
    "in_scope": ("纳入集中", "In scope"),
    "exempt": ("涉密豁免", "Exempt (classified)"),
    "stale": ("长期未见", "Not seen lately"),
    "zombies": ("僵尸资产", "Zombies"),
    "open_reviews": ("待核查", "Open reviews"),
    "rooms_emptied": ("已腾空小机房", "Department rooms emptied"),
    "by_department": ("按部门", "By department"),
    "by_mode": ("按集中方式", "By mode"),
    "by_class": ("按设备类型", "By device class"),
    "by_status": ("按状态", "By status"),
    "department": ("部门", "Department"),
    "mode": ("集中方式", "Mode"),
    "status": ("状态", "Status"),
    "device_class": ("设备类型", "Device class"),
    "vendor": ("厂商", "Vendor"),
    "model": ("型号", "Model"),
    "description": ("设备自述", "Self-description"),
    "name": ("名称", "Name"),
    "address": ("地址", "Address"),
    "addresses": ("地址", "Addresses"),
    "macs": ("MAC 地址", "MAC addresses"),
    "os": ("操作系统", "Operating system"),
    "last_seen": ("最近发现", "Last seen"),
    "first_seen": ("首次发现", "First seen"),
    "search": ("搜索", "Search"),
    "filter": ("筛选", "Filter"),
    "all": ("全部", "All"),
    "any": ("不限", "Any"),
    "sort": ("排序", "Sort"),
    "page": ("页", "Page"),
    "previous": ("上一页", "Previous"),
    "next": ("下一页", "Next"),
    "results": ("条结果", "results"),
    "export": ("导出", "Export"),
    "evidence": ("身份证据", "Identity evidence"),
    "hardware": ("硬件与系统", "Hardware and OS"),
    "ledger": ("台账信息", "Ledger"),
    "history": ("变更记录", "History"),
    "components": ("部件", "Components"),
    "serial_number": ("序列号", "Serial number"),
    "system_uuid": ("系统 UUID", "System UUID"),
    "machine_id": ("machine-id", "machine-id"),
    "snmp_engine_id": ("SNMP 引擎 ID", "SNMP engine ID"),
    "ssh_host_key": ("SSH 主机密钥", "SSH host key"),
    "location": ("位置", "Location"),
    "purpose": ("用途", "Purpose"),
    "notes": ("备注", "Notes"),
    "asset_tag": ("资产编号", "Asset tag"),
    "cpu": ("CPU", "CPU"),
    "memory": ("内存", "Memory"),
    "when": ("时间", "When"),
    "who": ("操作人", "Who"),
    "action": ("操作", "Action"),
    "changes": ("变更", "Changes"),
    "reason": ("原因", "Reason"),
    "targets": ("目标", "Targets"),
    "profiles": ("凭据配置", "Credential profiles"),
    "progress": ("进度", "Progress"),
    "probed": ("已探测", "Probed"),
    "responding": ("有应答", "Responding"),
    "errors": ("错误", "Errors"),
    "value_errors": ("值错误（未能读取的值及原因）", "Value errors (values not read, and why)"),
    "created": ("新增", "Created"),
    "updated": ("更新", "Updated"),
    "requested_by": ("发起人", "Requested by"),
    "started": ("开始", "Started"),
    "finished": ("结束", "Finished"),
    "start_scan": ("开始扫描", "Start a scan"),
    "kind": ("类型", "Kind"),
    "resolve": ("处理", "Resolve"),
    "dismiss": ("忽略", "Dismiss"),
    "merge": ("合并", "Merge"),
    "new": ("新建资产", "New asset"),
    "save": ("保存", "Save"),
    "saved": ("已保存", "Saved"),
    "stale_edit": (
        "该资产已被他人修改,请重新打开后再保存",
        "Someone else changed this asset: reload it and apply your change again",
    ),
    "nothing": ("暂无", "None"),
    "forbidden": ("无权访问", "Not allowed"),
    "not_found": ("未找到", "Not found"),
    "yes": ("是", "yes"),
    "no": ("否", "no"),
    "language": ("English", "中文"),
    "audit": ("审计日志", "Audit trail"),
    "object": ("对象", "Object"),
    "since": ("起始日期", "From"),
    "until": ("截止日期(不含)", "Until (exclusive)"),
}


def choose_language(request: Request) -> str:
    """?lang= wins, then the cookie, then the browser's preference; Chinese by default."""
    asked = request.query_params.get("lang") or request.cookies.get(LANG_COOKIE)
    if asked in ("zh", "en"):
        return asked
    accept = request.headers.get("Accept-Language", "").lower()
    return "en" if accept.startswith("en") else "zh"


def translator(lang: str):  # type: ignore[no-untyped-def]
    def t(key: str) -> str:
        zh, en = TEXT.get(key, (key, key))
        return zh if lang == "zh" else en

    return t
