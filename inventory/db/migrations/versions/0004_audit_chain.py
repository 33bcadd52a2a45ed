"""Chain the audit events (tamper-evident), and refuse REPLACE and unhashed inserts.

Existing events are chained in id order, from the genesis hash; the chain's head
row is created; the new triggers are added.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30 16:00:00
"""

from collections.abc import Sequence
from datetime import UTC

import sqlalchemy as sa
from alembic import op

from inventory.domain.audit_chain import GENESIS, link

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

EVENTS = sa.table(
    "auditevent",
    sa.column("id", sa.Integer()),
    sa.column("occurred_at", sa.DateTime(timezone=True)),
    sa.column("actor", sa.String()),
    sa.column("action", sa.String()),
    sa.column("object_type", sa.String()),
    sa.column("object_id", sa.String()),
    sa.column("before", sa.JSON()),
    sa.column("after", sa.JSON()),
    sa.column("request_id", sa.String()),
    sa.column("reason", sa.String()),
    sa.column("chain_hash", sa.String()),
)

# The update refusal must step aside while existing events get their hashes.
LIFT = {
    "sqlite": ["DROP TRIGGER auditevent_no_update"],
    "postgresql": ["ALTER TABLE auditevent DISABLE TRIGGER auditevent_append_only"],
}
RESTORE = {
    "sqlite": [
        """CREATE TRIGGER auditevent_no_update BEFORE UPDATE ON auditevent
        BEGIN SELECT RAISE(ABORT, 'auditevent is append-only: UPDATE refused'); END"""
    ],
    "postgresql": ["ALTER TABLE auditevent ENABLE TRIGGER auditevent_append_only"],
}
NEW_TRIGGERS = {
    "sqlite": [
        """CREATE TRIGGER auditevent_checked_insert BEFORE INSERT ON auditevent
        WHEN NEW.chain_hash IS NULL OR EXISTS (SELECT 1 FROM auditevent WHERE id = NEW.id)
        BEGIN SELECT RAISE(ABORT,
          'auditevent is append-only: INSERT without a chain hash or over an existing id refused');
        END""",
        """CREATE TRIGGER auditchain_no_delete BEFORE DELETE ON auditchain
        BEGIN SELECT RAISE(ABORT, 'DELETE on auditchain refused'); END""",
    ],
    "postgresql": [
        """CREATE OR REPLACE FUNCTION auditevent_checked_insert() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
          IF NEW.chain_hash IS NULL THEN
            RAISE EXCEPTION 'auditevent is append-only: INSERT without a chain hash refused'
              USING ERRCODE = 'integrity_constraint_violation';
          END IF;
          RETURN NEW;
        END $$""",
        """CREATE TRIGGER auditevent_checked_insert BEFORE INSERT ON auditevent
        FOR EACH ROW EXECUTE FUNCTION auditevent_checked_insert()""",
        """CREATE TRIGGER auditchain_no_delete BEFORE DELETE OR TRUNCATE ON auditchain
        FOR EACH STATEMENT EXECUTE FUNCTION refuse_statement()""",
    ],
}
DROP_NEW_TRIGGERS = {
    "sqlite": ["DROP TRIGGER auditevent_checked_insert", "DROP TRIGGER auditchain_no_delete"],
    "postgresql": [
        "DROP TRIGGER auditevent_checked_insert ON auditevent",
        "DROP TRIGGER auditchain_no_delete ON auditchain",
        "DROP FUNCTION auditevent_checked_insert()",
    ],
}


def _chain_existing(connection: sa.Connection) -> str:
    head = GENESIS
    rows = connection.execute(sa.select(EVENTS).order_by(EVENTS.c.id)).mappings().all()
    for row in rows:
        event = dict(row)
        at = event["occurred_at"]
        event["occurred_at"] = at.replace(tzinfo=UTC) if at.tzinfo is None else at
        head = link(head, event)
        connection.execute(
            sa.update(EVENTS).where(EVENTS.c.id == row["id"]).values(chain_hash=head)
        )
    return head


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    op.add_column("auditevent", sa.Column("chain_hash", sa.String(length=64), nullable=True))
    op.create_table(
        "auditchain",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("head_hash", sa.String(length=64), nullable=False),
        sa.Column("anchor_id", sa.Integer(), nullable=False),
        sa.Column("anchor_hash", sa.String(length=64), nullable=False),
        sa.CheckConstraint("id = 1", name="ck_auditchain_single_row"),
        sa.PrimaryKeyConstraint("id"),
    )
    for statement in LIFT[dialect]:
        op.execute(statement)
    head = _chain_existing(op.get_bind())
    for statement in RESTORE[dialect]:
        op.execute(statement)
    op.get_bind().execute(
        sa.text(
            "INSERT INTO auditchain (id, head_hash, anchor_id, anchor_hash)"
            " VALUES (1, :head, 0, :genesis)"
        ),
        {"head": head, "genesis": GENESIS},
    )
    for statement in NEW_TRIGGERS[dialect]:
        op.execute(statement)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for statement in DROP_NEW_TRIGGERS[dialect]:
        op.execute(statement)
    op.drop_table("auditchain")
    # Not in batch mode: rebuilding the table would drop 0001's triggers with it.
    op.drop_column("auditevent", "chain_hash")
