"""Database kit: one PostgreSQL database per service, bus tables, unit of work, migrations."""

from ecourt_shared.db.engine import ensure_database, make_engine
from ecourt_shared.db.tables import add_bus_tables
from ecourt_shared.db.uow import UnitOfWork, UnitOfWorkFactory

__all__ = ["UnitOfWork", "UnitOfWorkFactory", "add_bus_tables", "ensure_database", "make_engine"]
