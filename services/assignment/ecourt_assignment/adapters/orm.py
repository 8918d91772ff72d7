"""Assignment's tables: the judge roster with running loads, the president's inbox, draws and assignments."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Numeric,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB

from ecourt_shared.db import add_bus_tables

metadata = MetaData()

INBOX_STATUSES = ("awaiting_assignment", "assigned")
METHODS = ("random", "designation")
COMMITMENT_STATUSES = ("open", "used", "void")

# One row per judge seat. load_total only ever changes inside a draw's transaction, with the row locked.
judges = Table(
    "judges", metadata,
    Column("judge_id", String(40), primary_key=True),
    Column("court_id", String(20), nullable=False, index=True),
    Column("full_name", String(200), nullable=False),
    Column("specializations", ARRAY(String(30)), nullable=False),
    Column("capacity", Numeric(5, 4), nullable=False),
    Column("active", Boolean, nullable=False),
    Column("load_total", Numeric(14, 4), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    # the roster holds judges, lay assessors (hội thẩm nhân dân) and clerks (thư ký; id = the clerk's user id)
    Column("kind", String(10), nullable=False, server_default=text("'judge'")),
    CheckConstraint("capacity > 0 AND capacity <= 1", name="ck_judges_capacity"),
    CheckConstraint("kind IN ('judge', 'assessor', 'clerk')", name="ck_judges_kind"),
    CheckConstraint("load_total >= 0", name="ck_judges_load_total"),
)

# Cases accepted by intake (case_received), waiting in the president's inbox until assigned.
inbox = Table(
    "inbox", metadata,
    Column("case_id", String(18), primary_key=True),
    Column("court_id", String(20), nullable=False),
    Column("case_type", String(10), nullable=False),
    Column("stage", String(5), nullable=False),
    Column("acceptance_number", String(40), nullable=False),
    Column("subject", String(500), nullable=False),
    Column("party_count", Integer, nullable=False),
    Column("accepted_at", DateTime(timezone=True), nullable=False),
    Column("received_at", DateTime(timezone=True), nullable=False),
    Column("status", String(30), nullable=False),
    Column("has_minor", Boolean, nullable=False, server_default=text("false")),
    # 1 at the first stage; +1 each time the case opens a stage (appeal, cassation, retrial) or moves court
    Column("round", Integer, nullable=False, server_default=text("1")),
    Column("stage_opened_from", String(20)),  # the court the case came from when this round opened
    CheckConstraint("status IN ('awaiting_assignment', 'assigned')", name="ck_inbox_status"),
    Index("ix_inbox_court_status", "court_id", "status", "accepted_at"),
)

# The party ids of every received case: cases of the court sharing a party are related (flagged, never moved).
case_parties = Table(
    "case_parties", metadata,
    Column("case_id", String(18), primary_key=True),
    Column("party_id", String(80), primary_key=True),
    Column("court_id", String(20), nullable=False),
    Index("ix_case_parties_court_party", "court_id", "party_id"),
)

# Seed commitments, each committed (with a draw_committed event in the outbox) in its own transaction BEFORE
# its draw. The seed stays here, unrevealed, until the draw uses it (status 'used') or it is voided ('void':
# the case was assigned meanwhile, or the commitment grew too old); then it is revealed in the draw record or
# by the void row, so a discarded commitment shows too.
draw_commitments = Table(
    "draw_commitments", metadata,
    Column("draw_id", String(40), primary_key=True),
    Column("case_id", String(18), nullable=False, index=True),
    Column("court_id", String(20), nullable=False),
    Column("algorithm", String(30), nullable=False),
    Column("seed_commitment", String(64), nullable=False, unique=True),
    Column("seed", String(64), nullable=False),
    Column("purpose", String(20), nullable=False),
    Column("status", String(10), nullable=False),
    Column("committed_by", String(80), nullable=False),
    Column("committed_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("closed_at", DateTime(timezone=True)),
    Column("void_reason", Text),
    Column("event_id", String(64)),
    Column("seen_on_bus_at", DateTime(timezone=True)),
    CheckConstraint("status IN ('open', 'used', 'void')", name="ck_draw_commitments_status"),
    CheckConstraint("purpose IN ('assign', 'reassign', 'panel', 'panel_seat')", name="ck_draw_commitments_purpose"),
)

# Every draw, replayable: the commitment is written first, the seed and the results with the outcome.
draws = Table(
    "draws", metadata,
    Column("draw_id", String(40), ForeignKey("draw_commitments.draw_id", name="fk_draws_commitment"),
           primary_key=True),
    Column("case_id", String(18), nullable=False, index=True),
    Column("court_id", String(20), nullable=False),
    Column("algorithm", String(30), nullable=False),
    Column("seed_commitment", String(64), nullable=False),
    Column("seed", String(64)),
    Column("weight", JSONB),  # the case weight and how it was computed (table version, factors)
    Column("parameters", JSONB),  # max_distance, outsider_chance
    Column("candidates", JSONB),  # every competent judge: capacity, total, distance, in_band, entered
    Column("eligible", JSONB),  # judge ids of the eligible set
    Column("winner_judge_id", String(40)),
    Column("accrual", Numeric(14, 4)),
    Column("random_blocks_used", Integer),
    Column("created_at", DateTime(timezone=True), nullable=False),  # when the commitment was recorded
    Column("drawn_at", DateTime(timezone=True)),
    Column("drawn_by", String(80), nullable=False),
    Column("excluded", JSONB),  # competent judges kept out (unavailable, conflicted, leaving seat) with the reason
    Column("escape", Boolean),  # the winner entered by the outsider chance
)

assignments = Table(
    "assignments", metadata,
    Column("case_id", String(18), primary_key=True),
    Column("court_id", String(20), nullable=False),
    Column("judge_id", String(40), ForeignKey("judges.judge_id"), nullable=False),
    Column("method", String(20), nullable=False),
    Column("draw_id", String(40), ForeignKey("draws.draw_id")),
    Column("assigned_by", String(80), nullable=False),
    Column("assigned_at", DateTime(timezone=True), nullable=False),
    Column("weight", Numeric(10, 4), nullable=False),  # the case weight
    Column("accrual", Numeric(14, 4), nullable=False),  # what the judge's load total grew by
    Column("reason", Text),  # mandatory for a designation; a reassignment's reason
    Column("reassigned_from", String(40)),
    CheckConstraint("method IN ('random', 'designation')", name="ck_assignments_method"),
    CheckConstraint("method <> 'designation' OR reason IS NOT NULL", name="ck_assignments_designation_reason"),
    Index("ix_assignments_court_judge", "court_id", "judge_id"),
)

# Leave and secondment: a judge takes no new case on these days (inclusive).
unavailability = Table(
    "unavailability", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("judge_id", String(40), ForeignKey("judges.judge_id"), nullable=False, index=True),
    Column("court_id", String(20), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("starts_on", Date, nullable=False),
    Column("ends_on", Date, nullable=False),
    Column("reason", Text, nullable=False),
    Column("recorded_by", String(80), nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    CheckConstraint("kind IN ('leave', 'secondment')", name="ck_unavailability_kind"),
    CheckConstraint("ends_on >= starts_on", name="ck_unavailability_period"),
)

# Judges who must not sit on a case: a declared recusal, or a seat at an earlier stage of the same case.
conflicts = Table(
    "conflicts", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("court_id", String(20), nullable=False),
    Column("case_id", String(18), nullable=False, index=True),
    Column("judge_id", String(40), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("reason", Text, nullable=False),
    Column("declared_by", String(80), nullable=False),
    Column("declared_at", DateTime(timezone=True), nullable=False),
    CheckConstraint("kind IN ('recusal', 'earlier_stage')", name="ck_conflicts_kind"),
    UniqueConstraint("case_id", "judge_id", "kind", name="uq_conflicts_case_judge_kind"),
)

# Every move of an assigned case: who it left, who took it, why, and the weight taken off the judge it left.
assignment_moves = Table(
    "assignment_moves", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("case_id", String(18), nullable=False, index=True),
    Column("court_id", String(20), nullable=False),
    Column("from_judge_id", String(40), nullable=False),
    Column("to_judge_id", String(40), nullable=False),
    Column("method", String(20), nullable=False),
    Column("draw_id", String(40)),
    Column("reason", Text, nullable=False),
    Column("compensation", Numeric(14, 4), nullable=False),  # subtracted from the judge the case left
    Column("moved_by", String(80), nullable=False),
    Column("moved_at", DateTime(timezone=True), nullable=False),
)

# A panel draw (every seat from one committed seed) or the draw of one replacement seat; the full record replays.
panel_draws = Table(
    "panel_draws", metadata,
    Column("draw_id", String(40), ForeignKey("draw_commitments.draw_id", name="fk_panel_draws_commitment"),
           primary_key=True),
    Column("case_id", String(18), nullable=False, index=True),
    Column("court_id", String(20), nullable=False),
    Column("round", Integer, nullable=False),
    Column("kind", String(12), nullable=False),
    Column("algorithm", String(30), nullable=False),
    Column("seed_commitment", String(64), nullable=False),
    Column("record", JSONB, nullable=False),
    Column("reason", Text),  # the president's reason (complex composition, substitutes, replacement)
    Column("drawn_by", String(80), nullable=False),
    Column("drawn_at", DateTime(timezone=True), nullable=False),
    CheckConstraint("kind IN ('panel', 'replacement')", name="ck_panel_draws_kind"),
)

# Who sits on the trial panel of a case's current round. A replaced member's row stays, inactive, with why.
panel_seats = Table(
    "panel_seats", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("case_id", String(18), nullable=False),
    Column("court_id", String(20), nullable=False),
    Column("stage", String(5), nullable=False),
    Column("round", Integer, nullable=False),
    Column("seat", String(30), nullable=False),
    Column("kind", String(10), nullable=False),
    Column("member_id", String(40), ForeignKey("judges.judge_id"), nullable=False),
    Column("method", String(20), nullable=False),  # random, designation, or assigned (the presiding judge)
    Column("draw_id", String(40)),
    Column("weight", Numeric(10, 4), nullable=False),
    Column("accrual", Numeric(14, 4), nullable=False),  # what the member's load grew by for this seat
    Column("reason", Text),
    Column("assigned_by", String(80), nullable=False),
    Column("assigned_at", DateTime(timezone=True), nullable=False),
    Column("active", Boolean, nullable=False),
    Column("ended_at", DateTime(timezone=True)),
    Column("end_reason", Text),
    CheckConstraint("method IN ('random', 'designation', 'assigned')", name="ck_panel_seats_method"),
    CheckConstraint("method <> 'designation' OR reason IS NOT NULL", name="ck_panel_seats_designation_reason"),
    Index("ix_panel_seats_case", "case_id", "round"),
    Index("uq_panel_seats_active_seat", "case_id", "round", "seat", unique=True, postgresql_where=text("active")),
    Index("uq_panel_seats_active_member", "case_id", "round", "member_id", unique=True,
          postgresql_where=text("active")),
)

# Everyone who sat on the case in a round that has closed: kept out of every later round automatically.
past_seats = Table(
    "past_seats", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("case_id", String(18), nullable=False, index=True),
    Column("court_id", String(20), nullable=False),
    Column("stage", String(5), nullable=False),
    Column("round", Integer, nullable=False),
    Column("member_id", String(40), nullable=False),
    Column("seat", String(30), nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("case_id", "round", "member_id", "seat", name="uq_past_seats"),
)

# The president's view of the reception register (reception_registered / reception_decided), any order.
reception_items = Table(
    "reception_items", metadata,
    Column("reception_id", String(40), primary_key=True),
    Column("court_id", String(20), nullable=False),
    Column("reception_number", String(60), nullable=False),
    Column("kind", String(30), nullable=False),
    Column("case_type", String(10)),
    Column("stage", String(5)),
    Column("channel", String(30)),
    Column("received_at", DateTime(timezone=True)),  # null until reception_registered has been seen
    Column("counts_from", Date),
    Column("counting_basis", String(30)),
    Column("related_case_id", String(60)),
    Column("document_count", Integer),
    Column("party_count", Integer),
    Column("decision_id", String(40)),  # the latest decision (by decided_at)
    Column("decision", String(30)),
    Column("decided_by", String(80)),
    Column("decided_at", DateTime(timezone=True)),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Index("ix_reception_items_court", "court_id", "received_at"),
)

reception_decisions = Table(
    "reception_decisions", metadata,
    Column("decision_id", String(40), primary_key=True),
    Column("reception_id", String(40), nullable=False, index=True),
    Column("court_id", String(20), nullable=False),
    Column("reception_number", String(60), nullable=False),
    Column("kind", String(30), nullable=False),
    Column("case_type", String(10)),
    Column("decision", String(30), nullable=False),
    Column("decided_by", String(80), nullable=False),
    Column("decided_at", DateTime(timezone=True), nullable=False),
    Column("reason", Text),
    Column("amendment_due_on", Date),
    Column("transfer_to_court", String(20)),
    Column("case_id", String(40)),
    Column("acceptance_number", String(40)),
    Index("ix_reception_decisions_court", "court_id", "decided_at"),
)

outbox, processed_events = add_bus_tables(metadata)
