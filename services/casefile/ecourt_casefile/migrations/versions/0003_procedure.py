"""Procedure as data: machine state, stages, steps, deadline lifecycle.

- ``case_state`` gains the machine state, the stage sequence number, panel, clerk and case attributes.
- ``case_stages``: each stage the case went through (ST, PT, GĐT, TT), at which court, how it ended.
- ``case_steps``: every step recorded, who recorded it and with which parameters.
- ``deadlines``: one row per (case, stage, rule), with its purpose, status (open, paused, met, missed),
  extensions and the instants the approaching / missed events were sent.

Revision ID: 0003
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("case_state", sa.Column("stage_seq", sa.Integer, nullable=False, server_default="1"))
    op.add_column("case_state", sa.Column("state", sa.String(30), nullable=False, server_default="preparing"))
    op.add_column("case_state", sa.Column("panel", JSONB, nullable=False, server_default="[]"))
    op.add_column("case_state", sa.Column("clerk_id", sa.String(80)))
    op.add_column("case_state", sa.Column("attributes", JSONB, nullable=False, server_default="{}"))
    op.create_table(
        "case_stages",
        sa.Column("case_id", sa.String(18), primary_key=True),
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("stage", sa.String(5), nullable=False),
        sa.Column("court_id", sa.String(20), nullable=False),
        sa.Column("opened_on", sa.Date, nullable=False),
        sa.Column("opened_by", sa.String(40), nullable=False),
        sa.Column("outcome", sa.String(40)),
    )
    op.execute("INSERT INTO case_stages (case_id, seq, stage, court_id, opened_on, opened_by) "
               "SELECT case_id, 1, stage, court_id, accepted_on, 'case_received' FROM case_state")
    op.create_table(
        "case_steps",
        sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=True),
        sa.Column("case_id", sa.String(18), nullable=False),
        sa.Column("stage_seq", sa.Integer, nullable=False),
        sa.Column("stage", sa.String(5), nullable=False),
        sa.Column("court_id", sa.String(20), nullable=False),
        sa.Column("step", sa.String(40), nullable=False),
        sa.Column("from_state", sa.String(30), nullable=False),
        sa.Column("to_state", sa.String(30), nullable=False),
        sa.Column("on_date", sa.Date, nullable=False),
        sa.Column("params", JSONB, nullable=False),
        sa.Column("user_id", sa.String(80), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Index("ix_case_steps_case", "case_id", "id"),
    )
    op.add_column("deadlines", sa.Column("stage_seq", sa.Integer, nullable=False, server_default="1"))
    op.add_column("deadlines", sa.Column("purpose", sa.String(20), nullable=False, server_default="preparation"))
    op.add_column("deadlines", sa.Column("rule_stage", sa.String(5), nullable=False, server_default="ST"))
    op.add_column("deadlines", sa.Column("variant", sa.String(40)))
    op.add_column("deadlines", sa.Column("trigger_on", sa.Date))
    op.add_column("deadlines", sa.Column("status", sa.String(10), nullable=False, server_default="open"))
    op.add_column("deadlines", sa.Column("extension_used", sa.Integer, nullable=False, server_default="0"))
    op.add_column("deadlines", sa.Column("extensions", sa.Integer, nullable=False, server_default="0"))
    op.add_column("deadlines", sa.Column("approaching_sent_at", sa.DateTime(timezone=True)))
    op.add_column("deadlines", sa.Column("missed_sent_at", sa.DateTime(timezone=True)))
    op.execute("UPDATE deadlines d SET trigger_on = s.accepted_on FROM case_state s WHERE s.case_id = d.case_id")
    op.execute("UPDATE deadlines SET trigger_on = due_on WHERE trigger_on IS NULL")
    op.alter_column("deadlines", "trigger_on", nullable=False)
    op.drop_constraint("deadlines_pkey", "deadlines", type_="primary")
    op.create_primary_key("deadlines_pkey", "deadlines", ["case_id", "stage_seq", "rule_id"])
    op.create_index("ix_deadlines_open_due", "deadlines", ["status", "due_on"])


def downgrade() -> None:
    op.drop_index("ix_deadlines_open_due", "deadlines")
    op.drop_constraint("deadlines_pkey", "deadlines", type_="primary")
    op.execute("DELETE FROM deadlines WHERE stage_seq <> 1")
    op.create_primary_key("deadlines_pkey", "deadlines", ["case_id", "rule_id"])
    for column in ("missed_sent_at", "approaching_sent_at", "extensions", "extension_used", "status", "trigger_on",
                   "variant", "rule_stage", "purpose", "stage_seq"):
        op.drop_column("deadlines", column)
    op.drop_table("case_steps")
    op.drop_table("case_stages")
    for column in ("attributes", "clerk_id", "panel", "state", "stage_seq"):
        op.drop_column("case_state", column)
