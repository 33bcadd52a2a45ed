"""The triggers that keep the audit trail append-only, and their repair.

A trigger dropped by someone with owner rights would otherwise go unnoticed:
`inventory db upgrade` and every start-up call :func:`ensure_triggers`, which
re-creates (and on PostgreSQL re-enables) any that are missing and names them.

What each refuses:
- UPDATE of an event, always; DELETE of an event younger than the retention.
- INSERT of an event without its chain hash, or with an id already taken:
  SQLite's INSERT OR REPLACE deletes the old row without firing DELETE
  triggers, so the refusal has to come before the insert.
- DELETE (and TRUNCATE) of the retention policy and of the chain's head row.
"""

from __future__ import annotations

import sqlalchemy as sa

_RETENTION = "(SELECT retention_days FROM auditpolicy WHERE id = 1)"

SQLITE: dict[str, str] = {
    "auditevent_no_update": """CREATE TRIGGER auditevent_no_update BEFORE UPDATE ON auditevent
        BEGIN SELECT RAISE(ABORT, 'auditevent is append-only: UPDATE refused'); END""",
    "auditevent_no_early_delete": f"""CREATE TRIGGER auditevent_no_early_delete
        BEFORE DELETE ON auditevent
        WHEN {_RETENTION} IS NULL
          OR OLD.occurred_at >= strftime('%Y-%m-%d %H:%M:%f', 'now',
               '-' || {_RETENTION} || ' days')
        BEGIN SELECT RAISE(ABORT, 'auditevent is append-only: DELETE refused within retention');
        END""",
    "auditevent_checked_insert": """CREATE TRIGGER auditevent_checked_insert
        BEFORE INSERT ON auditevent
        WHEN NEW.chain_hash IS NULL
          OR EXISTS (SELECT 1 FROM auditevent WHERE id = NEW.id)
        BEGIN SELECT RAISE(ABORT,
          'auditevent is append-only: INSERT without a chain hash or over an existing id refused');
        END""",
    "auditpolicy_no_delete": """CREATE TRIGGER auditpolicy_no_delete BEFORE DELETE ON auditpolicy
        BEGIN SELECT RAISE(ABORT, 'DELETE on auditpolicy refused'); END""",
    "auditchain_no_delete": """CREATE TRIGGER auditchain_no_delete BEFORE DELETE ON auditchain
        BEGIN SELECT RAISE(ABORT, 'DELETE on auditchain refused'); END""",
}

POSTGRESQL_FUNCTIONS = [
    f"""CREATE OR REPLACE FUNCTION auditevent_append_only() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'DELETE' AND OLD.occurred_at < now() - make_interval(days => {_RETENTION}) THEN
        RETURN OLD;
      END IF;
      RAISE EXCEPTION 'auditevent is append-only: % refused%', TG_OP,
        CASE WHEN TG_OP = 'DELETE' THEN ' within retention' ELSE '' END
        USING ERRCODE = 'integrity_constraint_violation';
    END $$""",
    """CREATE OR REPLACE FUNCTION refuse_statement() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION '% on % refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'integrity_constraint_violation';
    END $$""",
    """CREATE OR REPLACE FUNCTION auditevent_checked_insert() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.chain_hash IS NULL THEN
        RAISE EXCEPTION 'auditevent is append-only: INSERT without a chain hash refused'
          USING ERRCODE = 'integrity_constraint_violation';
      END IF;
      RETURN NEW;
    END $$""",
]

POSTGRESQL: dict[str, tuple[str, str]] = {
    "auditevent_append_only": (
        "auditevent",
        """CREATE TRIGGER auditevent_append_only BEFORE UPDATE OR DELETE ON auditevent
        FOR EACH ROW EXECUTE FUNCTION auditevent_append_only()""",
    ),
    "auditevent_no_truncate": (
        "auditevent",
        """CREATE TRIGGER auditevent_no_truncate BEFORE TRUNCATE ON auditevent
        FOR EACH STATEMENT EXECUTE FUNCTION refuse_statement()""",
    ),
    "auditevent_checked_insert": (
        "auditevent",
        """CREATE TRIGGER auditevent_checked_insert BEFORE INSERT ON auditevent
        FOR EACH ROW EXECUTE FUNCTION auditevent_checked_insert()""",
    ),
    "auditpolicy_no_delete": (
        "auditpolicy",
        """CREATE TRIGGER auditpolicy_no_delete BEFORE DELETE OR TRUNCATE ON auditpolicy
        FOR EACH STATEMENT EXECUTE FUNCTION refuse_statement()""",
    ),
    "auditchain_no_delete": (
        "auditchain",
        """CREATE TRIGGER auditchain_no_delete BEFORE DELETE OR TRUNCATE ON auditchain
        FOR EACH STATEMENT EXECUTE FUNCTION refuse_statement()""",
    ),
}


def ensure_triggers(connection: sa.Connection) -> list[str]:
    """Re-create (PostgreSQL: also re-enable) every missing audit trigger; their names.

    Run inside the caller's transaction; an empty list means all were in place.
    """
    if connection.dialect.name == "sqlite":
        have = set(
            connection.exec_driver_sql(
                "SELECT name FROM sqlite_master WHERE type = 'trigger'"
            ).scalars()
        )
        missing = [name for name in SQLITE if name not in have]
        for name in missing:
            connection.exec_driver_sql(SQLITE[name])
        return missing
    state: dict[str, str] = dict(
        connection.exec_driver_sql(
            "SELECT tgname, tgenabled FROM pg_trigger WHERE NOT tgisinternal"
        ).all()
    )
    repaired: list[str] = []
    # psycopg reads % as a placeholder even without parameters (RAISE's format has some).
    if any(name not in state for name in POSTGRESQL):
        for function in POSTGRESQL_FUNCTIONS:
            connection.exec_driver_sql(function.replace("%", "%%"))
    for name, (table, ddl) in POSTGRESQL.items():
        if name not in state:
            connection.exec_driver_sql(ddl.replace("%", "%%"))
            repaired.append(name)
        elif state[name] == "D":  # ALTER TABLE ... DISABLE TRIGGER
            connection.exec_driver_sql(f"ALTER TABLE {table} ENABLE TRIGGER {name}")
            repaired.append(name)
    return repaired
