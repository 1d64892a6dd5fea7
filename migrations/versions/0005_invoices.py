"""contribution invoices

Revision ID: 0005_invoices
Revises: 0004_register
"""
from typing import Sequence, Union

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0005_invoices"
down_revision: Union[str, None] = "0004_register"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        "invoice",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("half", sa.Integer(), nullable=False),
        sa.Column("issued_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("issued_by_id", sa.Integer(), nullable=True),
        sa.Column("lines", sa.Text(), nullable=False),
        sa.CheckConstraint("half IN (1, 2)", name="ck_invoice_half"),
        sa.ForeignKeyConstraint(["issued_by_id"], ["person.id"]),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisation.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("organisation_id", "year", "half", name="uq_invoice_org_period"),
    )
    with op.batch_alter_table("invoice", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_invoice_organisation_id"), ["organisation_id"], unique=False)


def downgrade() -> None:
    op.drop_table("invoice")
