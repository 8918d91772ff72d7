"""Resolution 03/2017/NQ-HĐTP in plain Python: what blocks publication, how names are encoded, who may act when."""

import pytest

from ecourt_casefile.domain.publication import (
    FLAGGABLE,
    CaseFacts,
    Person,
    PublicationRefused,
    Status,
    blocks,
    check_transition,
    encode,
)
from ecourt_casefile.domain.publication.anonymize import aliases_for, province_of
from ecourt_casefile.domain.publication.source import publishable_source

pytestmark = pytest.mark.unit

OPEN = CaseFacts(closed_hearing=False, has_minor=False, in_effect=True)

JUDGMENT = "\n".join((
    "TÒA ÁN NHÂN DÂN KHU VỰC 1 - THÀNH PHỐ HỒ CHÍ MINH",
    "Bản án số: 01/2026/DS-ST",
    "Nguyên đơn: Ông Nguyễn Văn An, sinh năm 1980, CCCD số 079080001234; địa chỉ: số 12 đường Lê Lợi, phường Bến "
    "Thành, Thành phố Hồ Chí Minh; điện thoại 0912 345 678.",
    "Bị đơn: Bà Trần Thị Bình, sinh năm 1985, CMND số 024567891; địa chỉ: thôn Đông, xã Tân Hòa, tỉnh Bình Dương.",
    "Người có quyền lợi, nghĩa vụ liên quan: anh Nguyễn Văn Ân và chị TRẦN THỊ BÍCH.",
    "NHẬN THẤY: Ngày 05/01/2025, ông An cho bà Bình vay 100000000 đồng, hẹn trả sau 6 tháng; bà Bình gọi cho ông An "
    "từ số +84 987 654 321.",
    "QUYẾT ĐỊNH: Buộc bà Trần Thị Bình trả cho ông Nguyễn Văn An số tiền 100.000.000 đồng."))

PERSONS = [Person("Nguyễn Văn An", "số 12 đường Lê Lợi, phường Bến Thành, Thành phố Hồ Chí Minh"),
           Person("Trần Thị Bình", "thôn Đông, xã Tân Hòa, tỉnh Bình Dương"),
           Person("Nguyễn Văn Ân"), Person("Trần Thị Bích")]


# ---- art. 4: blocks ------------------------------------------------------------------------------------------

def test_an_open_case_in_effect_with_no_flag_has_no_block():
    assert blocks(OPEN, {}) == []


@pytest.mark.parametrize(("facts", "code", "citation"), [
    (CaseFacts(closed_hearing=True, has_minor=False, in_effect=True), "closed_hearing", "Khoản 1 Điều 4"),
    (CaseFacts(closed_hearing=False, has_minor=True, in_effect=True), "minor", "Điểm d khoản 2 Điều 4"),
    (CaseFacts(closed_hearing=False, has_minor=False, in_effect=False), "not_in_effect", "Khoản 3 Điều 4"),
])
def test_each_automatic_rule_names_its_provision(facts, code, citation):
    [rule] = blocks(facts, {})
    assert rule.code == code and rule.automatic
    assert rule.citation_vi.startswith(citation) and "03/2017/NQ-HĐTP" in rule.citation_vi
    assert "Resolution 03/2017/NQ-HĐTP" in rule.citation_en


def test_a_judges_flag_blocks_and_every_rule_is_listed_in_article_order():
    found = blocks(CaseFacts(closed_hearing=True, has_minor=True, in_effect=False),
                   {"personal_family_secret": {"reason": "bệnh án"}, "state_secret": {"reason": "x"}})
    assert [r.code for r in found] == ["closed_hearing", "state_secret", "minor", "personal_family_secret",
                                       "not_in_effect"]
    assert set(FLAGGABLE) == {"state_secret", "business_secret", "customs", "personal_family_secret"}


# ---- art. 7: encoding ----------------------------------------------------------------------------------------

def test_given_name_becomes_its_initial_and_clashes_get_numbers():
    assert aliases_for(["Nguyễn Văn An", "Phạm Đức Hùng"]) == ["Nguyễn Văn A", "Phạm Đức H"]
    assert aliases_for(["Phan Hoài Hải", "Phan Hoài Hùng", "Lê Thị Hoa"]) == ["Phan Hoài H1", "Phan Hoài H2",
                                                                             "Lê Thị H"]
    assert aliases_for(["Nguyễn Văn Tâm", "Trần Văn Tâm"]) == ["Nguyễn Văn T", "Trần Văn T"]
    assert aliases_for(["Đặng Thị Ánh"]) == ["Đặng Thị Á"]


def test_province_is_what_remains_of_an_address():
    assert province_of("thôn Đông, xã Tân Hòa, tỉnh Bình Dương") == "tỉnh Bình Dương"
    assert province_of("số 12 đường Lê Lợi, phường Bến Thành, Thành phố Hồ Chí Minh") == "Thành phố Hồ Chí Minh"
    assert province_of("nhà bà ngoại") == "[địa chỉ đã được mã hóa]"


def test_a_judgment_is_encoded_without_any_name_address_id_or_phone():
    result = encode(JUDGMENT, PERSONS)
    text = result.text
    for secret in ("Nguyễn Văn An", "Trần Thị Bình", "Nguyễn Văn Ân", "TRẦN THỊ BÍCH", "Trần Thị Bích", "ông An",
                   "bà Bình", "079080001234", "024567891", "0912 345 678", "987 654 321", "Lê Lợi", "Bến Thành",
                   "Tân Hòa", "thôn Đông"):
        assert secret not in text, secret
    assert result.aliases == ["Nguyễn Văn A1", "Trần Thị B1", "Nguyễn Văn Â2", "Trần Thị B2"]
    for kept in ("Ông Nguyễn Văn A1", "Bà Trần Thị B1", "anh Nguyễn Văn Â2", "chị Trần Thị B2", "ông A1",
                 "bà B1", "Thành phố Hồ Chí Minh", "tỉnh Bình Dương", "01/2026/DS-ST", "100000000 đồng",
                 "100.000.000 đồng", "05/01/2025", "TÒA ÁN NHÂN DÂN KHU VỰC 1 - THÀNH PHỐ HỒ CHÍ MINH"):
        assert kept in text, kept
    assert result.counts["identity_number"] == 2 and result.counts["phone"] == 2
    assert result.leaks == []


def test_names_written_without_diacritics_are_encoded_when_unambiguous():
    text = "Nguyen Van An va TRAN THI BINH ky hop dong."
    result = encode(text, [Person("Nguyễn Văn An"), Person("Trần Thị Bình")])
    assert result.text == "Nguyễn Văn A va Trần Thị B ky hop dong."


def test_an_ambiguous_spelling_is_reported_as_a_leak_not_guessed():
    result = encode("Nguyen Van An khai.", [Person("Nguyễn Văn An"), Person("Nguyễn Văn Ân")])
    assert "Nguyen Van An" in result.text and result.leaks == [0, 1]


# ---- the workflow --------------------------------------------------------------------------------------------

def test_review_by_the_preparer_is_refused_and_release_needs_approval():
    check_transition("prepare", None)
    check_transition("review", Status.PREPARED, prepared_by="u-clerk", actor="u-judge")
    with pytest.raises(PublicationRefused) as same:
        check_transition("review", Status.PREPARED, prepared_by="u-clerk", actor="u-clerk")
    assert same.value.code == "publication.same_reviewer"
    with pytest.raises(PublicationRefused):
        check_transition("release", Status.PREPARED)
    with pytest.raises(PublicationRefused):
        check_transition("prepare", Status.RELEASED)
    check_transition("release", Status.APPROVED)


# ---- which dossier document may be published (domain/publication/source.py) ----------------------------------

def _signed_entry(kind: str, status: str) -> dict:
    return {"document_id": "VB-1", "title": "BẢN ÁN SƠ THẨM", "kind": kind, "status": status, "sha256": "b" * 64,
            "versions": [{"version": 1, "source": "signed", "sha256": "a" * 64},
                         {"version": 2, "source": "signed", "sha256": "b" * 64}]}


def _refusal(entry: dict | None) -> str:
    with pytest.raises(PublicationRefused) as exc:
        publishable_source(entry, "VB-1")
    assert exc.value.field == "document_id" and exc.value.message_vi and exc.value.message_en
    return exc.value.code


def test_only_a_judgment_of_the_dossier_signed_by_everyone_is_published_from_signing():
    for status in ("in_effect", "sealed"):
        source = publishable_source(_signed_entry("judgment", status), "VB-1")
        assert (source.origin, source.kind, source.sha256, source.version) == ("signed", "judgment", "b" * 64, 2)
    assert _refusal(None) == "publication.unknown_document"
    assert _refusal(_signed_entry("judgment", "signing")) == "publication.not_signed"
    for procedural in ("summons", "notice_of_acceptance", "trial_decision", "suspension_decision"):
        assert _refusal(_signed_entry(procedural, "in_effect")) == "publication.not_publishable_kind"
    filed = {"document_id": "VB-1", "title": "Đơn khởi kiện", "sha256": "c" * 64, "version": 1}  # the petition
    assert _refusal(filed) == "publication.not_publishable_kind"


def test_an_uploaded_scan_is_published_from_the_text_the_caller_types():
    entry = {"document_id": "D-1", "title": "Bản án (bản giấy)", "sha256": "d" * 64,
             "versions": [{"version": 1, "source": "upload", "sha256": "d" * 64}]}
    source = publishable_source(entry, "D-1")
    assert (source.origin, source.kind, source.sha256) == ("upload", None, "d" * 64)
