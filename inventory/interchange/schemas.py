"""Validated rows of the departments and staff sheets (assets use AssetIn)."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from inventory.domain.lifecycles import StaffState

Code = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=32)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=128)]


class DepartmentIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: Code
    name: Name
    name_en: Annotated[str, StringConstraints(max_length=128)] | None = None
    parent_code: Code | None = None
    is_classified_unit: bool | None = None
    is_law_enforcement: bool | None = None


class StaffIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    staff_no: Code
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
    department_code: Code
    title: Annotated[str, StringConstraints(max_length=64)] | None = None
    skills: Annotated[str, StringConstraints(max_length=255)] | None = None
    state: StaffState | None = None
    maintains: list[str] = Field(default_factory=list)
