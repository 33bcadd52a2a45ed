"""What a device says it is (sysDescr, uname), kept so people can read it; and an index
for the asset list's commonest slice (department x mode), which every page counts.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 01:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("asset") as batch:
        batch.add_column(sa.Column("description", sa.String(length=512), nullable=True))
    op.create_index("ix_asset_department_mode", "asset", ["department_id", "mode"])
    if op.get_bind().dialect.name == "postgresql":
        # SQLite cannot say NULLS LAST in an index, and does not need it (nulls sort first
        # there, so DESC already puts them last).
        op.create_index(
            "ix_asset_recently_seen",
            "asset",
            [sa.text("last_seen DESC NULLS LAST"), sa.text("id DESC")],
        )


def downgrade() -> None:
    op.drop_index("ix_asset_department_mode", table_name="asset")
    if op.get_bind().dialect.name == "postgresql":
        op.drop_index("ix_asset_recently_seen", table_name="asset")
    with op.batch_alter_table("asset") as batch:
        batch.drop_column("description")
