"""The extraction rules, each on sentences of its own (no database: a lexicon built from
the seed file's entities stands in for it)."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claims.extract.extractor import extract_claims
from claims.extract.lexicon import Lexicon
from claims.extract.model import Candidate, Kind
from claims.extract.quotes import find_quotes
from claims.extract.sentences import split_sentences

SEEDS = Path(__file__).resolve().parent.parent / "seeds" / "seed-article.toml"


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    lex = Lexicon()
    for entity in tomllib.loads(SEEDS.read_text())["entities"]:
        for written in [entity["name"], *entity.get("aliases", [])]:
            lex.add(written, entity["name"], entity["kind"])
    lex.add("Rafael Grossi", "Rafael Grossi", "person")
    lex.add("Grossi", "Rafael Grossi", "person")
    return lex


def one(text: str, lexicon: Lexicon) -> Candidate:
    found = extract_claims(text, lexicon)
    assert len(found) == 1, [c.text for c in found]
    return found[0]


# --- attribution and quotes -----------------------------------------------------------------


def test_attribution_after_the_quote(lexicon: Lexicon) -> None:
    c = one("“The plant will be finished in 2026,” Lavrov said on Monday.", lexicon)
    assert (c.kind, c.speaker, c.quote) == (Kind.QUOTE, "Sergey Lavrov",
                                            "The plant will be finished in 2026")


def test_inverted_attribution_after_the_quote(lexicon: Lexicon) -> None:
    c = one("“We have never sought a nuclear weapon,” said Masoud Pezeshkian.", lexicon)
    assert c.speaker == "Masoud Pezeshkian" and c.kind is Kind.QUOTE


def test_attribution_before_the_quote(lexicon: Lexicon) -> None:
    c = one("Putin told reporters: «Our cooperation with Tehran will only grow stronger.»",
            lexicon)
    assert c.speaker == "Vladimir Putin"
    assert c.quote == "Our cooperation with Tehran will only grow stronger."
    assert "Iran" in c.about


def test_split_quote_is_joined(lexicon: Lexicon) -> None:
    c = one("“The deal was a disaster,” Trump said, “and we will not go back to it.”", lexicon)
    assert c.speaker == "Donald Trump"
    assert c.quote == "The deal was a disaster … and we will not go back to it."


def test_nested_quote_stays_inside_the_outer_one(lexicon: Lexicon) -> None:
    text = "“They called our offer ‘unacceptable’ before reading it,” Lavrov said."
    quotes = find_quotes(text)
    assert [q.text for q in quotes] == ["They called our offer ‘unacceptable’ before reading it,"]
    assert one(text, lexicon).speaker == "Sergey Lavrov"


def test_german_and_straight_quotes(lexicon: Lexicon) -> None:
    assert [q.text for q in find_quotes("Er sagte: „Das ist falsch“ und ging.")] == [
        "Das ist falsch"]
    c = one('"Sanctions relief must come first," Pezeshkian said.', lexicon)
    assert c.speaker == "Masoud Pezeshkian" and c.quote == "Sanctions relief must come first"


def test_apostrophes_are_not_quotes() -> None:
    assert find_quotes("Iran’s minister said the plant’s reactor is safe.") == []


def test_according_to(lexicon: Lexicon) -> None:
    c = one("The stockpile has grown by half since February, according to The Guardian.",
            lexicon)
    assert c.kind is Kind.ATTRIBUTED and c.speaker == "The Guardian"


def test_possessive_body_with_a_spokesman(lexicon: Lexicon) -> None:
    c = one("Russia's foreign ministry spokesman said the treaty was not aimed at anyone.",
            lexicon)
    assert c.speaker == "Russia"


def test_appositive_speaker(lexicon: Lexicon) -> None:
    c = one("Sergey Lavrov, Russia's foreign minister, said the talks had gone well.", lexicon)
    assert c.speaker == "Sergey Lavrov"


# --- denials, figures, predictions ----------------------------------------------------------


@pytest.mark.parametrize("sentence, speaker", [
    ("Tehran firmly denies seeking nuclear weapons.", "Iran"),
    ("Moscow denied that its forces had struck the plant.", "Russia"),
    ("Iran's foreign ministry rejected the report as baseless.", "Iran"),
    ("Putin dismissed the accusation as “nonsense” on Monday.", "Vladimir Putin"),
])
def test_denial_forms(lexicon: Lexicon, sentence: str, speaker: str) -> None:
    c = one(sentence, lexicon)
    assert c.kind is Kind.DENIAL and c.speaker == speaker


def test_a_reporting_word_used_as_a_noun_reports_nothing(lexicon: Lexicon) -> None:
    c = one("The Kremlin-backed claims were repeated on state television in Russia.", lexicon)
    assert c.kind is Kind.ASSERTION and c.speaker is None


def test_denial_clause_is_a_claim_of_its_own(lexicon: Lexicon) -> None:
    found = extract_claims(
        "Trump has threatened military action over the programme—an accusation Tehran "
        "firmly denies.", lexicon)
    denial = [c for c in found if c.kind is Kind.DENIAL]
    assert len(denial) == 1 and denial[0].speaker == "Iran"
    assert denial[0].text == "An accusation Tehran firmly denies."
    assert found[0].speaker == "Donald Trump"


@pytest.mark.parametrize("sentence", [
    "Units 2 and 3 are now reported to be 17% complete.",
    "The stockpile of uranium enriched to 60 percent purity reached 408.6 kg.",
    "Exports rose to 1,500,000 barrels a day.",
])
def test_figures(lexicon: Lexicon, sentence: str) -> None:
    assert one(sentence, lexicon).kind is Kind.FIGURE


def test_a_year_alone_is_no_figure(lexicon: Lexicon) -> None:
    assert one("The first unit at Bushehr became operational in 2011.", lexicon).kind is (
        Kind.ASSERTION)


def test_prediction(lexicon: Lexicon) -> None:
    assert one("The second reactor will be completed in 2026.", lexicon).kind is Kind.PREDICTION


# --- what is not a claim ----------------------------------------------------------------------


@pytest.mark.parametrize("text", [
    "Putin endorses main treaty with Iran",                      # headline: no full stop
    "IRAN DEAL COLLAPSES.",                                      # all capitals
    "Will Iran accept the offer?",                               # question
    "“Why now?” Lavrov asked.",                                  # quoted question
    "Photo: Vladimir Putin at the Kremlin on Monday.",           # caption
    "By Jane Doe and John Roe",                                  # byline
    "Reporting by Jane Doe; Editing by John Roe.",               # credits
    "Sign up for our newsletter to get Iran news every morning.",  # boilerplate
    "We use cookies to improve your experience on this site.",
    "It was a long and tiring day for everyone involved.",      # nothing to check
])
def test_not_claims(lexicon: Lexicon, text: str) -> None:
    assert extract_claims(text, lexicon) == []


def test_dateline_is_cut_from_the_claim(lexicon: Lexicon) -> None:
    text = "Headline here\nMOSCOW, April 21 (Wire) - Putin signed the treaty into law on Monday."
    c = one(text, lexicon)
    assert c.text == "Putin signed the treaty into law on Monday."
    assert text[c.span.start:c.span.end] == c.text


# --- speakers through aliases and back-references --------------------------------------------


@pytest.mark.parametrize("sentence, speaker", [
    ("Владимир Путин said the treaty was a turning point.", "Vladimir Putin"),
    ("مسعود پزشکیان said the agreement would hold.", "Masoud Pezeshkian"),
    ("TEHRAN said the plant would reopen in May.", "Iran"),
    ("The Russian parliament said the treaty had been ratified.", "Federal Assembly of Russia"),
])
def test_speakers_through_aliases_in_any_script(lexicon: Lexicon, sentence: str,
                                                speaker: str) -> None:
    assert one(sentence, lexicon).speaker == speaker


def test_other_languages_get_quotes_and_entities_but_no_speaker(lexicon: Lexicon) -> None:
    """Reporting verbs are English only: a Russian sentence yields its quote and its
    entities (through the Cyrillic aliases), and no speaker (README, other languages)."""
    c = one("«Мы выполним все обязательства перед Ираном», — сказал Сергей Лавров.", lexicon)
    assert c.quote == "Мы выполним все обязательства перед Ираном"
    assert c.speaker is None and "Sergey Lavrov" in c.about


def test_pronoun_refers_to_the_last_named_speaker(lexicon: Lexicon) -> None:
    found = extract_claims(
        "Lavrov met his Omani counterpart on Monday, said the ministry.\n"
        "He said the treaty would take effect within weeks.", lexicon)
    assert found[-1].speaker == "Sergey Lavrov"


def test_the_minister_refers_to_the_last_minister(lexicon: Lexicon) -> None:
    found = extract_claims(
        "Russian Foreign Minister Sergey Lavrov said the deal was final.\n"
        "Donald Trump said Iran would pay a price.\n"
        "The minister added that Moscow would not be pressured.", lexicon)
    assert [c.speaker for c in found] == ["Sergey Lavrov", "Donald Trump", "Sergey Lavrov"]


def test_he_is_the_person_named_last_even_when_not_speaking(lexicon: Lexicon) -> None:
    found = extract_claims(
        "Putin said the treaty would hold.\n"
        "But the city's mayor, Mzwandile Masina, had another plan for the 2026 budget.\n"
        "He said the city would buy 500 buses.", lexicon)
    assert [c.speaker for c in found] == ["Vladimir Putin", None, "Mzwandile Masina"]


def test_the_name_before_an_appositive_is_the_speaker(lexicon: Lexicon) -> None:
    c = one("Mzwandile Masina, mayor of the City of Ekurhuleni, said the plan cost $2m.",
            lexicon)
    assert c.speaker == "Mzwandile Masina"


def test_a_title_with_of_is_cut_from_the_name(lexicon: Lexicon) -> None:
    c = one("“We are not combining the counts,” NCHS Chief of Mortality Statistics Bob "
            "Anderson said.", lexicon)
    assert c.speaker == "Bob Anderson"


def test_an_unknown_speaker_keeps_the_name_as_written(lexicon: Lexicon) -> None:
    found = extract_claims(
        "Iran's foreign ministry spokesman Esmaeil Baghaei rejected the report as baseless.\n"
        "“It is politically motivated,” Baghaei said on Sunday.", lexicon)
    assert [c.speaker for c in found] == ["Esmaeil Baghaei", "Esmaeil Baghaei"]
    assert "Esmaeil Baghaei" not in found[0].unknown_names


def test_lower_case_us_is_not_the_united_states(lexicon: Lexicon) -> None:
    c = one("Grossi told us the inspectors had found 408.6 kg of uranium.", lexicon)
    assert c.speaker == "Rafael Grossi" and "United States" not in c.about


# --- spans and robustness ---------------------------------------------------------------------


def test_spans_index_the_input(lexicon: Lexicon) -> None:
    text = ("  Intro\n\n“A plan will be ready by 2027,” Putin said.  \n"
            "  Tehran firmly denies all of it.\n")
    found = extract_claims(text, lexicon)
    assert [text[c.span.start:c.span.end] for c in found] == [
        "“A plan will be ready by 2027,” Putin said.", "Tehran firmly denies all of it."]


SENTENCE_PARTS = st.sampled_from([
    "Putin", "said", "“", "”", "«", "»", "„", "‘", "’", '"', ".", ",", "?", "!", " ", "\n",
    "Tehran", "denies", "17%", "will", "according to", "the minister", "he", "Mr.", "U.S.",
    "—", "Лавров", "ایران", "\t", "\x00", "\ufffd", "’s", "2026", "Photo:", "By",
])


def test_sentences_end_at_stops_of_other_scripts() -> None:
    chinese = "伊朗否认寻求核武器。俄罗斯表示条约将生效。"
    assert [s.text for s in split_sentences(chinese)] == [
        "伊朗否认寻求核武器。", "俄罗斯表示条约将生效。"]
    hindi = "ईरान ने आरोपों से इनकार किया। रूस ने कहा कि संधि लागू होगी।"
    assert len(split_sentences(hindi)) == 2


def test_a_persian_question_is_not_a_claim(lexicon: Lexicon) -> None:
    assert extract_claims("آیا ایران پیشنهاد را می‌پذیرد؟", lexicon) == []


@settings(max_examples=200, deadline=None)
@given(st.lists(SENTENCE_PARTS | st.text(max_size=8), max_size=60).map(" ".join))
def test_never_crashes_and_spans_always_index_the_input(lexicon: Lexicon, text: str) -> None:
    for c in extract_claims(text, lexicon):
        assert 0 <= c.span.start < c.span.end <= len(text)
        assert c.text.strip()
        assert c.kind in Kind
        assert 0.0 <= c.score <= 1.0
        assert c.quote is None or all(part.strip(" ,") in text for part in c.quote.split(" … "))


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=300))
def test_sentences_cover_their_text_exactly(text: str) -> None:
    for sentence in split_sentences(text):
        assert text[sentence.start:sentence.end] == sentence.text
        assert sentence.text.strip() == sentence.text
