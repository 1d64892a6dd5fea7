"""employer queue indexes

Revision ID: 0003_employer
Revises: 0002
Create Date: 2026-11-25 14:50:00
"""
from typing import Sequence, Union

from alembic import op

revision: str = "0003_employer"
down_revision: Union[str, None] = "0002"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

# The employer queue filters on organisation and status and sorts on the time received; with
# these indexes a page of 50 000 choices is read without scanning the table.
INDEXES = [
    ("ix_choice_org_status_chosen", "choice", ["organisation_id", "status", "chosen_at", "id"]),
    ("ix_choice_org_chosen", "choice", ["organisation_id", "chosen_at", "id"]),
    ("ix_choice_org_reported", "choice", ["organisation_id", "status", "report_batch_id"]),
    ("ix_person_name", "person", ["family_name", "given_name"]),
    ("ix_late_request_org_status", "latechoicerequest", ["organisation_id", "status"]),
]


def upgrade() -> None:
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns, unique=False)


def downgrade() -> None:
    for name, table, _columns in reversed(INDEXES):
        op.drop_index(name, table_name=table)
