"""Line wrapping: nothing lost, nothing wider than the column, no-break spaces kept."""

from hypothesis import given, settings
from hypothesis import strategies as st

from app.documents import layout
from app.documents.layout import BODY, SMALL

WORDS = st.text(
    alphabet=st.sampled_from("abcdefghij WXYZ ÄÖÜß Ωπ Жж 0123456789 .,-/\u00a0\u202f\n\t"),
    max_size=300,
)


@settings(max_examples=300, deadline=None)
@given(text=WORDS, width=st.floats(min_value=20, max_value=400))
def test_wrapped_lines_fit_and_keep_every_word(text, width):
    lines = layout.wrap(text, BODY, width)
    for line in lines:
        assert BODY.width(line) <= width or len(line) == 1
    expected = [
        word
        for paragraph in text.splitlines()
        for word in paragraph.replace("\t", " ").split(" ")
        if word
    ]
    assert "".join(lines).replace(" ", "") == "".join(expected)


def test_no_break_spaces_hold_an_amount_together():
    amount = "1\u202f234,50\u00a0€"
    lines = layout.wrap(
        f"Merci de virer {amount} au plus tard", SMALL, SMALL.width("Merci de virer 1")
    )
    assert any(amount in line for line in lines)


def test_a_word_wider_than_the_column_is_cut():
    lines = layout.wrap("x" * 200, BODY, 50)
    assert len(lines) > 1 and "".join(lines) == "x" * 200
    assert all(BODY.width(line) <= 50 for line in lines)


def test_own_line_breaks_are_kept_and_blank_text_is_one_empty_line():
    assert layout.wrap("a\nb", BODY, 500) == ["a", "b"]
    assert layout.wrap("", BODY, 500) == [""]
    assert layout.wrap("  a   b ", BODY, 500) == ["a b"]
