"""Identifiers normalised before any comparison, and the values that identify nobody.

One function per kind of identifier, used by every path that compares one
(scan merge, ledger import, review): a MAC written ``0:c:29:71:86:17`` by
snmpwalk, ``000C.2971.8617`` by a Cisco switch and ``00-0C-29-71-86-17`` by
Windows is one value, and ``SystemSerialNumber`` is the same placeholder as
``System Serial Number``.

The deny-lists gather the defaults firmware ships unset and the values that
other inventory tools have learnt to ignore: GLPI's default blacklist
(``src/Blacklist.php``: serials, UUIDs, MACs of virtual adapters), the GLPI
agent's and OCS's dmidecode filters, and values reported on Fleet/osquery's
and Snipe-IT's trackers for machines that collapsed into one. Rules cover
families, not single strings: any spacing, case and punctuation, repeated or
sequential characters, all-zero and all-F values.
"""

from __future__ import annotations

import re
import uuid

# --- serial numbers ----------------------------------------------------------

# Compared on a key of letters and digits only, casefolded: "System Serial
# Number", "SystemSerialNumber" and "system_serial_number" are one placeholder.
_PLACEHOLDER_SERIAL_KEYS = frozenset(
    {
        "tobefilledbyoem",
        "tobefilledbyoe",
        "defaultstring",
        "systemserialnumber",
        "systemserialnumb",  # GLPI: truncated by a 16-character BIOS field
        "systemserial",
        "chassisserialnumber",
        "chassisserial",
        "baseboardserialnumber",
        "boardserialnumber",
        "mbserialnumber",
        "serialnumber",
        "serialnumberxxxxxx",
        "serial",
        "sn",
        "snnumber",
        "notspecified",
        "notavailable",
        "notapplicable",
        "notset",
        "notdefined",
        "none",
        "null",
        "nullstring",
        "nil",
        "na",
        "nvt",
        "unknown",
        "unknow",
        "undefined",
        "invalid",
        "empty",
        "default",
        "oem",
        "oemserial",
        "oemserialnumber",
        "eval",
        "iatpass",
        "tulipcomputers",
        "sku",
        "skunumber",
        "systemskunumber",
        "type1productconfigid",
        "type1sku0",
        "systemproductname",
        "systemmanufacturer",
        "systemversion",
        "allseries",
        "noassettag",
        "noassetinformation",
        "assettagnum",
        "chassisassettag",
        "xxxxxx",
        "123456789abcdef",
        "snx123456",
        "sn123456fvgv3i0b8o5n6n7k",  # GLPI's list
        # what Chinese ledgers write in an empty serial cell
        "无",
        "未知",
        "暂无",
        "不详",
        "待定",
        "空",
        "没有",
        "缺失",
        "待补充",
        "待填写",
        "无序列号",
        "无sn",
    }
)
# Families: filler phrases wherever they sit in the value.
_PLACEHOLDER_SERIAL_PHRASES = re.compile("tobefilledby|defaultstring|filledbyoem|serialnumber")
_SEQUENCES = ("0123456789abcdefghijklmnopqrstuvwxyz", "12345678901234567890", "9876543210")
# Every run of five or more from the sequences, so that a lookup is one hash.
_SEQUENCE_RUNS = frozenset(
    sequence[start:end]
    for sequence in _SEQUENCES
    for start in range(len(sequence))
    for end in range(start + 5, len(sequence) + 1)
)
_LABEL_PREFIX = re.compile(r"^(?:sys|sn|mb|ssn|s|n|no)?(?P<rest>.*)$")
_VERSION_LIKE = re.compile(r"^v?\d{1,3}(?:\.\d{1,3}){1,3}$", re.IGNORECASE)
_NOT_ALNUM = re.compile(r"[\W_]+")


def _key(value: str) -> str:
    return _NOT_ALNUM.sub("", value.casefold())


def _is_sequence(key: str, minimum: int = 5) -> bool:
    return len(key) >= minimum and key in _SEQUENCE_RUNS


def _is_periodic(text: str, longest_unit: int, minimum: int) -> bool:
    """True when `text` is one short unit repeated ("0000", "0101", "xyxy")."""
    if len(text) < minimum or len(set(text)) > longest_unit:  # most values leave here
        return False
    for unit in range(1, longest_unit + 1):
        if len(text) % unit == 0 and text == text[:unit] * (len(text) // unit):
            return True
    return False


def is_placeholder_serial(value: str) -> bool:
    """Whether a serial number is a vendor default or filler that identifies nothing.

    Families: filler phrases in any spacing and case ("To be filled by O.E.M.",
    "SystemSerialNumber", "Default_string"), one character repeated, a short
    unit repeated ("010101"), sequential runs ("123456789", "SN-12345",
    "SYS-1234567890", "ABCDEFG"), hex zero ("0x00000000") and version numbers
    written into the serial field ("1.0").
    """
    text = value.strip()
    # Cheapest tests first: this runs for every serial of every row compared.
    key = text.casefold() if text.isalnum() else _key(text)
    if not key or key in _PLACEHOLDER_SERIAL_KEYS:
        return True
    if _is_periodic(key, 2, 1):
        return True  # "0000", "XXXXXXX", "0101"
    if _is_sequence(key) or _is_sequence(key.rstrip(key[-1]), 6):
        return True  # "123456789", "123456789000"
    if _PLACEHOLDER_SERIAL_PHRASES.search(key):
        return True
    if "." in text and _VERSION_LIKE.fullmatch(text):
        return True
    if key.startswith("0x") and not key[2:].strip("0"):
        return True
    if key[0] not in "smn":
        return False
    match = _LABEL_PREFIX.match(key)
    rest = match["rest"] if match else key
    return rest != key and (not rest or _is_periodic(rest, 2, 3) or _is_sequence(rest))


def normalise_serial(value: str | None) -> str | None:
    """A serial as compared: NULs dropped, inner spaces collapsed, upper case; placeholders None."""
    if value is None:
        return None
    cleaned = " ".join(value.replace("\x00", "").split()).upper()
    if not cleaned or is_placeholder_serial(cleaned):
        return None
    return cleaned


# --- system UUIDs (SMBIOS type 1) ---------------------------------------------

PLACEHOLDER_UUIDS = frozenset(
    {
        "03000200-0400-0500-0006-000700080009",  # AMI Aptio default (Supermicro, ASUS, whitebox)
        "6ab5b300-538d-1014-9fb5-b0684d007b53",  # GLPI's list: shared by a model range
        "12345678-1234-5678-90ab-cddeefaabbcc",
        "00010203-0405-0607-0809-0a0b0c0d0e0f",  # bytes counted up
    }
)


def swap_uuid_fields(value: str) -> str:
    """The same 16 bytes read in the other byte order (SMBIOS 2.6+ vs older readers).

    SMBIOS 2.6 declared the first three fields little-endian; dmidecode and
    the kernel print them swapped on newer tables, older readers print the raw
    bytes. `value` is canonical (lowercase, hyphenated); so is the result.
    collectors.smbios.swap_uuid_fields is the same rule for the collectors
    (the layers may not import each other); a property test keeps them equal.
    """
    # String slicing, not uuid.UUID: the index keys every stored UUID this way.
    v = value
    return f"{v[6:8]}{v[4:6]}{v[2:4]}{v[0:2]}-{v[11:13]}{v[9:11]}-{v[16:18]}{v[14:16]}{v[18:]}"


_PLACEHOLDER_UUIDS_EITHER_ORDER = PLACEHOLDER_UUIDS | {
    swap_uuid_fields(u) for u in PLACEHOLDER_UUIDS
}


def uuid_key(value: str) -> str:
    """A comparison key equal for both byte orders of one UUID (index and duplicate checks).

    Two different machines whose UUIDs are each other's swap would need a
    2**-96 coincidence; one machine read by two readers is routine.
    """
    return min(value, swap_uuid_fields(value))


def is_placeholder_uuid(canonical: str) -> bool:
    """All-zero, all-F, any one digit repeated, short repeated units, known shared defaults."""
    if canonical in _PLACEHOLDER_UUIDS_EITHER_ORDER:
        return True
    digits = canonical.replace("-", "")
    if len(set(digits)) > 8:  # a random UUID has about 13 distinct digits
        return False
    if _is_periodic(digits, 8, 32):
        return True
    return max(digits.count(c) for c in set(digits)) >= 28  # "00000000-…-000000000001"


_CANONICAL_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def normalise_uuid(value: str | None) -> str | None:
    """Lowercase hyphenated form of any common spelling (braces, urn:uuid:, no hyphens)."""
    if not value:
        return None
    text = value.strip().lower()
    if _CANONICAL_UUID.fullmatch(text):  # the common case: skip uuid.UUID
        canonical = text
    else:
        text = text.strip("{}").removeprefix("urn:uuid:").strip("{}")
        try:
            canonical = str(uuid.UUID(text))
        except ValueError:
            return None
    return None if is_placeholder_uuid(canonical) else canonical


# --- machine-id, engine IDs, host keys ------------------------------------------

_HEX = re.compile(r"[0-9a-f]+")
_SEPARATORS = re.compile(r"[\s:.-]")


def normalise_machine_id(value: str | None) -> str | None:
    """/etc/machine-id: 32 lowercase hex digits (machine-id(5)); filler is None."""
    if not value:
        return None
    cleaned = value.strip().lower().replace("-", "")
    if len(cleaned) != 32 or not _HEX.fullmatch(cleaned) or _is_periodic(cleaned, 8, 32):
        return None
    return cleaned


def normalise_hex_id(value: str | None) -> str | None:
    """SNMP engine IDs and host key fingerprints: lowercase, no separators."""
    if not value:
        return None
    cleaned = _SEPARATORS.sub("", value.strip().lower())
    if cleaned.startswith("0x"):
        cleaned = cleaned[2:]
    if not cleaned or len(set(cleaned)) == 1:
        return None
    return cleaned


# --- MAC addresses (IEEE 802) -------------------------------------------------

# Adapters every host of a kind has with the same address (GLPI's list and
# first-hop redundancy groups): seen on many machines at once, so nobody's identity.
SHARED_MACS = frozenset(
    {
        "20:41:53:59:4e:ff",  # Windows RAS async adapter (" ASYN")
        "50:50:54:50:30:30",  # Windows WAN miniport (PPTP)
        "33:50:6f:45:30:30",  # Windows WAN miniport (PPPoE)
        "02:00:4e:43:50:49",  # NCP secure client virtual adapter
        "24:b6:20:52:41:53",
        "e2:e6:16:20:0a:35",
        "d2:0a:2d:a0:04:be",
        "d2:6b:25:2f:2c:e7",
        "00:a0:c6:00:00:00",  # Qualcomm Gobi mobile broadband
        "02:80:37:ec:02:00",  # Dell 5530 mobile broadband
        "0a:00:27:00:00:00",  # VirtualBox host-only adapter
        "00:0b:ca:fe:00:00",
        "fe:ff:ff:ff:ff:ff",  # Xen backend vif
    }
)
SHARED_MAC_PREFIXES = (
    "00:50:56:c0:00:",  # VMware Workstation/Player host adapters vmnet1, vmnet8
    "00:00:5e:00:01:",  # VRRP virtual router (RFC 5798)
    "00:00:5e:00:02:",  # VRRPv3 for IPv6 (RFC 5798)
    "00:00:0c:07:ac:",  # Cisco HSRP v1 group
    "00:00:0c:9f:f",  # Cisco HSRP v2 group
    "00:07:b4:00:",  # Cisco GLBP
    "00:00:00:00:00:",  # all-zero but the last octet: driver filler
)
_MAC_GROUPS = re.compile(r"[0-9a-f]{1,2}(?:[:\- ][0-9a-f]{1,2}){5}")
_MAC_HALVES = re.compile(r"[0-9a-f]{6}[:-][0-9a-f]{6}")
_MAC_DOTTED = re.compile(r"[0-9a-f]{1,4}(?:\.[0-9a-f]{1,4}){2}")
_MAC_BARE = re.compile(r"[0-9a-f]{12}")
_CANONICAL_MAC = re.compile(r"[0-9a-f]{2}(?::[0-9a-f]{2}){5}")


def canonical_mac(value: str | None) -> str | None:
    """``aa:bb:cc:dd:ee:ff`` from any common notation, or None when it is not a MAC.

    Notations: colon or dash groups with or without leading zeros
    (``0:c:29:71:86:17`` as snmpwalk prints), space-separated octets (a
    Hex-STRING), halves (``000c29-718617``), Cisco dotted (``000c.2971.8617``),
    bare hex (``000C29718617``, ``0x000c29718617``), any case.
    """
    if not value:
        return None
    text = value.strip().lower()
    if _CANONICAL_MAC.fullmatch(text):  # the common case
        return text
    text = text.removeprefix("0x")
    if _MAC_GROUPS.fullmatch(text):
        if len({c for c in text if c in ":- "}) != 1:  # one separator throughout
            return None
        return ":".join(g.zfill(2) for g in re.split(r"[:\- ]", text))
    if _MAC_HALVES.fullmatch(text):
        digits = text[:6] + text[7:]
    elif _MAC_DOTTED.fullmatch(text):
        digits = "".join(g.zfill(4) for g in text.split("."))
    elif _MAC_BARE.fullmatch(text):
        digits = text
    else:
        return None
    return ":".join(digits[i : i + 2] for i in range(0, 12, 2))


def is_locally_administered(mac: str) -> bool:
    """The U/L bit (IEEE 802, second-least significant of the first octet): set by software.

    Bridges, veth pairs, bonds, libvirt's virbr0, KVM and OpenStack guests
    (52:54:00:…, fa:16:3e:…) and randomised Wi-Fi addresses set it. Such a MAC
    is weak evidence: it may be all a KVM guest has, but a template carries it
    to every clone, so it never outweighs the hardware's own MACs.
    """
    return mac[1] in "2367abef"


def is_shared_mac(mac: str) -> bool:
    """A canonical MAC that many live machines show at once: never identity.

    Docker's bridge and containers (02:42:…, derived from the container's
    address), the well-known adapters of :data:`SHARED_MACS` and the
    first-hop redundancy groups of :data:`SHARED_MAC_PREFIXES`.
    """
    return mac.startswith(("02:42:", *SHARED_MAC_PREFIXES)) or mac in SHARED_MACS


def normalise_mac(value: str | None) -> str | None:
    """A MAC that may identify a machine, canonical; None for malformed or unusable ones.

    Unusable: all-zero, broadcast and multicast (the I/G bit), and the shared
    kinds of :func:`is_shared_mac`. Locally administered MACs are kept; the
    identity rules weigh them as weak (:func:`is_locally_administered`).
    """
    mac = canonical_mac(value)
    if mac is None or mac[1] in "13579bdf" or mac == "00:00:00:00:00:00":  # the I/G bit
        return None
    return None if is_shared_mac(mac) else mac
