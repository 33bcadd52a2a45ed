"""Value errors per target on the scan record: what a device should have told and did
not (no SMBIOS, no disk list), each with the reason, for the ops engineer to read.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30 16:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("scan") as batch:
        batch.add_column(
            sa.Column("value_errors", sa.JSON(), nullable=False, server_default=sa.text("'{}'"))
        )


def downgrade() -> None:
    with op.batch_alter_table("scan") as batch:
        batch.drop_column("value_errors")
