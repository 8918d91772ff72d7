"""The import report: what was imported and what was refused and why, in Vietnamese and English."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any


@dataclass
class ImportReport:
    manifest: str
    court_id: str
    total: int = 0
    imported: int = 0  # new cases this run
    already_imported: int = 0  # recorded in an earlier run, or answered as a replay
    rejected: list[dict[str, Any]] = field(default_factory=list)
    failed: list[dict[str, Any]] = field(default_factory=list)  # no answer (broker or service down): rerun

    def as_json(self) -> dict[str, Any]:
        return {
            "manifest": self.manifest, "court_id": self.court_id,
            "finished_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "total": self.total, "imported": self.imported, "already_imported": self.already_imported,
            "rejected_count": len(self.rejected), "failed_count": len(self.failed),
            "rejected": sorted(self.rejected, key=lambda r: r["line"]),
            "failed": sorted(self.failed, key=lambda r: r["line"]),
        }

    def as_text(self) -> str:
        out = [
            f"Báo cáo nhập hồ sơ lưu trữ / Archive import report: {self.manifest} (tòa / court {self.court_id})",
            f"Tổng số / total entries: {self.total}",
            f"Nhập mới / newly imported: {self.imported}",
            f"Đã có từ trước / already imported: {self.already_imported}",
            f"Bị từ chối / rejected: {len(self.rejected)}",
            f"Chưa gửi được (chạy lại) / not sent, rerun: {len(self.failed)}",
        ]
        for title, items in (("Bị từ chối / Rejected", self.rejected), ("Chưa gửi được / Failed", self.failed)):
            if items:
                out += ["", f"{title}:"]
            for item in sorted(items, key=lambda r: r["line"]):
                out.append(f"- dòng / line {item['line']} ({item['label']}):")
                for error in item["errors"]:
                    out.append(f"    {error['field']} [{error['code']}]")
                    out.append(f"      vi: {error['message_vi']}")
                    out.append(f"      en: {error['message_en']}")
        return "\n".join(out) + "\n"

    def write(self, base: Path) -> tuple[Path, Path]:
        base.parent.mkdir(parents=True, exist_ok=True)
        json_path, text_path = base.with_suffix(".json"), base.with_suffix(".txt")
        json_path.write_text(json.dumps(self.as_json(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        text_path.write_text(self.as_text(), encoding="utf-8")
        return json_path, text_path
