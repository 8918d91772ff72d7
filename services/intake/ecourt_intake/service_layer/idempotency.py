"""Client keys: a retried request returns the first result; the same key for another request is a conflict."""

from __future__ import annotations

import hashlib
import json
from typing import Any, TypeVar

from pydantic import BaseModel

from ecourt_shared.contracts.errors import Conflict

M = TypeVar("M", bound=BaseModel)


def fingerprint(request: BaseModel) -> str:
    # Defaults are left out so that a contract gaining an optional field (or a client spelling out a default)
    # still recognises a retried request as the same one.
    body = request.model_dump(mode="json", exclude={"idempotency_key"}, exclude_defaults=True)
    return hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()


def replay(model: type[M], previous: tuple[str, dict[str, Any]], request_sha256: str) -> M:
    if previous[0] != request_sha256:
        raise Conflict({"errors": [{
            "field": "idempotency_key", "code": "idempotency_key.reused",
            "message_vi": "Khóa chống trùng lặp đã được dùng cho một hồ sơ khác.",
            "message_en": "this idempotency key was already used for a different filing"}]})
    return model.model_validate({**previous[1], "replayed": True})
