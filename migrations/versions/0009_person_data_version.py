"""person data version bumped by triggers

Revision ID: 0009_person_data_version
Revises: 0008_liability

``person.data_version`` changes whenever anything the person's own pages show changes, so a
page cache can key on (person id, data version). The database bumps it itself, in triggers, so
that no write path (ORM, Core bulk statements, the salary file import, the demo loader, raw
SQL) can forget to.

- A row of a table in ``PERSON_OF_ROW`` bumps its person on INSERT, UPDATE and DELETE (an UPDATE
  that moves the row to another person bumps both).
- Renaming an organisation (``name`` or ``org_number``) bumps everyone employed there, paid
  there or on its staff.
- Any UPDATE of a person that does not itself set ``data_version`` bumps it by one.

PostgreSQL: statement-level triggers with transition tables, so a multi-row statement bumps
each person once, and a person already written in the transaction is not bumped again (see
NOT_YET_IN_THIS_TRANSACTION). SQLite has only row-level triggers: one bump per row written.

Readers see only committed versions, so a cache must key on a version read from committed data
(not inside a transaction that writes: a rolled-back bump's number is handed out again).
A new table whose rows the person's pages show needs its own migration adding it here.
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0009_person_data_version"
down_revision: Union[str, None] = "0008_liability"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

# Table -> the person id of one of its rows, as SQL; {row} is the row (NEW or OLD in an SQLite
# row trigger, an alias over a PostgreSQL transition table).
PERSON_OF_ROW = {
    "employment": "{row}.person_id",
    "salaryyear": "{row}.person_id",
    "leaveperiod": "{row}.person_id",
    "earnedright": "{row}.person_id",
    "agreementmembership": "{row}.person_id",
    "employerrole": "{row}.person_id",
    "choice": "{row}.person_id",
    "latechoicerequest": "{row}.person_id",
    "pensionapplication": "{row}.person_id",
    "precalculation": "{row}.person_id",
    "decision": "(SELECT choice.person_id FROM choice WHERE choice.id = {row}.choice_id)",
}

# The persons whose pages show the name and number of some organisations, as SQL;
# {organisations} is their ids (a value or a subquery).
PERSONS_AT_ORGANISATIONS = (
    "SELECT person_id FROM employment WHERE organisation_id IN ({organisations})"
    " UNION SELECT person_id FROM salaryyear WHERE organisation_id IN ({organisations})"
    " UNION SELECT person_id FROM employerrole WHERE organisation_id IN ({organisations})"
)

BUMP = "UPDATE person SET data_version = data_version + 1"
EVENTS = ("insert", "update", "delete")


def upgrade() -> None:
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.add_column(sa.Column("data_version", sa.Integer(), server_default="0", nullable=False))
    statements = _postgresql_triggers() if _dialect() == "postgresql" else _sqlite_triggers()
    for statement in statements:
        op.execute(statement)


def downgrade() -> None:
    statements = _postgresql_drops() if _dialect() == "postgresql" else _sqlite_drops()
    for statement in statements:
        op.execute(statement)
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.drop_column("data_version")


def _dialect() -> str:
    return op.get_bind().dialect.name


def _trigger_name(table: str, event: str) -> str:
    return f"{table}_bumps_person_data_version_on_{event}"


# --- SQLite: row triggers -------------------------------------------------------------------

def _sqlite_triggers() -> list[str]:
    statements = []
    for table, person_of in PERSON_OF_ROW.items():
        new, old = person_of.format(row="NEW"), person_of.format(row="OLD")
        persons = {"insert": f"id = {new}", "delete": f"id = {old}", "update": f"id IN ({old}, {new})"}
        for event in EVENTS:
            statements.append(
                f"CREATE TRIGGER {_trigger_name(table, event)} AFTER {event.upper()} ON {table}"
                f" FOR EACH ROW BEGIN {BUMP} WHERE {persons[event]}; END"
            )
    statements.append(
        f"CREATE TRIGGER {_trigger_name('organisation', 'update')}"
        " AFTER UPDATE OF name, org_number ON organisation FOR EACH ROW"
        " WHEN OLD.name IS NOT NEW.name OR OLD.org_number IS NOT NEW.org_number"
        f" BEGIN {BUMP} WHERE id IN ({PERSONS_AT_ORGANISATIONS.format(organisations='NEW.id')}); END"
    )
    # The inner UPDATE sets data_version, so the WHEN stops it from firing the trigger again
    # (and SQLite does not recurse into triggers unless PRAGMA recursive_triggers is on).
    statements.append(
        f"CREATE TRIGGER {_trigger_name('person', 'update')} AFTER UPDATE ON person FOR EACH ROW"
        " WHEN NEW.data_version = OLD.data_version"
        f" BEGIN {BUMP} WHERE id = NEW.id; END"
    )
    return statements


def _sqlite_drops() -> list[str]:
    names = [_trigger_name(table, event) for table in PERSON_OF_ROW for event in EVENTS]
    names += [_trigger_name("organisation", "update"), _trigger_name("person", "update")]
    return [f"DROP TRIGGER IF EXISTS {name}" for name in names]


# --- PostgreSQL: statement triggers over transition tables ----------------------------------

# A person row this transaction has already written (bumped, renamed or inserted) differs from
# every committed version already, and readers see only committed rows: one bump per person per
# transaction is enough, and spares a bulk write (the salary file import) a new row version of
# the person for every row it writes. (A write inside a savepoint carries the savepoint's xid
# and is bumped again: harmless.)
NOT_YET_IN_THIS_TRANSACTION = "xmin <> pg_current_xact_id()::xid"

def _function_name(table: str) -> str:
    return f"bump_person_data_version_from_{table}"


def _postgresql_triggers() -> list[str]:
    statements = []
    for table, person_of in PERSON_OF_ROW.items():
        person = person_of.format(row="r")
        statements.append(f"""
            CREATE FUNCTION {_function_name(table)}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF TG_OP = 'INSERT' THEN
                    {BUMP} WHERE {NOT_YET_IN_THIS_TRANSACTION}
                        AND id IN (SELECT {person} FROM new_rows AS r);
                ELSIF TG_OP = 'DELETE' THEN
                    {BUMP} WHERE {NOT_YET_IN_THIS_TRANSACTION}
                        AND id IN (SELECT {person} FROM old_rows AS r);
                ELSE
                    {BUMP} WHERE {NOT_YET_IN_THIS_TRANSACTION}
                        AND id IN (SELECT {person} FROM old_rows AS r UNION SELECT {person} FROM new_rows AS r);
                END IF;
                RETURN NULL;
            END $$""")
        # PostgreSQL allows transition tables only on single-event triggers: one per event.
        transitions = {
            "insert": "NEW TABLE AS new_rows",
            "update": "OLD TABLE AS old_rows NEW TABLE AS new_rows",
            "delete": "OLD TABLE AS old_rows",
        }
        for event in EVENTS:
            statements.append(
                f"CREATE TRIGGER {_trigger_name(table, event)} AFTER {event.upper()} ON {table}"
                f" REFERENCING {transitions[event]} FOR EACH STATEMENT"
                f" EXECUTE FUNCTION {_function_name(table)}()"
            )

    # Transition tables cannot be combined with UPDATE OF a column list: compare old and new.
    statements.append(f"""
        CREATE FUNCTION {_function_name('organisation')}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            WITH renamed AS (
                SELECT n.id FROM new_rows AS n JOIN old_rows AS o ON o.id = n.id
                WHERE n.name IS DISTINCT FROM o.name OR n.org_number IS DISTINCT FROM o.org_number
            )
            {BUMP} WHERE {NOT_YET_IN_THIS_TRANSACTION}
                AND id IN ({PERSONS_AT_ORGANISATIONS.format(organisations="SELECT id FROM renamed")});
            RETURN NULL;
        END $$""")
    statements.append(
        f"CREATE TRIGGER {_trigger_name('organisation', 'update')} AFTER UPDATE ON organisation"
        " REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT"
        f" EXECUTE FUNCTION {_function_name('organisation')}()"
    )

    # A row trigger, but BEFORE: it changes the row being written instead of writing it again.
    statements.append(f"""
        CREATE FUNCTION {_function_name('person')}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            NEW.data_version := OLD.data_version + 1;
            RETURN NEW;
        END $$""")
    statements.append(
        f"CREATE TRIGGER {_trigger_name('person', 'update')} BEFORE UPDATE ON person FOR EACH ROW"
        " WHEN (NEW.data_version = OLD.data_version)"
        f" EXECUTE FUNCTION {_function_name('person')}()"
    )
    return statements


def _postgresql_drops() -> list[str]:
    statements = [f"DROP TRIGGER IF EXISTS {_trigger_name(table, event)} ON {table}"
                  for table in PERSON_OF_ROW for event in EVENTS]
    statements += [f"DROP TRIGGER IF EXISTS {_trigger_name('organisation', 'update')} ON organisation",
                   f"DROP TRIGGER IF EXISTS {_trigger_name('person', 'update')} ON person"]
    statements += [f"DROP FUNCTION IF EXISTS {_function_name(table)}()"
                   for table in (*PERSON_OF_ROW, "organisation", "person")]
    return statements
