"""Guessing a text file's encoding: Windows-1252 first, as the WHATWG standard has it,
other code pages where their letters say so, and an honest confidence."""

from __future__ import annotations

import pytest

from annotator.importing.encodings import HIGH, LOW, decode_data

ENGLISH = (
    "The minister said “we will not accept this proposal” – and left the room… "
    "It’s over, the party’s spokesman added — for now. "
)
FRENCH = "Le ministre a déclaré « nous n'accepterons pas » : café, naïve, façade, été. "
GERMAN = "Die Regierung erklärte „wir werden das nicht akzeptieren“ – Größe, Übermaß. "
CZECH = "Předseda vlády řekl, že „to nepřijmeme“ – a odešel. Žluťoučký kůň úpěl ódy. "
POLISH = "Premier powiedział, że „nie zaakceptujemy tego” – i wyszedł. Źdźbło, łódź, gęś. "
MAC_FRENCH = "Le ministre a déclaré “nous n’accepterons pas” – café, naïve, été, à côté. "


@pytest.mark.parametrize(
    ("text", "encoding", "expected"),
    [
        (ENGLISH, "cp1252", "cp1252"),
        (GERMAN, "cp1252", "cp1252"),
        (FRENCH, "latin-1", "cp1252"),  # Latin-1 reads the same under Windows-1252
        (CZECH, "cp1250", "cp1250"),
        (POLISH, "cp1250", "cp1250"),
        (MAC_FRENCH, "mac-roman", "mac-roman"),
    ],
)
@pytest.mark.parametrize("repeat", [1, 30], ids=["short", "long"])
def test_each_family_is_read_as_written(text, encoding, expected, repeat):
    decoded = decode_data((text * repeat).encode(encoding))
    assert decoded.text == text * repeat
    assert decoded.encoding == expected
    assert not decoded.certain


def test_word_punctuation_in_windows_1252_is_not_read_as_a_mac_code_page():
    """Curly quotes, dashes and apostrophes placed so that the detector alone picks a
    Mac or DOS code page (mac-iceland, cp775, hp-roman8 read them as letters)."""
    texts = [
        'surely, and South which™ to treaty,ß Moscow in all– Kim North prosperity." forces',
        "Jun the relations between and™’ quality has Some At concern is In in’’“ Media more“",
        "the bilateral militaryö as notingö if remains 51ö framework regarding in take",
        "President States™… the 30s, in characteristics in a Russia in™ (in… perspective",
    ]
    for text in texts:
        decoded = decode_data(text.encode("cp1252"))
        assert (decoded.encoding, decoded.text) == ("cp1252", text)


def test_confidence_is_high_with_clear_evidence_and_low_without():
    assert decode_data((ENGLISH * 3).encode("cp1252")).confidence == HIGH
    assert decode_data((CZECH * 5).encode("cp1250")).confidence == HIGH
    # One mark of evidence, and a Mac code page: worth a look.
    assert decode_data("Caf\u00e9 today.".encode("cp1252")).confidence == LOW
    assert decode_data((MAC_FRENCH * 3).encode("mac-roman")).confidence == LOW
    assert decode_data(b"plain").certain  # UTF-8 is certain, no guess at all


RUSSIAN = "Правительство России подписало договор с Северной Кореей. Министр заявил об этом. "


@pytest.mark.parametrize("encoding", ["koi8-r", "iso8859-5"])
def test_russian_in_an_old_code_page_is_not_read_as_western(encoding):
    """Windows-1252 reads any byte from 0xA0 as a letter: these read as runs of
    accented letters (ðÒÁ×ÉÔÅÌØ…), with high confidence, and no warning was given."""
    decoded = decode_data((RUSSIAN * 3).encode(encoding))
    assert decoded.text == RUSSIAN * 3


def test_polish_in_iso_8859_2_is_not_taken_for_western_with_confidence():
    """Windows-1252 reads its ą and ł as ± and ³: the detector's Central European
    reading is kept, and whatever it reads, the guess is not given as certain."""
    data = (POLISH.replace("„", '"').replace("”", '"').replace("–", "-") * 3).encode("iso8859-2")
    decoded = decode_data(data)
    assert decoded.encoding != "cp1252"
    assert "±" not in decoded.text and "³" not in decoded.text
