"""AssetIn: one asset as an import row, a sample record or a collector's observation."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    StringConstraints,
    field_validator,
    model_validator,
)

from inventory.domain.choices import DeviceClass, LifecycleStatus, Mode
from inventory.domain.identity import Evidence
from inventory.models import Asset, Department
from inventory.models.base import column_widths

# Stored only in normalised form; placeholders ("To be filled by O.E.M.") not at all.
EVIDENCE_FIELDS = frozenset(
    {"system_uuid", "serial_number", "machine_id", "snmp_engine_id", "ssh_host_key"}
)
# Widths come from the table (inventory.models.base.column_widths): one definition.
_WIDTHS = column_widths(Asset)
_DEPARTMENT_CODE = column_widths(Department)["code"]


def _width(field: str) -> StringConstraints:
    return StringConstraints(strip_whitespace=True, max_length=_WIDTHS[field])


class AssetIn(BaseModel):
    """None means "not known here": an upsert never clears a field with None."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    _evidence: Evidence | None = PrivateAttr(default=None)
    # Fields this row only fills when the asset has no value yet: guesses (an OS
    # family read from a kernel string) never overwrite what a person recorded.
    _fill_only: frozenset[str] = PrivateAttr(default=frozenset())

    uid: Annotated[str, StringConstraints(pattern=r"^[0-9a-f-]{36}$")] | None = None
    name: Annotated[str, _width("name")] | None = None
    department_code: Annotated[str, StringConstraints(max_length=_DEPARTMENT_CODE)] | None = None
    asset_tag: Annotated[str, _width("asset_tag")] | None = None
    serial_number: Annotated[str, _width("serial_number")] | None = None
    system_uuid: str | None = None
    machine_id: str | None = None
    snmp_engine_id: str | None = None
    ssh_host_key: str | None = None
    macs: list[str] = Field(default_factory=list)
    addresses: list[str] = Field(default_factory=list)
    device_class: DeviceClass | None = None
    vendor: Annotated[str, _width("vendor")] | None = None
    model: Annotated[str, _width("model")] | None = None
    cpu_model: Annotated[str, _width("cpu_model")] | None = None
    cpu_count: Annotated[int, Field(ge=0, le=4096)] | None = None
    memory_mb: Annotated[int, Field(ge=0)] | None = None
    disk_total_gb: Annotated[int, Field(ge=0)] | None = None
    os_name: Annotated[str, _width("os_name")] | None = None
    os_version: Annotated[str, _width("os_version")] | None = None
    description: Annotated[str, _width("description")] | None = None
    is_virtual: bool | None = None
    hypervisor: Annotated[str, _width("hypervisor")] | None = None
    location: Annotated[str, _width("location")] | None = None
    purpose: Annotated[str, _width("purpose")] | None = None
    purchase_date: date | None = None
    purchase_value: Annotated[Decimal, Field(ge=0, max_digits=14, decimal_places=2)] | None = None
    useful_life_years: Annotated[int, Field(ge=0, le=50)] | None = None
    warranty_until: date | None = None
    is_classified: bool | None = None
    mode: Mode | None = None
    lifecycle_status: LifecycleStatus | None = None
    monitoring_enabled: bool | None = None
    notes: str | None = None

    @field_validator("addresses")
    @classmethod
    def _addresses_are_ip(cls, values: list[str]) -> list[str]:
        import ipaddress

        for value in values:
            ipaddress.ip_address(value)
        return values

    @model_validator(mode="after")
    def _classified_is_exempt(self) -> AssetIn:
        # P1 at the edge: a classified row that names a mode must say exempt.
        if self.is_classified and self.mode not in (None, Mode.EXEMPT):
            raise ValueError("a classified asset is exempt (P1); mode must be 'exempt'")
        if self.is_classified is False and self.mode is Mode.EXEMPT:
            raise ValueError("only classified assets are exempt (P1)")
        return self

    def fill_only(self, *names: str) -> AssetIn:
        """Mark `names` as gap-fillers; returns self for chaining."""
        self._fill_only = self._fill_only | frozenset(names)
        return self

    def merge_into(self, current: dict[str, Any]) -> dict[str, Any]:
        """The asset's column values after this row, fill-only fields respected."""
        return {
            **current,
            **{
                k: v
                for k, v in self.column_values().items()
                if k not in self._fill_only or current.get(k) is None
            },
        }

    def evidence(self) -> Evidence:
        # Read the private slot directly: pydantic's attribute hook for private
        # fields costs more than the lookup itself, and bulk upserts ask often.
        private = self.__pydantic_private__
        assert private is not None
        found: Evidence | None = private.get("_evidence")
        if found is None:
            found = private["_evidence"] = self._compute_evidence()
        return found

    def _compute_evidence(self) -> Evidence:
        return Evidence.of(
            system_uuid=self.system_uuid,
            serial_number=self.serial_number,
            machine_id=self.machine_id,
            snmp_engine_id=self.snmp_engine_id,
            ssh_host_key=self.ssh_host_key,
            macs=self.macs,
        )

    def column_values(self) -> dict[str, Any]:
        """Asset columns this row sets, evidence normalised, unknowns left out."""
        evidence = self.evidence()
        values = self.model_dump(
            exclude={"uid", "department_code", "macs", "addresses", *EVIDENCE_FIELDS},
            exclude_none=True,
        )
        values.update(evidence.scalars())
        if self.addresses:
            values["primary_address"] = self.addresses[0]
        return values
