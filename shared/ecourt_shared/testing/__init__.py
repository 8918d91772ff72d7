"""Test support: isolated environments on the real components, service processes, tokens, PDFs.

Loaded as a pytest plugin by the repository's root ``conftest.py``. Every test session gets its own
PostgreSQL database prefix and its own RabbitMQ virtual host, so a test run never touches a running
``ecourt up`` system or another run's queues.
"""
