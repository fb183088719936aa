from warcoder.sentences import split


def test_offsets_are_exact_and_paragraphs_counted() -> None:
    text = "Title line\n\nOn May 2, Gen. Smith said the U.S. forces left. Rockets hit Homs.\n\nSecond para!  Yes."
    sents = split(text)
    for s in sents:
        assert text[s.start : s.end] == s.text
    assert [s.text for s in sents] == [
        "Title line",
        "On May 2, Gen. Smith said the U.S. forces left.",
        "Rockets hit Homs.",
        "Second para!",
        "Yes.",
    ]
    assert [s.paragraph for s in sents] == [0, 1, 1, 2, 2]


def test_bounds_are_respected() -> None:
    text = "Body one. Body two.\n\nComment one."
    sents = split(text, 0, text.index("Comment"))
    assert [s.text for s in sents] == ["Body one.", "Body two."]


def test_numbers_do_not_end_sentences() -> None:
    text = "The 72 brigade fired 3.5 km east of the town. Then it stopped."
    assert len(split(text)) == 2
