import pytest

from ecourt_shared.identifiers import IdentifierError, normalize_phone

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("raw", "e164"),
    [
        ("0912 345 678", "+84912345678"),
        ("+84912345678", "+84912345678"),
        ("84912345678", "+84912345678"),
        ("0359.123.456", "+84359123456"),
        ("(028) 3821 2345", "+842838212345"),  # Ho Chi Minh City landline
        ("+1 650 253 0000", "+16502530000"),  # a foreign party writes the country code
    ],
)
def test_phone_is_stored_in_e164(raw, e164):
    assert normalize_phone(raw) == e164


@pytest.mark.parametrize("raw", ["091234567", "0201234567", "12", "not a phone", ""])
def test_phone_refuses_invalid_numbers_with_a_bilingual_error(raw):
    with pytest.raises(IdentifierError) as err:
        normalize_phone(raw)
    assert err.value.field == "phone"
    assert err.value.message_vi and err.value.message_en
