"""The sample city's fixed data: departments, hardware, operating systems, purposes, names."""

from __future__ import annotations

from inventory.domain.choices import DeviceClass

# code, name, English name, classified unit, law enforcement, number of servers
DEPARTMENTS = (
    ("D-JYJ", "市教育局", "Education Bureau", False, False, 30),
    ("D-WJW", "市卫生健康委员会", "Health Commission", False, False, 34),
    (
        "D-RSJ",
        "市人力资源和社会保障局",
        "Human Resources and Social Security Bureau",
        False,
        False,
        28,
    ),
    ("D-ZRZY", "市自然资源和规划局", "Natural Resources and Planning Bureau", False, False, 26),
    ("D-ZJJ", "市住房和城乡建设局", "Housing and Urban-Rural Development Bureau", False, False, 22),
    ("D-JTJ", "市交通运输局", "Transport Bureau", False, False, 20),
    ("D-SCJG", "市市场监督管理局", "Market Regulation Administration", False, False, 24),
    ("D-CZJ", "市财政局", "Finance Bureau", False, False, 22),
    ("D-MZJ", "市民政局", "Civil Affairs Bureau", False, False, 16),
    ("D-GAJ", "市公安局", "Public Security Bureau", False, True, 30),
    ("D-JCY", "市人民检察院", "People's Procuratorate", False, True, 14),
    ("D-FY", "市中级人民法院", "Intermediate People's Court", False, True, 16),
    ("D-BMJ", "市国家保密局", "State Secrets Protection Bureau", True, False, 18),
)

# vendor, model, serial pattern, device class
HARDWARE = (
    ("Huawei", "FusionServer 2288H V5", "2102311{:07d}", DeviceClass.SERVER),
    ("Huawei", "TaiShan 200 2280", "2102312{:07d}", DeviceClass.SERVER),
    ("Inspur", "NF5280M5", "21{:08d}", DeviceClass.SERVER),
    ("Inspur", "NF5270M6", "22{:08d}", DeviceClass.SERVER),
    ("Sugon", "I620-G30", "SG{:09d}", DeviceClass.SERVER),
    ("Lenovo", "ThinkSystem SR650", "J30{:05d}", DeviceClass.SERVER),
    ("H3C", "UniServer R4900 G3", "210235A{:06d}", DeviceClass.SERVER),
    ("Dell", "PowerEdge R740", "{:07X}", DeviceClass.SERVER),
    ("HPE", "ProLiant DL380 Gen10", "CN7{:07d}", DeviceClass.SERVER),
    ("Huawei", "OceanStor 5300 V5", "2102351{:07d}", DeviceClass.STORAGE),
    ("H3C", "S5560X-54C-EI", "210235A2{:05d}", DeviceClass.SWITCH),
    ("Huawei", "USG6555E", "2102113{:07d}", DeviceClass.FIREWALL),
    ("VMware", "VMware Virtual Platform", "VMware-42 {:08d}", DeviceClass.VIRTUAL_MACHINE),
)
OPERATING_SYSTEMS = (
    ("CentOS Linux", "7.9.2009"),
    ("CentOS Linux", "6.10"),
    ("Kylin Linux Advanced Server", "V10 SP2"),
    ("UOS Server", "20 1060e"),
    ("Red Hat Enterprise Linux", "7.6"),
    ("Windows Server", "2012 R2"),
    ("Windows Server", "2016"),
    ("Ubuntu", "18.04"),
)
PURPOSES = (
    "门户网站",
    "办公OA",
    "业务审批系统",
    "数据库服务器",
    "文件服务器",
    "视频监控存储",
    "政务服务平台",
    "统计报表系统",
    "备份服务器",
    "内部邮件",
)
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = ("伟", "芳", "娜", "敏", "静", "磊", "强", "洋", "勇", "军", "杰", "涛", "明", "超", "华")
