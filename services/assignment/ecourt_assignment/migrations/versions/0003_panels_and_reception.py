"""Lay assessors and clerks on the roster, trial panels, earlier-stage seats, stage rounds, the reception inbox.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("judges", sa.Column("kind", sa.String(10), nullable=False, server_default="judge"))
    op.create_check_constraint("ck_judges_kind", "judges", "kind IN ('judge', 'assessor', 'clerk')")
    op.add_column("inbox", sa.Column("round", sa.Integer, nullable=False, server_default="1"))
    op.add_column("inbox", sa.Column("stage_opened_from", sa.String(20)))
    op.drop_constraint("ck_draw_commitments_purpose", "draw_commitments")
    op.create_check_constraint("ck_draw_commitments_purpose", "draw_commitments",
                               "purpose IN ('assign', 'reassign', 'panel', 'panel_seat')")
    op.create_table(
        "panel_draws",
        sa.Column("draw_id", sa.String(40), sa.ForeignKey("draw_commitments.draw_id", name="fk_panel_draws_commitment"),
                  primary_key=True),
        sa.Column("case_id", sa.String(18), nullable=False, index=True),
        sa.Column("court_id", sa.String(20), nullable=False),
        sa.Column("round", sa.Integer, nullable=False),
        sa.Column("kind", sa.String(12), nullable=False),
        sa.Column("algorithm", sa.String(30), nullable=False),
        sa.Column("seed_commitment", sa.String(64), nullable=False),
        sa.Column("record", JSONB, nullable=False),
        sa.Column("reason", sa.Text),
        sa.Column("drawn_by", sa.String(80), nullable=False),
        sa.Column("drawn_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("kind IN ('panel', 'replacement')", name="ck_panel_draws_kind"),
    )
    op.create_table(
        "panel_seats",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("case_id", sa.String(18), nullable=False),
        sa.Column("court_id", sa.String(20), nullable=False),
        sa.Column("stage", sa.String(5), nullable=False),
        sa.Column("round", sa.Integer, nullable=False),
        sa.Column("seat", sa.String(30), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("member_id", sa.String(40), sa.ForeignKey("judges.judge_id"), nullable=False),
        sa.Column("method", sa.String(20), nullable=False),
        sa.Column("draw_id", sa.String(40)),
        sa.Column("weight", sa.Numeric(10, 4), nullable=False),
        sa.Column("accrual", sa.Numeric(14, 4), nullable=False),
        sa.Column("reason", sa.Text),
        sa.Column("assigned_by", sa.String(80), nullable=False),
        sa.Column("assigned_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True)),
        sa.Column("end_reason", sa.Text),
        sa.CheckConstraint("method IN ('random', 'designation', 'assigned')", name="ck_panel_seats_method"),
        sa.CheckConstraint("method <> 'designation' OR reason IS NOT NULL", name="ck_panel_seats_designation_reason"),
    )
    op.create_index("ix_panel_seats_case", "panel_seats", ["case_id", "round"])
    op.create_index("uq_panel_seats_active_seat", "panel_seats", ["case_id", "round", "seat"], unique=True,
                    postgresql_where=sa.text("active"))
    op.create_index("uq_panel_seats_active_member", "panel_seats", ["case_id", "round", "member_id"], unique=True,
                    postgresql_where=sa.text("active"))
    op.create_table(
        "past_seats",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("case_id", sa.String(18), nullable=False, index=True),
        sa.Column("court_id", sa.String(20), nullable=False),
        sa.Column("stage", sa.String(5), nullable=False),
        sa.Column("round", sa.Integer, nullable=False),
        sa.Column("member_id", sa.String(40), nullable=False),
        sa.Column("seat", sa.String(30), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("case_id", "round", "member_id", "seat", name="uq_past_seats"),
    )
    op.create_table(
        "reception_items",
        sa.Column("reception_id", sa.String(40), primary_key=True),
        sa.Column("court_id", sa.String(20), nullable=False),
        sa.Column("reception_number", sa.String(60), nullable=False),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("case_type", sa.String(10)),
        sa.Column("stage", sa.String(5)),
        sa.Column("channel", sa.String(30)),
        sa.Column("received_at", sa.DateTime(timezone=True)),
        sa.Column("counts_from", sa.Date),
        sa.Column("counting_basis", sa.String(30)),
        sa.Column("related_case_id", sa.String(60)),
        sa.Column("document_count", sa.Integer),
        sa.Column("party_count", sa.Integer),
        sa.Column("decision_id", sa.String(40)),
        sa.Column("decision", sa.String(30)),
        sa.Column("decided_by", sa.String(80)),
        sa.Column("decided_at", sa.DateTime(timezone=True)),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_reception_items_court", "reception_items", ["court_id", "received_at"])
    op.create_table(
        "reception_decisions",
        sa.Column("decision_id", sa.String(40), primary_key=True),
        sa.Column("reception_id", sa.String(40), nullable=False, index=True),
        sa.Column("court_id", sa.String(20), nullable=False),
        sa.Column("reception_number", sa.String(60), nullable=False),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("case_type", sa.String(10)),
        sa.Column("decision", sa.String(30), nullable=False),
        sa.Column("decided_by", sa.String(80), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.Text),
        sa.Column("amendment_due_on", sa.Date),
        sa.Column("transfer_to_court", sa.String(20)),
        sa.Column("case_id", sa.String(40)),
        sa.Column("acceptance_number", sa.String(40)),
    )
    op.create_index("ix_reception_decisions_court", "reception_decisions", ["court_id", "decided_at"])


def downgrade() -> None:
    for table in ("reception_decisions", "reception_items", "past_seats", "panel_seats", "panel_draws"):
        op.drop_table(table)
    op.drop_constraint("ck_draw_commitments_purpose", "draw_commitments")
    op.create_check_constraint("ck_draw_commitments_purpose", "draw_commitments", "purpose IN ('assign', 'reassign')")
    op.drop_column("inbox", "stage_opened_from")
    op.drop_column("inbox", "round")
    op.drop_constraint("ck_judges_kind", "judges")
    op.drop_column("judges", "kind")
