"""The figure parser on real phrasings: what it takes, what it leaves alone, and that it
never crashes or hands back a span that is not the input's."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claims.figures.parse import find_figures, read_number

# (sentence, [(written, value, unit, qualifier, lower, upper), ...])
TAKEN = [
    ("Bushehr Units 2 and 3 are reported to be 17% complete.",
     [("17%", 17, "%", None, None, None)]),
    ("The second unit is 60 percent finished, officials said.",
     [("60 percent", 60, "%", None, None, None)]),
    ("Progress stands at 45 per cent.", [("45 per cent", 45, "%", None, None, None)]),
    ("The project will cost about $10 billion.",
     [("about $10 billion", 10e9, "USD", "about", None, None)]),
    ("Russia extended a loan of $1.5bn for the plant.",
     [("$1.5bn", 1.5e9, "USD", None, None, None)]),
    ("Iran has installed 3,000 centrifuges at Natanz.",
     [("3,000", 3000, None, None, None, None)]),
    ("Work on the unit is a quarter of the way done.", [("a quarter", 25, "%", None, None, None)]),
    ("Output could rise by up to 20%.", [("up to 20%", 20, "%", "up-to", None, 20)]),
    ("About 700 Russian specialists are working on the site.",
     [("About 700", 700, None, "about", None, None)]),
    ("پیشرفت واحدهای ۲ و ۳ نیروگاه بوشهر ۱۷٪ است", [("۱۷٪", 17, "%", None, None, None)]),
    ("پیشرفت فیزیکی ۱۷ درصد است", [("۱۷ درصد", 17, "%", None, None, None)]),
    ("يعمل حوالي ٧٠٠ خبير روسي في الموقع", [("٧٠٠", 700, None, None, None, None)]),
    ("Die Kosten liegen bei 1.234,5 Millionen Euro.",
     [("1.234,5 Millionen Euro", 1234.5e6, "EUR", None, None, None)]),
    ("Iran holds at least 1,000 MW of new capacity.",
     [("at least 1,000 MW", 1000, "MW", "at-least", 1000, None)]),
    ("Completion is estimated at between 10 and 20 percent.",
     [("between 10 and 20 percent", 15, "%", None, 10, 20)]),
    ("Each unit is rated at 1,057 MWe.", [("1,057 MWe", 1057, "MW", None, None, None)]),
    ("More than 60% of the work is done.", [("More than 60%", 60, "%", "more-than", 60, None)]),
    ("Less than half of the budget was spent.",
     [("Less than half", 50, "%", "less-than", None, 50)]),
    ("Iran has 60 kg of uranium enriched to 60%.",
     [("60 kg", 60, "kg", None, None, None), ("60%", 60, "%", None, None, None)]),
    ("Fines of €2m were imposed.", [("€2m", 2e6, "EUR", None, None, None)]),
    ("The budget is 3 trillion rials.", [("3 trillion rials", 3e12, "IRR", None, None, None)]),
    ("Costs rose 10-20% last year.", [("10-20%", 15, "%", None, 10, 20)]),
    ("Some 2,000 workers are on site.", [("Some 2,000", 2000, None, "about", None, None)]),
    ("The stockpile is 274.8 kg.", [("274.8 kg", 274.8, "kg", None, None, None)]),
    ("The plant produces 1.2 GW.", [("1.2 GW", 1.2, "GW", None, None, None)]),
    ("Between 2019 and 2021 progress went from 30% to 17%.",
     [("30%", 30, "%", None, None, None), ("17%", 17, "%", None, None, None)]),
]

LEFT_ALONE = [
    "Bushehr's first unit became operational in 2011.",
    "The start-up is planned for October 2024.",
    "The minister spoke on 2025-04-21 in Tehran.",
    "The treaty was signed on 17 January 2025.",
    "He spoke on April 21, 2025 at 10:30.",
    "The meeting starts at 3 pm.",
    "The work will take 10 years.",
    "A six-month delay and a 30-year contract were announced.",
    "COVID-19 slowed the work.",
    "G7 leaders and the P5+1 met.",
    "Resolution 2231 endorsed the deal.",
    "Flight 752 was shot down.",
    "Units 2 and 3 are under construction.",
    "Reactors 5, 6 and 7 were planned.",
    "The F-35 and the Su-35 are fighter jets.",
    "The 1990s saw the project revived.",
    "The 2nd unit and the 3rd unit.",
    "The Bushehr project was begun before Iran's 1979 Islamic Revolution.",
    "The 2015-2016 season was long.",
    "Version 1.2.3 was released.",
    "A quarter century of delays.",
    "It took a quarter of a century.",
]


@pytest.mark.parametrize(("sentence", "expected"), TAKEN, ids=[t[0][:40] for t in TAKEN])
def test_figures_in_real_phrasings_are_found(sentence: str, expected: list[tuple]) -> None:
    found = find_figures(sentence)
    got = [(f.text, f.value, f.unit, f.qualifier.value if f.qualifier else None, f.lower,
            f.upper) for f in found]
    assert len(got) == len(expected), got
    for (text, value, unit, qual, lower, upper), want in zip(got, expected, strict=True):
        assert (text, unit, qual) == (want[0], want[2], want[3])
        assert value == pytest.approx(want[1])
        assert lower == (pytest.approx(want[4]) if want[4] is not None else None)
        assert upper == (pytest.approx(want[5]) if want[5] is not None else None)


@pytest.mark.parametrize("sentence", LEFT_ALONE)
def test_years_dates_spans_and_ids_are_no_figures(sentence: str) -> None:
    assert [f.text for f in find_figures(sentence)] == []


def test_a_count_names_what_it_counts() -> None:
    (figure,) = find_figures("Iran has installed 3,000 centrifuges at Natanz.")
    assert figure.noun == "centrifuges"


@pytest.mark.parametrize(("raw", "value"), [
    ("3,000", 3000), ("1,234,567", 1234567), ("1.5", 1.5), ("1.234,5", 1234.5),
    ("1,234.5", 1234.5), ("17,5", 17.5), ("1.234.567", 1234567), ("۱۷", 17), ("٧٠٠", 700),
    ("۱۲٫۵", 12.5), ("٣٬٠٠٠", 3000), ("1\u202f234", 1234),
])
def test_numbers_in_every_convention_are_read(raw: str, value: float) -> None:
    assert read_number(raw) == pytest.approx(value)


@pytest.mark.parametrize("raw", ["1.2.3,4", "12,34,56", "1,2345.6"])
def test_numbers_of_no_known_shape_are_refused(raw: str) -> None:
    assert read_number(raw) is None


_PIECES = st.sampled_from([
    "17%", "about", "$", "€", "1,000", "1.5", "bn", "million", "percent", "up to", "between",
    "and", "-", "Units", "2", "2024", "October", "years", "a quarter", "half", "of", "۱۷",
    "٪", "٧٠٠", ",", ".", "MW", "kg", "COVID-19", "G7", " ", "\u202f", "٫", "+", "#",
])
_TEXT = st.one_of(
    st.from_regex(r"[$€]?[0-9]{300,320}(\.[0-9]+)? ?(trillion|%)?", fullmatch=True),
    st.text(max_size=80),
    st.lists(st.one_of(_PIECES, st.text(max_size=3)), max_size=20).map(" ".join),
    st.lists(_PIECES, max_size=20).map("".join),
)


@settings(max_examples=400, deadline=None)
@given(_TEXT)
def test_the_parser_never_crashes_and_spans_index_the_input(text: str) -> None:
    found = find_figures(text)
    last_start = -1
    for figure in found:
        assert 0 <= figure.start < figure.end <= len(text)
        assert text[figure.start:figure.end] == figure.text
        assert figure.start >= last_start
        last_start = figure.start
        assert math.isfinite(figure.value)
        if figure.lower is not None and figure.upper is not None:
            assert figure.lower <= figure.value <= figure.upper


@pytest.mark.parametrize("raw", ["0A", "12x", "", "-", "1e5", "inf", "1_000", "nan"])
def test_text_that_is_no_number_reads_as_none(raw: str) -> None:
    assert read_number(raw) is None
