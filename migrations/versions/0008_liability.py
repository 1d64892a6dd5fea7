"""pension liability calculations

Revision ID: 0008_liability
Revises: 0007_precalc
"""
from typing import Sequence, Union

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0008_liability"
down_revision: Union[str, None] = "0007_precalc"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table("liabilitycalculation",
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("organisation_id", sa.Integer(), nullable=False),
    sa.Column("at", sa.Date(), nullable=False),
    sa.Column("label", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column("assumptions", sa.Text(), nullable=False),
    sa.Column("totals", sa.Text(), nullable=False),
    sa.Column("persons", sa.Integer(), nullable=False),
    sa.Column("skipped", sa.Text(), server_default="[]", nullable=False),
    sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column("created_by", sa.Integer(), nullable=True),
    sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column("progress", sa.Integer(), nullable=False),
    sa.Column("heartbeat_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.CheckConstraint("status IN ('running', 'done', 'failed')", name="ck_liabilitycalculation_status"),
    sa.ForeignKeyConstraint(["created_by"], ["person.id"], ),
    sa.ForeignKeyConstraint(["organisation_id"], ["organisation.id"], ),
    sa.PrimaryKeyConstraint("id")
    )
    with op.batch_alter_table("liabilitycalculation", schema=None) as batch_op:
        batch_op.create_index("ix_liabilitycalculation_org_at", ["organisation_id", "at", "id"], unique=False)
        batch_op.create_index(batch_op.f("ix_liabilitycalculation_organisation_id"), ["organisation_id"], unique=False)

    op.create_table("liabilityrow",
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("calculation_id", sa.Integer(), nullable=False),
    sa.Column("person_id", sa.Integer(), nullable=False),
    sa.Column("category", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column("birth_date", sa.Date(), nullable=False),
    sa.Column("sex", sqlmodel.sql.sqltypes.AutoString(length=1), nullable=True),
    sa.Column("basis", sa.Text(), nullable=False),
    sa.Column("benefit_explanations", sa.Text(), nullable=False),
    sa.Column("parts", sa.Text(), nullable=False),
    sa.Column("expected_payments", sa.Text(), nullable=False),
    sa.Column("before_1998", sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column("from_1998", sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column("payroll_tax_before_1998", sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column("payroll_tax_from_1998", sa.Numeric(precision=14, scale=2), nullable=False),
    sa.CheckConstraint("category IN ('active', 'paid_up', 'pensioner')", name="ck_liabilityrow_category"),
    sa.ForeignKeyConstraint(["calculation_id"], ["liabilitycalculation.id"], ),
    sa.ForeignKeyConstraint(["person_id"], ["person.id"], ),
    sa.PrimaryKeyConstraint("id"),
    sa.UniqueConstraint("calculation_id", "person_id", name="uq_liabilityrow_calculation_person")
    )
    with op.batch_alter_table("liabilityrow", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_liabilityrow_calculation_id"), ["calculation_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_liabilityrow_person_id"), ["person_id"], unique=False)



def downgrade() -> None:
    with op.batch_alter_table("liabilityrow", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_liabilityrow_person_id"))
        batch_op.drop_index(batch_op.f("ix_liabilityrow_calculation_id"))

    op.drop_table("liabilityrow")
    with op.batch_alter_table("liabilitycalculation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_liabilitycalculation_organisation_id"))
        batch_op.drop_index("ix_liabilitycalculation_org_at")

    op.drop_table("liabilitycalculation")
