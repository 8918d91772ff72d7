"""MongoDB client: the real server in production, the nx-27017 wire server on developer machines."""

from __future__ import annotations

from functools import lru_cache

from pymongo import MongoClient

from ecourt_shared.settings import Settings


@lru_cache(maxsize=4)
def _client(url: str) -> MongoClient:
    return MongoClient(url, serverSelectionTimeoutMS=3000, tz_aware=True)


def mongo_client(settings: Settings) -> MongoClient:
    return _client(settings.mongo_url)


def service_database(settings: Settings, service: str):
    return mongo_client(settings)[f"{settings.db_prefix}_{service}"]
