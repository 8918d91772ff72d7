"""QLTA gateway: keeps the SPC's national Court Management System (QLTA) in step with ecourt."""
