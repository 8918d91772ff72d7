"""The console's pages in-process: real PostgreSQL (accounts, sessions, throttling), RPC replaced.

The app runs under Starlette's TestClient; ``app.state.rpc`` is a recording stand-in for the other
services, answering with the shapes their contracts promise (and failing the ways they can fail), so
every page and every error path is exercised here. The real services are exercised by the e2e tests.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from nameko.exceptions import RpcTimeout, UnknownService

from ecourt_console.accounts import upsert_account
from ecourt_console.domain.passwords import ScryptParams
from ecourt_shared.contracts.errors import Conflict, FieldError, NotFound, PermissionDenied, RequestRejected
from ecourt_shared.testing.documents import blank_pdf
from ecourt_shared.web.auth import SESSION_COOKIE

pytestmark = pytest.mark.service

FAST = ScryptParams(n=2**10)
PASSWORD = "mật-khẩu-thử-nghiệm"
CASE_ID = "79KV01202600000143"  # a valid check-digited id (make_case_id("79KV01", 2026, 1))


class FakeRpc:
    """Answers RPCs from a table: a value, a callable taking the kwargs, or an exception to raise."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str, dict[str, Any]]] = []
        self.answers: dict[tuple[str, str], Any] = {}

    def call(self, service: str, method: str, **kwargs: Any) -> Any:
        self.calls.append((service, method, kwargs))
        answer = self.answers.get((service, method), UnknownService(service))
        if isinstance(answer, BaseException):
            raise answer
        return answer(**kwargs) if callable(answer) else answer

    def close(self) -> None:
        pass


@pytest.fixture(scope="module")
def console_app(ecourt_env, migrated) -> Iterator[Any]:
    import os

    from ecourt_shared.settings import get_settings

    migrated("ecourt_console")
    os.environ["ECOURT_CONSOLE_SCRYPT_N"] = str(FAST.n)
    os.environ["ECOURT_CONSOLE_LOGIN_MAX_FAILURES"] = "3"
    url = get_settings().database_url("console")
    for username, roles, judge_id in (("chanhan", "president,judge", "J-0001"), ("thamphan", "judge", "J-0002"),
                                      ("tiepnhan", "reception", None), ("quantri", "it_admin", None),
                                      ("thuky", "clerk", None)):
        upsert_account(url, username, PASSWORD, f"Cán bộ {username}", roles, "79KV01", judge_id, params=FAST)
    from ecourt_console.http.app import create_app

    app = create_app()
    app.state.rpc = FakeRpc()
    yield app
    app.state.console.engine.dispose()
    for key in ("ECOURT_CONSOLE_SCRYPT_N", "ECOURT_CONSOLE_LOGIN_MAX_FAILURES"):
        os.environ.pop(key, None)


@pytest.fixture
def rpc(console_app) -> FakeRpc:
    fake: FakeRpc = console_app.state.rpc
    fake.calls.clear()
    fake.answers.clear()
    return fake


@pytest.fixture
def client(console_app) -> Iterator[TestClient]:
    with TestClient(console_app, base_url="http://testserver", follow_redirects=False) as test_client:
        yield test_client


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "the page has no CSRF field"
    return found.group(1)


def login(client: TestClient, username: str, password: str = PASSWORD, next_url: str = "/") -> Any:
    page = client.get("/login")
    return client.post("/login", data={"username": username, "password": password, "next": next_url,
                                       "csrf_token": csrf_of(page.text)})


@pytest.fixture
def as_user(client) -> Callable[[str], TestClient]:
    def sign_in(username: str) -> TestClient:
        response = login(client, username)
        assert response.status_code == 303, response.text
        return client
    return sign_in


# --- login, sessions, CSRF ------------------------------------------------------------------------


def test_login_sets_an_httponly_samesite_strict_session_cookie(client):
    response = login(client, "chanhan", next_url="/inbox")
    assert response.status_code == 303 and response.headers["location"] == "/inbox"
    cookie = next(c for c in response.headers.get_list("set-cookie") if c.startswith(SESSION_COOKIE + "="))
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/" in cookie
    assert "Secure" not in cookie  # plain http here; over https the cookie is Secure


def test_the_token_carries_the_accounts_identity(client, ecourt_env):
    from ecourt_shared.auth import load_public_key, verify_token

    login(client, "chanhan")
    principal = verify_token(client.cookies[SESSION_COOKIE], load_public_key(ecourt_env.settings.key_file("public")))
    assert principal.court_id == "79KV01" and principal.judge_id == "J-0001"
    assert [r.value for r in principal.roles] == ["president", "judge"]
    assert principal.user_id.startswith("U-") and principal.display_name == "Cán bộ chanhan"


def test_a_wrong_password_is_refused_without_saying_which_part_was_wrong(client):
    wrong = login(client, "thamphan", "not the password")
    unknown = login(client, "khongcoai", "not the password")
    for response in (wrong, unknown):
        assert response.status_code == 401
        assert "Tên đăng nhập hoặc mật khẩu không đúng." in response.text
        assert SESSION_COOKIE not in response.cookies


def test_repeated_failures_are_throttled_even_with_the_right_password(client):
    for _ in range(2):
        assert login(client, "thuky", "wrong password!").status_code == 401
    third = login(client, "thuky", "wrong password!")
    assert third.status_code == 429 and "quá nhiều lần" in third.text
    assert login(client, "thuky", PASSWORD).status_code == 429


def test_a_login_post_without_the_csrf_token_is_refused(client):
    client.get("/login")
    response = client.post("/login", data={"username": "chanhan", "password": PASSWORD})
    assert response.status_code == 403
    assert "CSRF" in response.text
    assert SESSION_COOKIE not in response.cookies


def test_pages_need_a_session_and_come_back_after_login(client):
    response = client.get("/inbox")
    assert response.status_code == 303 and response.headers["location"] == "/login?next=%2Finbox"
    assert client.get("/").headers["location"] == "/login"
    assert client.get("/login").status_code == 200


def test_a_forged_session_cookie_is_not_a_session(client, ecourt_env):
    client.cookies.set(SESSION_COOKIE, "eyJhbGciOiJub25lIn0.e30.")
    assert client.get("/").status_code == 303
    # a genuinely signed token that the console never issued a session for is refused too
    client.cookies.set(SESSION_COOKIE, ecourt_env.token(*[]))
    assert client.get("/").status_code == 303


def test_logout_ends_the_session_on_the_server_and_clears_the_cookie(as_user):
    client = as_user("chanhan")
    token = client.cookies[SESSION_COOKIE]
    home = client.get("/")
    response = client.post("/logout", data={"csrf_token": csrf_of(home.text)})
    assert response.status_code == 303 and response.headers["location"] == "/login"
    assert any(c.startswith(f'{SESSION_COOKIE}=""') or "Max-Age=0" in c
               for c in response.headers.get_list("set-cookie") if c.startswith(SESSION_COOKIE))
    client.cookies.set(SESSION_COOKIE, token)  # replaying the old cookie does not work
    assert client.get("/").status_code == 303
    assert "Bạn đã đăng xuất." in client.get("/login").text


def test_logout_without_csrf_is_refused_and_the_session_survives(as_user):
    client = as_user("thamphan")
    assert client.post("/logout").status_code == 403
    assert client.get("/").status_code == 200


def test_a_csrf_token_from_before_login_does_not_work_after_it(client):
    before = csrf_of(client.get("/login").text)
    login(client, "chanhan")
    assert client.post("/logout", data={"csrf_token": before}).status_code == 403


# --- gating and language ----------------------------------------------------------------------------


def test_a_judge_gets_a_bilingual_403_on_the_inbox(as_user, rpc):
    client = as_user("thamphan")
    response = client.get("/inbox")
    assert response.status_code == 403
    assert "Bạn không có quyền mở trang này" in response.text and "You may not open this page" in response.text
    assert "Chánh án" in response.text
    assert client.post("/inbox/79KV01202600000143/assign", data={}).status_code == 403
    assert rpc.calls == []


def test_it_admin_sees_no_case_pages(as_user):
    client = as_user("quantri")
    assert client.get("/").status_code == 200
    for path in ("/inbox", "/cases", f"/cases/{CASE_ID}", "/reception/new"):
        assert client.get(path).status_code == 403, path


def test_dashboard_links_follow_the_roles(as_user):
    president = as_user("chanhan").get("/")
    assert all(link in president.text for link in ('href="/inbox"', 'href="/cases"', 'href="/reception/new"'))


def test_english_is_chosen_by_query_and_remembered_with_legal_terms_in_vietnamese(as_user):
    client = as_user("chanhan")
    response = client.get("/?lang=en")
    assert 'lang="en"' in response.text and "Chánh án (President)" in response.text
    assert response.cookies.get("ecourt_lang") == "en"
    assert "Chánh án (President) inbox" in client.get("/").text
    assert "Hộp thư Chánh án" in client.get("/?lang=vi").text


def test_pages_are_not_cached_and_carry_security_headers(as_user):
    response = as_user("chanhan").get("/")
    assert response.headers["cache-control"] == "no-store"
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"


def test_unknown_pages_get_a_bilingual_404_page(as_user):
    response = as_user("chanhan").get("/no-such-page")
    assert response.status_code == 404 and "Không tìm thấy" in response.text and "not found" in response.text


def test_no_api_docs_are_exposed(client):
    for path in ("/docs", "/openapi.json", "/redoc"):
        assert client.get(path).status_code in (303, 404)


# --- the president's inbox --------------------------------------------------------------------------

INBOX = [{"case_id": CASE_ID, "acceptance_number": "01/2026/TLST-DS", "case_type": "DS", "stage": "ST",
          "subject": "Tranh chấp hợp đồng vay tài sản", "received_at": "2026-11-27T02:15:00+00:00",
          "court_id": "79KV01"}]


def test_the_inbox_lists_cases_with_an_assign_button(as_user, rpc):
    rpc.answers[("assignment", "inbox")] = INBOX
    client = as_user("chanhan")
    response = client.get("/inbox")
    assert response.status_code == 200
    for text in ("01/2026/TLST-DS", "Dân sự", "Tranh chấp hợp đồng vay tài sản", "27/11/2026 09:15",
                 f'action="/inbox/{CASE_ID}/assign"', "Phân công ngẫu nhiên"):
        assert text in response.text
    service, method, kwargs = rpc.calls[-1]
    assert (service, method) == ("assignment", "inbox") and kwargs == {"token": client.cookies[SESSION_COOKIE]}


def test_related_cases_are_flagged_in_the_inbox_and_the_same_subject_stands_out(as_user, rpc):
    earlier, other = "79KV01202600000143", "79KV01202600000240"
    rpc.answers[("assignment", "inbox")] = [{**INBOX[0], "related_cases": [
        {"case_id": earlier, "acceptance_number": "07/2025/TLST-DS", "shared_party_ids": ["P-1", "P-2"],
         "judge_id": "J-0002", "judge_name": "Lê Thị Cúc", "same_subject": True},
        {"case_id": other, "acceptance_number": "09/2026/TLST-DS", "shared_party_ids": ["P-1"],
         "judge_id": None, "judge_name": None, "same_subject": False}]}]
    page = as_user("chanhan").get("/inbox").text
    assert page.count('class="related-flag') == 2 and page.count("related-flag same-subject") == 1
    for text in ("07/2025/TLST-DS", "chung 2 đương sự", "Lê Thị Cúc", "09/2026/TLST-DS", "chung 1 đương sự",
                 f'href="/inbox/{earlier}"', "Cùng quan hệ tranh chấp"):
        assert text in page
    assert page.count("Cùng quan hệ tranh chấp") == 1


def test_assigning_at_random_shows_judge_draw_and_seed_commitment(as_user, rpc):
    rpc.answers[("assignment", "inbox")] = INBOX
    rpc.answers[("assignment", "assign_random")] = lambda token, case_id: {
        "case_id": case_id, "judge_id": "J-0002", "judge_name": "Lê Thị Cúc", "method": "random",
        "draw_id": "DRAW-7F3A", "seed_commitment": "sha256:" + "ab" * 32}
    client = as_user("chanhan")
    page = client.get("/inbox")
    response = client.post(f"/inbox/{CASE_ID}/assign",
                           data={"csrf_token": csrf_of(page.text), "acceptance_number": "01/2026/TLST-DS"})
    assert response.status_code == 303 and response.headers["location"] == "/inbox"
    assert rpc.calls[-1][1:] == ("assign_random", {"token": client.cookies[SESSION_COOKIE], "case_id": CASE_ID})
    shown = client.get("/inbox").text
    for text in ("Đã phân công ngẫu nhiên vụ án 01/2026/TLST-DS cho Thẩm phán Lê Thị Cúc.", "DRAW-7F3A",
                 "sha256:" + "ab" * 32, "was assigned at random"):
        assert text in shown
    assert "DRAW-7F3A" not in client.get("/inbox").text  # a flash is shown once


@pytest.mark.parametrize(("error", "vi", "en"), [
    (Conflict({"errors": [{"field": "case_id", "code": "case.already_assigned",
                           "message_vi": "Vụ án đã được phân công.", "message_en": "The case is already assigned."}]}),
     "Vụ án đã được phân công.", "The case is already assigned."),
    (NotFound({"message_vi": "Không có vụ án này.", "message_en": "No such case."}), "Không có vụ án này.",
     "No such case."),
    (RequestRejected.single("case_id", "roster.empty", "Không có thẩm phán đủ điều kiện.", "No eligible judge."),
     "Không có thẩm phán đủ điều kiện.", "No eligible judge."),
    (RpcTimeout(), "tạm thời không phản hồi", "not answering"),
])
def test_assignment_errors_become_bilingual_messages_not_500s(as_user, rpc, error, vi, en):
    rpc.answers[("assignment", "inbox")] = INBOX
    rpc.answers[("assignment", "assign_random")] = error
    client = as_user("chanhan")
    response = client.post(f"/inbox/{CASE_ID}/assign", data={"csrf_token": csrf_of(client.get("/inbox").text)})
    assert response.status_code == 303
    shown = client.get("/inbox").text
    assert vi in shown and en in shown


def test_assigning_without_csrf_is_refused_before_any_call(as_user, rpc):
    client = as_user("chanhan")
    assert client.post(f"/inbox/{CASE_ID}/assign", data={"csrf_token": "forged"}).status_code == 403
    assert not [c for c in rpc.calls if c[1] == "assign_random"]


def test_the_inbox_says_so_when_assignment_is_down(as_user, rpc):
    client = as_user("chanhan")  # no answer configured: the service is unknown to the broker
    response = client.get("/inbox")
    assert response.status_code == 503
    assert "Dịch vụ phân công tạm thời không phản hồi" in response.text and "assignment service" in response.text


def test_an_empty_inbox(as_user, rpc):
    rpc.answers[("assignment", "inbox")] = []
    assert "Không có vụ án nào chờ phân công." in as_user("chanhan").get("/inbox").text


# --- a judge's cases and the dossier ----------------------------------------------------------------

DOSSIER = {
    "case_id": CASE_ID, "view": "full",
    "header": {"acceptance_number": "01/2026/TLST-DS", "case_type": "DS", "stage": "ST",
               "subject": "Tranh chấp hợp đồng vay tài sản", "status": "preparing", "status_vi": "Chuẩn bị xét xử",
               "status_en": "Preparing for trial", "judge_name": "Lê Thị Cúc", "accepted_on": "2026-11-27",
               "claim_amount_vnd": 150000000, "nested": {"ignored": True}},
    "deadline": {"rule_id": "BLTTDS-203-DS", "due_on": "2027-03-29", "legal_basis_vi": "Điều 203 BLTTDS 2015",
                 "legal_basis_en": "Civil Procedure Code 2015, art. 203"},
    "documents": [{"document_id": "D-1", "title": "Đơn khởi kiện", "filename": "don.pdf", "page_count": 3,
                   "added_at": "2026-11-27T02:15:00Z", "published": False}],
    "timeline": [{"at": "2026-11-27T02:15:00Z", "event_type": "case_received", "description_vi": "Thụ lý vụ án",
                  "description_en": "Case accepted"},
                 {"at": "2026-11-27T03:00:00Z", "event_type": "case_assigned"}],
}


def test_a_judge_sees_the_cases_assigned_to_them(as_user, rpc):
    rpc.answers[("assignment", "judge_cases")] = [
        {"case_id": CASE_ID, "acceptance_number": "01/2026/TLST-DS", "case_type": "DS",
         "subject": "Tranh chấp hợp đồng vay tài sản", "assigned_at": "2026-11-27T03:00:00Z"}]
    response = as_user("thamphan").get("/cases")
    assert response.status_code == 200
    assert f'href="/cases/{CASE_ID}"' in response.text and "27/11/2026 10:00" in response.text
    assert rpc.calls[-1][:2] == ("assignment", "judge_cases")


def test_the_full_dossier_shows_header_deadline_with_legal_basis_documents_and_timeline(as_user, rpc):
    rpc.answers[("casefile", "get_dossier")] = DOSSIER
    client = as_user("thamphan")
    response = client.get(f"/cases/{CASE_ID}")
    assert response.status_code == 200
    for text in ("Hồ sơ đầy đủ", "01/2026/TLST-DS", "Chuẩn bị xét xử", "Lê Thị Cúc", "29/03/2027",
                 "Điều 203 BLTTDS 2015", "Đơn khởi kiện", "3 trang", "Thụ lý vụ án", "case_assigned",
                 "79KV01-2026-000001-43", "150000000"):
        assert text in response.text, text
    assert "ignored" not in response.text
    assert rpc.calls[-1][2] == {"token": client.cookies[SESSION_COOKIE], "case_id": CASE_ID}


def test_the_dossier_accepts_the_display_form_of_the_case_code(as_user, rpc):
    rpc.answers[("casefile", "get_dossier")] = {"case_id": CASE_ID, "view": "essentials", "header": {}}
    response = as_user("tiepnhan").get("/cases/79KV01-2026-000001-43")
    assert response.status_code == 200 and "Thông tin thiết yếu" in response.text
    assert rpc.calls[-1][2]["case_id"] == CASE_ID


def test_a_dossier_with_missing_parts_still_renders(as_user, rpc):
    rpc.answers[("casefile", "get_dossier")] = {"case_id": CASE_ID, "view": "essentials", "header": None,
                                                "deadline": None, "documents": None, "timeline": "oops"}
    response = as_user("thamphan").get(f"/cases/{CASE_ID}")
    assert response.status_code == 200 and "Chưa có thời hạn đang chạy." in response.text


@pytest.mark.parametrize(("error", "status"), [(NotFound(), 404), (PermissionDenied(), 403), (RpcTimeout(), 503)])
def test_dossier_errors_are_pages_with_both_languages(as_user, rpc, error, status):
    rpc.answers[("casefile", "get_dossier")] = error
    response = as_user("thamphan").get(f"/cases/{CASE_ID}")
    assert response.status_code == status
    assert 'lang="vi"' in response.text and 'lang="en"' in response.text


def test_a_malformed_case_code_is_not_sent_anywhere(as_user, rpc):
    response = as_user("thamphan").get("/cases/79KV01202600000144")  # wrong check digits
    assert response.status_code == 404 and rpc.calls == []


# --- reception --------------------------------------------------------------------------------------

FORM = {"subject": "Tranh chấp hợp đồng vay tài sản", "case_type": "DS", "plaintiff_name": "Nguyễn Văn An",
        "plaintiff_cccd": "079090001234", "plaintiff_dob": "1990-05-01", "plaintiff_phone": "0912345678",
        "defendant_name": "Trần Thị Bình", "defendant_cccd": "079185004321", "defendant_dob": "",
        "defendant_phone": ""}


def reception_post(client: TestClient, page_html: str, pdf: bytes, **overrides: str) -> Any:
    key = re.search(r'name="idempotency_key" value="([^"]+)"', page_html)
    assert key
    data = {**FORM, "csrf_token": csrf_of(page_html), "idempotency_key": key.group(1), **overrides}
    return client.post("/reception/new", data=data, files={"attachment": ("don-khoi-kien.pdf", pdf,
                                                                          "application/pdf")})


def test_filing_a_petition_shows_the_receipt_and_a_double_submit_reuses_the_key(as_user, rpc):
    results: dict[str, dict[str, Any]] = {}

    def file_petition(token: str, petition: dict[str, Any]) -> dict[str, Any]:
        key = petition["idempotency_key"]
        if key in results:
            return {**results[key], "replayed": True}
        results[key] = {"case_id": CASE_ID, "case_code": "79KV01-2026-000001-43",
                        "acceptance_number": "01/2026/TLST-DS", "accepted_at": "2026-11-27T02:15:00Z",
                        "accepted_on": "2026-11-27", "receipt_secret": "ABCD-EFGH-JKLM", "document_ids": ["D-1"],
                        "party_ids": ["P-1", "P-2"], "replayed": False}
        return results[key]

    rpc.answers[("intake", "file_petition")] = file_petition
    client = as_user("tiepnhan")
    page = client.get("/reception/new").text
    pdf = blank_pdf()
    first = reception_post(client, page, pdf)
    assert first.status_code == 200
    for text in ("79KV01-2026-000001-43", "01/2026/TLST-DS", "ABCD-EFGH-JKLM", "Cổng thông tin"):
        assert text in first.text
    petition = rpc.calls[-1][2]["petition"]
    assert petition["parties"][0] == {"role": "plaintiff", "full_name": "Nguyễn Văn An", "cccd": "079090001234",
                                      "date_of_birth": "1990-05-01", "phone": "0912345678"}
    assert petition["attachment"]["filename"] == "don-khoi-kien.pdf"
    import base64

    assert base64.b64decode(petition["attachment"]["content_base64"]) == pdf
    second = reception_post(client, page, pdf)  # the same rendered form submitted again
    assert rpc.calls[-1][2]["petition"]["idempotency_key"] == petition["idempotency_key"]
    assert "ABCD-EFGH-JKLM" in second.text and "đã được ghi nhận trước đó" in second.text
    assert len(results) == 1


def test_intake_field_errors_are_shown_next_to_the_fields_in_both_languages(as_user, rpc):
    rpc.answers[("intake", "file_petition")] = RequestRejected.of([
        FieldError(field="parties.0.cccd", code="cccd.place_code", message_vi="Mã tỉnh 999 không tồn tại.",
                   message_en="place code 999 does not exist"),
        FieldError(field="attachment", code="attachment.not_pdf", message_vi="Tệp không phải PDF.",
                   message_en="the attachment is not a PDF")])
    client = as_user("tiepnhan")
    page = client.get("/reception/new").text
    response = reception_post(client, page, b"not a pdf", plaintiff_cccd="999090001234")
    assert response.status_code == 422
    html = response.text
    cccd_block = html[html.index('id="plaintiff_cccd"'):html.index('id="plaintiff_dob"')]
    assert "Mã tỉnh 999 không tồn tại." in cccd_block and "place code 999 does not exist" in cccd_block
    attachment_block = html[html.index('id="attachment"'):]
    assert "Tệp không phải PDF." in attachment_block and "the attachment is not a PDF" in attachment_block
    assert 'value="999090001234"' in html and 'value="Nguyễn Văn An"' in html  # what was typed is kept
    keys = [re.findall(r'name="idempotency_key" value="([^"]+)"', text) for text in (page, html)]
    assert keys[0] and keys[0] == keys[1]  # the retry keeps the key: a double submit stays one filing


def test_a_reception_post_without_csrf_files_nothing(as_user, rpc):
    client = as_user("tiepnhan")
    response = client.post("/reception/new", data=FORM, files={"attachment": ("a.pdf", blank_pdf(), "application/pdf")})
    assert response.status_code == 403 and rpc.calls == []


def test_a_judge_cannot_open_reception(as_user):
    assert as_user("thamphan").get("/reception/new").status_code == 403


def test_intake_down_keeps_the_form_and_the_key_for_a_safe_retry(as_user, rpc):
    rpc.answers[("intake", "file_petition")] = RpcTimeout()
    client = as_user("tiepnhan")
    page = client.get("/reception/new").text
    response = reception_post(client, page, blank_pdf())
    assert response.status_code == 503 and "tiếp nhận tạm thời không phản hồi" in response.text
    assert 'value="Trần Thị Bình"' in response.text


# casefile's DossierFullV1 / DossierEssentialsV1 (services/casefile/ecourt_casefile/contracts.py): a flat shape
FLAT_FULL = {
    "view": "full", "case_id": CASE_ID, "case_code": "79KV01-2026-000001-43", "court_id": "79KV01",
    "case_type": "DS", "stage": "ST", "status": "preparing", "judge_id": "TP-003", "next_deadline_on": "2027-03-29",
    "acceptance_number": "01/2026/TLST-DS", "subject": "Tranh chấp hợp đồng vay tài sản",
    "accepted_at": "2026-11-27T02:15:00Z", "accepted_on": "2026-11-27",
    "parties": [{"party_id": "P-1", "role": "plaintiff", "is_minor": False},
                {"party_id": "P-2", "role": "defendant", "is_minor": True}],
    "documents": [{"document_id": "D-1", "title": "Đơn khởi kiện", "filename": "don.pdf",
                   "content_type": "application/pdf", "sha256": "ab" * 32, "size": 48213, "page_count": 2,
                   "bucket": "ecourt-79kv01", "object_key": "sha256/ab", "version": 1}],
    "timeline": [{"at": "2026-11-27T02:15:00Z", "kind": "case_received",
                  "text_vi": "Thụ lý vụ án, số thụ lý 01/2026/TLST-DS", "text_en": "Case accepted"}],
    "deadline": {"rule_id": "civil.first_instance.preparation", "rule_version": 1, "due_on": "2027-03-29",
                 "legal_basis_vi": "Điểm a khoản 1 Điều 203 Bộ luật Tố tụng dân sự 2015",
                 "legal_basis_en": "Civil Procedure Code 2015, art. 203(1)(a)",
                 "explanation": [{"vi": "Thụ lý ngày 27/11/2026", "en": "Accepted on 2026-11-27"},
                                 {"vi": "Cộng 4 tháng", "en": "Plus 4 months"}],
                 "needs_verification": True, "computed_at": "2026-11-27T02:15:01Z"},
}


def test_casefiles_flat_full_view_renders_every_part(as_user, rpc):
    rpc.answers[("casefile", "get_dossier")] = FLAT_FULL
    html = as_user("thamphan").get(f"/cases/{CASE_ID}?lang=vi").text
    for text in ("Hồ sơ đầy đủ", "Đang chuẩn bị xét xử", "TP-003", "Sơ thẩm", "29/03/2027",
                 "Điểm a khoản 1 Điều 203 Bộ luật Tố tụng dân sự 2015", "Cộng 4 tháng", "cần kiểm chứng",
                 "Nguyên đơn", "Bị đơn", "Người chưa thành niên", "47 KB", "2 trang",
                 "Thụ lý vụ án, số thụ lý 01/2026/TLST-DS", "79KV01-2026-000001-43"):
        assert text in html, text
    assert "ecourt-79kv01" not in html and "next deadline on" not in html  # storage details stay hidden


def test_casefiles_essentials_view_shows_the_next_deadline_without_legal_basis(as_user, rpc):
    rpc.answers[("casefile", "get_dossier")] = {
        "view": "essentials", "case_id": CASE_ID, "case_code": "79KV01-2026-000001-43", "court_id": "79KV01",
        "case_type": "DS", "stage": "ST", "status": "accepted", "judge_id": None, "next_deadline_on": "2027-03-29"}
    html = as_user("tiepnhan").get(f"/cases/{CASE_ID}").text
    for text in ("Thông tin thiết yếu", "Đã thụ lý", "29/03/2027", "Xem căn cứ pháp lý trong hồ sơ đầy đủ."):
        assert text in html, text
