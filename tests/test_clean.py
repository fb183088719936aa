"""Tests for warcoder.clean: body/comment separation on plain-text layouts and HTML."""

from __future__ import annotations

from pathlib import Path

import pytest

from warcoder.clean import clean_html, clean_text, load_cues, split_comments
from warcoder.model import DocumentError

LAYOUTS = Path(__file__).parent / "fixtures" / "layouts"


def _read(name: str) -> str:
    return (LAYOUTS / name).read_text(encoding="utf-8")


# (fixture, text the non-body part starts with or None for "no cut", expected authors)
CASES: list[tuple[str, str | None, list[str | None]]] = [
    ("wordpress_comments.txt", "Share this:", ["abu_salem", "Mark T.", "Leila"]),
    ("disqus_export.txt", "12 Comments", ["Ahmed Al-Hadrami", "FreedomWatcher77", "Sarah Lindqvist"]),
    ("no_comments_subheads.txt", None, []),
    ("forum_reply.txt", "desert_fox", ["desert_fox", "Omar K", "Tripolitanian"]),
    ("unmarked_names.txt", "Marcus Reed", ["Marcus Reed", "Gul Ahmad", "Stan"]),
]


@pytest.mark.parametrize(("name", "tail_start", "authors"), CASES)
def test_layouts(name: str, tail_start: str | None, authors: list[str | None]) -> None:
    text = _read(name)
    end, comments = split_comments(text)
    if tail_start is None:
        assert end == len(text)
    else:
        assert text[end:].startswith(tail_start)
        assert text[:end].strip(), "body must not be empty"
    assert [c.author for c in comments] == authors
    for c in comments:
        assert c.start is not None and c.end is not None
        assert c.start >= end
        assert text[c.start : c.end] == c.text
        assert c.text.strip() and c.text == c.text.strip()
        # comment widgets and timestamps never leak into comment text
        assert "Reply" not in c.text.splitlines()
        assert "ago" not in c.text.split("\n")[0][-4:]


def test_wordpress_drops_furniture_and_form() -> None:
    text = _read("wordpress_comments.txt")
    _, comments = split_comments(text)
    joined = " ".join(c.text for c in comments)
    assert "Twitter" not in joined and "UN Envoy" not in joined
    assert "email address" not in joined
    assert comments[1].text.startswith("Thanks for the report.")


def test_no_comment_article_keeps_subheads_and_late_name_line() -> None:
    text = _read("no_comments_subheads.txt")
    doc = clean_text(text, doc_id="x")
    assert doc.body == text
    assert doc.comments == []
    assert "Reporting by John Smith" in doc.body
    assert doc.title == "Fighting Flares In Northern Burkina Faso"


def test_plain_text_without_blank_lines_is_line_mode() -> None:
    body = (
        "Rebels attacked an army base near the town of Beni in North Kivu on Monday, killing three soldiers.\n"
        "The army said it repelled the attack after two hours of fighting.\n"
    )
    tail = "Comments\nkivu_watch says:\nI do not believe the army figures at all.\n"
    end, comments = split_comments(body + tail)
    assert end == len(body)
    assert [(c.author, c.text) for c in comments] == [("kivu_watch", "I do not believe the army figures at all.")]


def test_crlf_offsets() -> None:
    text = _read("unmarked_names.txt").replace("\n", "\r\n")
    end, comments = split_comments(text)
    assert text[end:].startswith("Marcus Reed")
    for c in comments:
        assert text[c.start : c.end] == c.text
        assert "\r" not in c.text[-1:]


def test_short_notes_and_headline_never_cut() -> None:
    note = (
        "On 12 June 2021, clan fighters raided a police post outside Bar-Xawaale village "
        "(Kismaayo, Lower Juba). 2 fatalities."
    )
    assert split_comments(note) == (len(note), [])
    assert split_comments("") == (0, [])
    # a marker before any substantial paragraph (a share bar at the top) does not end the body
    top = "Share this:\n\nFacebook\n\n" + note + "\n"
    assert split_comments(top)[0] == len(top)


def test_single_subhead_followed_by_quote_is_not_a_comment() -> None:
    text = (
        "Government forces shelled rebel positions near the town of Kafr Nabl in Idlib province on "
        "Thursday, killing four fighters, a monitoring group said.\n\n"
        "Reaction\n\n"
        '"I will not accept these attacks," the local council head said in a statement.\n'
    )
    assert split_comments(text) == (len(text), [])


def test_single_unmarked_comment_needs_two_cues() -> None:
    body = (
        "Government forces shelled rebel positions near the town of Kafr Nabl in Idlib province on "
        "Thursday, killing four fighters, a monitoring group said.\n\n"
    )
    weak = body + "Analyst View\n\nThe offensive is likely to continue into next month.\n"
    assert split_comments(weak)[0] == len(weak)
    strong = body + "Sam Rivers\n\nI can't believe you still call them rebels! Who pays them?\n"
    end, comments = split_comments(strong)
    assert strong[end:].startswith("Sam Rivers")
    assert comments[0].author == "Sam Rivers"


def test_cues_load() -> None:
    cues = load_cues()
    assert cues.min_body_words > 0
    assert cues.comment_markers.fullmatch("Comments (3)")
    assert cues.end_markers.fullmatch("Share this:")
    assert cues.ts_any.fullmatch("November 2, 2017 at 3:14 pm")
    assert cues.ts_any.fullmatch("5 hours ago")
    assert cues.widget.fullmatch("• Reply • Share ›")


# --------------------------------------------------------------------------- HTML


def test_wordpress_html() -> None:
    doc = clean_html(_read("wp_article.html"), doc_id="wp", origin="wp_article.html")
    assert doc.title == "Clashes in Kidal leave five dead"
    assert doc.published is not None and doc.published.isoformat() == "2021-06-09"
    assert doc.source == "Sahel Monitor"
    assert "Anefis" in doc.body
    assert [c.author for c in doc.comments] == ["Moussa Ag Intalla", "Claire D."]
    assert doc.comments[0].text == "The checkpoint story is not the whole truth, I was there last month."
    assert doc.comments[1].text == "Could you tell us more? Thanks."
    for c in doc.comments:
        assert c.text not in doc.text
    for bad in ("Leave a Reply", "says:", "Reply", "checkpoint story", "Copyright"):
        assert bad not in doc.text


def test_generic_comment_markup() -> None:
    doc = clean_html(_read("generic_comments.html"), doc_id="g")
    assert [c.author for c in doc.comments] == ["ivan_k", "Anna"]
    assert "Every winter" not in doc.text and "Stay safe" not in doc.text
    assert "Kyivskyi" in doc.body


def test_html_argument_metadata_wins() -> None:
    doc = clean_html(_read("wp_article.html"), doc_id="wp", title="Given", source="Feed")
    assert doc.title == "Given" and doc.source == "Feed"


def test_html_without_text_raises() -> None:
    with pytest.raises(DocumentError) as ei:
        clean_html(
            "<html><head><title>T</title></head><body><script>var x = 1;</script></body></html>",
            doc_id="empty",
            origin="e.html",
        )
    assert str(ei.value).startswith("e.html:")


def test_html_unmarked_comments_in_body_are_cut() -> None:
    html = (
        "<html><body><article><h1>Strike on convoy</h1>"
        "<p>An airstrike hit a convoy of fighters near the village of Atmeh in Idlib province on Friday, "
        "killing at least nine people, a monitoring group said.</p>"
        "<p>The convoy was travelling towards the Turkish border when it was hit.</p>"
        "<p>Comments</p><p>jo_b says:</p><p>Who carried out the strike? Nobody ever says.</p>"
        "</article></body></html>"
    )
    doc = clean_html(html, doc_id="c")
    assert "Atmeh" in doc.body
    assert "Who carried out" not in doc.body
    assert [c.author for c in doc.comments] == ["jo_b"]


NEWS_LEAD = (
    "Government forces shelled rebel positions near the town of Kafr Nabl in Idlib province on "
    "Thursday, killing four fighters, a monitoring group said.\n\n"
)


def test_quoted_statements_are_not_comment_headers() -> None:
    text = (
        NEWS_LEAD + "The ministry said:\n\n"
        '"Our forces responded to repeated violations of the ceasefire by terrorist groups."\n\n'
        "The rebels said:\n\n"
        '"We will not let you advance one more metre, we promise it!"\n\n'
        "Update - 15:30\n\nThe shelling resumed in the afternoon, residents said.\n"
    )
    assert split_comments(text) == (len(text), [])


def test_name_then_relative_timestamp_line() -> None:
    text = NEWS_LEAD + "Dana K\n3 days ago\nThe same happened last year in this town.\n"
    end, comments = split_comments(text)
    assert text[end:].startswith("Dana K")
    assert [(c.author, c.text) for c in comments] == [("Dana K", "The same happened last year in this town.")]


def test_author_bio_after_article_is_body() -> None:
    text = NEWS_LEAD + "John Smith\n\nJohn Smith is a freelance journalist based in Beirut.\n"
    assert split_comments(text) == (len(text), [])


def test_author_with_initial_and_final_period() -> None:
    text = (
        NEWS_LEAD + "Lena P.\n\nAbout time!!! Keep it up.\n\n"
        "Tom from Leeds\n\nI wonder who is behind this. Nobody tells you anything.\n"
    )
    end, comments = split_comments(text)
    assert text[end:].startswith("Lena P.")
    assert [c.author for c in comments] == ["Lena P.", "Tom from Leeds"]
