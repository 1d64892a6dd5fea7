"""PostgreSQL tells listening app processes whose data version changed

Revision ID: 0010_person_data_notices
Revises: 0009_person_data_version

Every change of ``person.data_version`` (bumped by the triggers of 0009) and every deleted person
sends the person's id on the channel ``person_data`` when the transaction commits, so each app
process forgets that person's kept version at once (webapp/person_versions.py). SQLite has no
notices: there, the app reads the version on every page.
"""
from typing import Sequence, Union

from alembic import op

revision: str = "0010_person_data_notices"
down_revision: Union[str, None] = "0009_person_data_version"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

CHANNEL = "person_data"  # webapp/person_versions.py CHANNEL


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(f"""
        CREATE FUNCTION person_data_notice() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'DELETE' THEN
                PERFORM pg_notify('{CHANNEL}', OLD.id::text);
            ELSE
                PERFORM pg_notify('{CHANNEL}', NEW.id::text);
            END IF;
            RETURN NULL;
        END $$""")
    # Not "UPDATE OF data_version": that skips the bump a BEFORE trigger makes (a changed name).
    op.execute("CREATE TRIGGER person_data_notice_update AFTER UPDATE ON person FOR EACH ROW"
               " WHEN (OLD.data_version IS DISTINCT FROM NEW.data_version) EXECUTE FUNCTION person_data_notice()")
    op.execute("CREATE TRIGGER person_data_notice_delete AFTER DELETE ON person FOR EACH ROW"
               " EXECUTE FUNCTION person_data_notice()")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP TRIGGER IF EXISTS person_data_notice_delete ON person")
    op.execute("DROP TRIGGER IF EXISTS person_data_notice_update ON person")
    op.execute("DROP FUNCTION IF EXISTS person_data_notice()")
