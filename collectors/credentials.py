"""Credentials as collectors receive them: plain values, secrets hidden from repr.

The inventory decrypts a stored profile into one of these just before a scan;
nothing here is ever logged or printed (the secret fields have ``repr=False``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

# SHA-2 and AES are the defaults; MD5, SHA-1 and DES only with allow_legacy.
STRONG_AUTH = frozenset({"SHA224", "SHA256", "SHA384", "SHA512"})
STRONG_PRIV = frozenset({"AES128", "AES192", "AES256"})
LEGACY_AUTH = frozenset({"MD5", "SHA"})
LEGACY_PRIV = frozenset({"DES", "3DES"})
# RFC 3414 section 11.2: a pass phrase shorter than 8 characters is refused
# (net-snmp refuses them too); short keys localise to guessable ones.
MIN_KEY_LENGTH = 8


class SnmpVersion(StrEnum):
    V1 = "1"
    V2C = "2c"
    V3 = "3"


class CredentialError(ValueError):
    """A profile that cannot be used as it is; the message says why."""


@dataclass(frozen=True)
class SnmpCredential:
    name: str
    version: SnmpVersion
    community: str | None = field(default=None, repr=False)
    user: str | None = None
    auth_protocol: str = "SHA256"
    auth_key: str | None = field(default=None, repr=False)
    priv_protocol: str = "AES128"
    priv_key: str | None = field(default=None, repr=False)
    security_level: str = "authPriv"
    context: str = ""
    allow_legacy: bool = False

    def __post_init__(self) -> None:
        if self.version is not SnmpVersion.V3:
            if not self.community:
                raise CredentialError(
                    f"profile {self.name!r}: SNMPv{self.version} needs a community"
                )
            return
        if not self.user:
            raise CredentialError(f"profile {self.name!r}: SNMPv3 needs a user")
        if self.security_level not in ("authPriv", "authNoPriv", "noAuthNoPriv"):
            raise CredentialError(f"profile {self.name!r}: unknown security level")
        legacy = self.security_level != "authPriv" or (
            self.auth_protocol in LEGACY_AUTH or self.priv_protocol in LEGACY_PRIV
        )
        if legacy and not self.allow_legacy:
            raise CredentialError(
                f"profile {self.name!r}: {self.security_level} with {self.auth_protocol}/"
                f"{self.priv_protocol} is weaker than authPriv with SHA-2 and AES; "
                "set allow_legacy to use it"
            )
        known_auth, known_priv = STRONG_AUTH | LEGACY_AUTH, STRONG_PRIV | LEGACY_PRIV
        if self.auth_protocol not in known_auth:
            raise CredentialError(f"profile {self.name!r}: unknown auth protocol")
        if self.priv_protocol not in known_priv:
            raise CredentialError(f"profile {self.name!r}: unknown privacy protocol")
        if self.security_level != "noAuthNoPriv" and not self.auth_key:
            raise CredentialError(f"profile {self.name!r}: {self.security_level} needs an auth key")
        if self.security_level == "authPriv" and not self.priv_key:
            raise CredentialError(f"profile {self.name!r}: authPriv needs a privacy key")
        for which, key in (("auth", self.auth_key), ("privacy", self.priv_key)):
            if key and len(key) < MIN_KEY_LENGTH:
                raise CredentialError(
                    f"profile {self.name!r}: the {which} key needs at least "
                    f"{MIN_KEY_LENGTH} characters (RFC 3414)"
                )
