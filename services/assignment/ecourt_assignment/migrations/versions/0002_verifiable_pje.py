"""Commitments before draws, availability, conflicts, related cases, designation reasons, moves.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("inbox", sa.Column("has_minor", sa.Boolean, nullable=False, server_default=sa.text("false")))
    op.create_table(
        "case_parties",
        sa.Column("case_id", sa.String(18), primary_key=True),
        sa.Column("party_id", sa.String(80), primary_key=True),
        sa.Column("court_id", sa.String(20), nullable=False),
    )
    op.create_index("ix_case_parties_court_party", "case_parties", ["court_id", "party_id"])
    op.create_table(
        "draw_commitments",
        sa.Column("draw_id", sa.String(40), primary_key=True),
        sa.Column("case_id", sa.String(18), nullable=False, index=True),
        sa.Column("court_id", sa.String(20), nullable=False),
        sa.Column("algorithm", sa.String(30), nullable=False),
        sa.Column("seed_commitment", sa.String(64), nullable=False, unique=True),
        sa.Column("seed", sa.String(64), nullable=False),
        sa.Column("purpose", sa.String(20), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("committed_by", sa.String(80), nullable=False),
        sa.Column("committed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True)),
        sa.Column("void_reason", sa.Text),
        sa.Column("event_id", sa.String(64)),
        sa.Column("seen_on_bus_at", sa.DateTime(timezone=True)),
        sa.CheckConstraint("status IN ('open', 'used', 'void')", name="ck_draw_commitments_status"),
        sa.CheckConstraint("purpose IN ('assign', 'reassign')", name="ck_draw_commitments_purpose"),
    )
    # draws made before this revision committed in the same transaction: keep them as used commitments
    op.execute("""
        INSERT INTO draw_commitments (draw_id, case_id, court_id, algorithm, seed_commitment, seed, purpose, status,
                                      committed_by, committed_at, expires_at, closed_at)
        SELECT draw_id, case_id, court_id, algorithm, seed_commitment, seed, 'assign', 'used', drawn_by, created_at,
               created_at, drawn_at
        FROM draws WHERE seed IS NOT NULL""")
    op.execute("DELETE FROM draws WHERE seed IS NULL")
    op.create_foreign_key("fk_draws_commitment", "draws", "draw_commitments", ["draw_id"], ["draw_id"])
    op.add_column("draws", sa.Column("excluded", JSONB))
    op.add_column("draws", sa.Column("escape", sa.Boolean))
    op.add_column("assignments", sa.Column("reason", sa.Text))
    op.add_column("assignments", sa.Column("reassigned_from", sa.String(40)))
    op.create_check_constraint("ck_assignments_designation_reason", "assignments",
                               "method <> 'designation' OR reason IS NOT NULL")
    op.create_table(
        "unavailability",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("judge_id", sa.String(40), sa.ForeignKey("judges.judge_id"), nullable=False, index=True),
        sa.Column("court_id", sa.String(20), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("starts_on", sa.Date, nullable=False),
        sa.Column("ends_on", sa.Date, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("recorded_by", sa.String(80), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("kind IN ('leave', 'secondment')", name="ck_unavailability_kind"),
        sa.CheckConstraint("ends_on >= starts_on", name="ck_unavailability_period"),
    )
    op.create_table(
        "conflicts",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("court_id", sa.String(20), nullable=False),
        sa.Column("case_id", sa.String(18), nullable=False, index=True),
        sa.Column("judge_id", sa.String(40), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("declared_by", sa.String(80), nullable=False),
        sa.Column("declared_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("kind IN ('recusal', 'earlier_stage')", name="ck_conflicts_kind"),
        sa.UniqueConstraint("case_id", "judge_id", "kind", name="uq_conflicts_case_judge_kind"),
    )
    op.create_table(
        "assignment_moves",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("case_id", sa.String(18), nullable=False, index=True),
        sa.Column("court_id", sa.String(20), nullable=False),
        sa.Column("from_judge_id", sa.String(40), nullable=False),
        sa.Column("to_judge_id", sa.String(40), nullable=False),
        sa.Column("method", sa.String(20), nullable=False),
        sa.Column("draw_id", sa.String(40)),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("compensation", sa.Numeric(14, 4), nullable=False),
        sa.Column("moved_by", sa.String(80), nullable=False),
        sa.Column("moved_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    for table in ("assignment_moves", "conflicts", "unavailability"):
        op.drop_table(table)
    op.drop_constraint("ck_assignments_designation_reason", "assignments")
    op.drop_column("assignments", "reassigned_from")
    op.drop_column("assignments", "reason")
    op.drop_column("draws", "escape")
    op.drop_column("draws", "excluded")
    op.drop_constraint("fk_draws_commitment", "draws", type_="foreignkey")
    op.drop_table("draw_commitments")
    op.drop_index("ix_case_parties_court_party", "case_parties")
    op.drop_table("case_parties")
    op.drop_column("inbox", "has_minor")
