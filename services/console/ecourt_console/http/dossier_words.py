"""Words of the dossier page: parties with masked identifiers, revealing them, case notes, document versions, uploads.

Vietnamese first, English gloss after; legal terms keep their Vietnamese names. Who may reveal, write or upload is
casefile's rule (``domain/access.py``); these words only say what it answered.
"""

from __future__ import annotations

# How a document version came into the dossier (``DocumentVersionV1.source``).
VERSION_SOURCE_NAMES: dict[str, tuple[str, str]] = {
    "filed": ("Nộp kèm đơn khởi kiện", "filed with the petition"),
    "upload": ("Tải lên hồ sơ", "uploaded to the case file"),
    "signed": ("Ký số", "digitally signed (ký số)"),
}

DOSSIER_MESSAGES: dict[str, tuple[str, str]] = {
    "dossier.assignment_link": ("Trang phân công vụ án", "The case's assignment page"),
    "dossier.party_name": ("Họ và tên", "Name"),
    "dossier.party_role": ("Tư cách tham gia tố tụng", "Standing in the case"),
    "dossier.party_cccd": ("Số CCCD", "CCCD (citizen ID number)"),
    "dossier.party_phone": ("Số điện thoại", "Phone"),
    "dossier.party_unknown": ("(chưa có thông tin)", "(not available)"),
    "dossier.masked_note": ("Số CCCD và số điện thoại được che một phần để bảo vệ dữ liệu cá nhân.",
                            "CCCD and phone numbers are partly hidden to protect personal data."),
    "dossier.reveal.title": ("Xem đầy đủ CCCD, số điện thoại", "Show full CCCD and phone numbers"),
    "dossier.reveal.note": ("Chỉ dành cho người được giao giải quyết vụ án. Lý do được ghi vào nhật ký truy cập "
                            "cùng tên bạn.",
                            "For those handling the case only. The reason is written to the access log with "
                            "your name."),
    "dossier.reveal.reason": ("Lý do xem (bắt buộc)", "Reason (required)"),
    "dossier.reveal.submit": ("Xem đầy đủ", "Show in full"),
    "dossier.reveal.shown": ("Đang hiển thị đầy đủ số CCCD, số điện thoại. Lượt xem đã được ghi nhật ký với lý do: "
                             "{reason}",
                             "Full CCCD and phone numbers are shown. This view was logged with the reason: "
                             "{reason}"),
    "dossier.reveal.hide": ("Che lại", "Hide again"),
    "dossier.notes": ("Ghi chú nghiệp vụ", "Case notes (ghi chú nghiệp vụ)"),
    "dossier.notes.none": ("Chưa có ghi chú.", "No notes yet."),
    "dossier.notes.carried_over": ("chuyển từ Thẩm phán trước", "carried over from the previous Thẩm phán (judge)"),
    "dossier.notes.text": ("Nội dung ghi chú", "Note"),
    "dossier.notes.submit": ("Thêm ghi chú", "Add the note"),
    "dossier.notes.added": ("Đã thêm ghi chú vào hồ sơ.", "The note was added to the case file."),
    "dossier.notes.note": ("Ghi chú gắn với vụ án, không bị sửa hay xóa, và vẫn còn khi vụ án được giao Thẩm phán "
                           "khác.",
                           "Notes belong to the case: they are never edited or deleted, and stay when the case "
                           "goes to another judge."),
    "dossier.versions": ("Các phiên bản", "Versions"),
    "dossier.version": ("Phiên bản", "Version"),
    "dossier.version.hash": ("SHA-256", "SHA-256"),
    "dossier.version.size": ("Dung lượng", "Size"),
    "dossier.version.pages": ("Số trang", "Pages"),
    "dossier.version.by": ("Người thêm / thời điểm", "Added by / when"),
    "dossier.version.source": ("Nguồn", "Source"),
    "dossier.upload.title": ("Bổ sung tài liệu vào hồ sơ", "Add a document to the case file"),
    "dossier.upload.note": ("Tệp PDF, PNG hoặc JPEG, tối đa {limit} MB. Mã SHA-256 của tệp được tính khi nhận và "
                            "đối chiếu khi lưu.",
                            "A PDF, PNG or JPEG file, at most {limit} MB. The file's SHA-256 is computed on "
                            "receipt and checked when stored."),
    "dossier.upload.doc_title": ("Tên tài liệu", "Document title"),
    "dossier.upload.file": ("Tệp", "File"),
    "dossier.upload.submit": ("Tải lên", "Upload"),
    "dossier.upload.new_version": ("Nộp phiên bản mới", "Upload a new version"),
    "dossier.upload.done": ("Đã lưu tài liệu \"{title}\", phiên bản {version}.",
                            "Document \"{title}\" was stored, version {version}."),
    "dossier.upload.document_id": ("Mã tài liệu", "Document id"),
    "dossier.upload.sha256": ("SHA-256", "SHA-256"),
    "dossier.upload.no_file": ("Chọn tệp cần tải lên.", "Choose the file to upload."),
    "dossier.fix": ("Chưa thực hiện được, vui lòng xem thông báo bên dưới.",
                    "Not done; please see the message below."),
}
