"""Which judgments and decisions may not be published: Resolution 03/2017/NQ-HĐTP, art. 4, as data.

Art. 4 [verify numbering against the gazetted text]: (1) cases tried in a closed hearing (xét xử kín);
(2) cases tried in public whose judgment (a) contains state secrets, (b) contains business secrets a participant
asked to keep, (c) harms fine customs and traditions, (d) has a participant under 18, (đ) contains personal or
family secrets not yet encoded per art. 7; (3) judgments and decisions not yet in legal effect.

Three of them casefile knows by itself (closed hearing, a minor among the parties, legal effect); the others are
the judge's assessment, recorded as a flag with its reason (``flag_publication``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class BlockRule:
    code: str
    automatic: bool  # found by casefile from the case's data, not flagged by the judge
    citation_vi: str
    citation_en: str
    reason_vi: str
    reason_en: str


_NQ = "Nghị quyết 03/2017/NQ-HĐTP"
_RES = "Resolution 03/2017/NQ-HĐTP"

RULES: dict[str, BlockRule] = {r.code: r for r in (
    BlockRule("closed_hearing", True, f"Khoản 1 Điều 4 {_NQ}", f"{_RES}, art. 4(1)",
              "vụ án được xét xử kín", "the case was tried in a closed hearing"),
    BlockRule("state_secret", False, f"Điểm a khoản 2 Điều 4 {_NQ}", f"{_RES}, art. 4(2)(a)",
              "có nội dung thuộc bí mật nhà nước", "it contains state secrets"),
    BlockRule("business_secret", False, f"Điểm b khoản 2 Điều 4 {_NQ}", f"{_RES}, art. 4(2)(b)",
              "có bí mật kinh doanh mà người tham gia tố tụng yêu cầu giữ bí mật",
              "it contains business secrets a participant asked to keep"),
    BlockRule("customs", False, f"Điểm c khoản 2 Điều 4 {_NQ}", f"{_RES}, art. 4(2)(c)",
              "có nội dung ảnh hưởng xấu đến thuần phong mỹ tục",
              "it contains content harmful to fine customs and traditions"),
    BlockRule("minor", True, f"Điểm d khoản 2 Điều 4 {_NQ}", f"{_RES}, art. 4(2)(d)",
              "có người tham gia tố tụng là người dưới 18 tuổi", "a participant is under 18"),
    BlockRule("personal_family_secret", False, f"Điểm đ khoản 2 Điều 4 {_NQ}", f"{_RES}, art. 4(2)(đ)",
              "có bí mật cá nhân, bí mật gia đình", "it contains personal or family secrets"),
    BlockRule("not_in_effect", True, f"Khoản 3 Điều 4 {_NQ}", f"{_RES}, art. 4(3)",
              "bản án, quyết định chưa có hiệu lực pháp luật", "the judgment or decision is not yet in legal effect"),
)}

FLAGGABLE = tuple(code for code, rule in RULES.items() if not rule.automatic)


@dataclass(frozen=True)
class CaseFacts:
    """What casefile knows about the case that decides the automatic blocks."""

    closed_hearing: bool
    has_minor: bool
    in_effect: bool


def blocks(facts: CaseFacts, flags: Iterable[str]) -> list[BlockRule]:
    """Every rule that forbids publishing the document now, in the order of art. 4."""
    found = set(flags)
    if facts.closed_hearing:
        found.add("closed_hearing")
    if facts.has_minor:
        found.add("minor")
    if not facts.in_effect:
        found.add("not_in_effect")
    return [rule for code, rule in RULES.items() if code in found]
