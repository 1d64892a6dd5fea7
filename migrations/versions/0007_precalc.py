"""saved pre-calculations

Revision ID: 0007_precalc
Revises: 0006_retirement
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0007_precalc"
down_revision: str | None = "0006_retirement"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "precalculation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), server_default="", nullable=False),
        sa.Column("addressee", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("calculation_date", sa.Date(), nullable=False),
        sa.Column("agreement", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("retirement_age", sa.Integer(), nullable=False),
        sa.Column("total_monthly", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("request_snapshot", sa.Text(), nullable=False),
        sa.Column("simulation_snapshot", sa.Text(), nullable=False),
        sa.Column("survivors_snapshot", sa.Text(), nullable=True),
        sa.CheckConstraint("addressee IN ('employee', 'employer')", name="ck_precalculation_addressee"),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisation.id"]),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"]),
        sa.ForeignKeyConstraint(["created_by"], ["person.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_precalculation_org_created", "precalculation", ["organisation_id", "created_at"])
    op.create_index("ix_precalculation_person_created", "precalculation", ["person_id", "created_at"])


def downgrade() -> None:
    op.drop_index("ix_precalculation_person_created", table_name="precalculation")
    op.drop_index("ix_precalculation_org_created", table_name="precalculation")
    op.drop_table("precalculation")
