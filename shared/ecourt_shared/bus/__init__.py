"""The bus kit: topology, transactional outbox and relay, idempotent consumers, dead letters."""
