"""Stats: the court's statistics read model (counts by type and status, workload, overdue lists)."""
