"""The latest assignment keeps the trial panel and clerk; a reception entry is lodged on one step only.

- ``assignments.panel`` / ``assignments.clerk_id``: a panel announced by assignment before casefile has the case
  (events cross separate queues) is kept with the assignment and applied when the case arrives, instead of lost.
- ``ix_case_steps_reception``: lodging looks up the step of a reception entry on every retry; the unique index
  makes that a lookup instead of a scan and makes "one reception entry, one lodged step" a database rule.

Revision ID: 0007
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("assignments", sa.Column("panel", JSONB))
    op.add_column("assignments", sa.Column("clerk_id", sa.String(80)))
    op.create_index("ix_case_steps_reception", "case_steps", [sa.text("(params->>'reception_id')")], unique=True,
                    postgresql_where=sa.text("params ? 'reception_id'"))


def downgrade() -> None:
    op.drop_index("ix_case_steps_reception", table_name="case_steps")
    op.drop_column("assignments", "clerk_id")
    op.drop_column("assignments", "panel")
