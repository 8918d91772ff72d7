"""The access log says which personal data each view showed, and why identifiers were revealed.

- ``personal_fields``: the personal fields the view carried (``full_name``, ``cccd``, ``phone``), empty when
  the party registry could not be reached;
- ``party_ids``: whose data it was;
- ``revealed``: True when CCCD and phone were shown unmasked; ``reveal_reason``: the reason the viewer gave.

Revision ID: 0005
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("access_log", sa.Column("personal_fields", JSONB, nullable=False, server_default="[]"))
    op.add_column("access_log", sa.Column("party_ids", JSONB, nullable=False, server_default="[]"))
    op.add_column("access_log", sa.Column("revealed", sa.Boolean, nullable=False, server_default=sa.false()))
    op.add_column("access_log", sa.Column("reveal_reason", sa.String(500)))


def downgrade() -> None:
    for column in ("reveal_reason", "revealed", "party_ids", "personal_fields"):
        op.drop_column("access_log", column)
