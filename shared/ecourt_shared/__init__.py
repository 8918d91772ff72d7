"""Contracts, bus kit, settings, telemetry, auth and identifiers shared by every ecourt service.

Holds no business state: every service owns its own store.
"""
