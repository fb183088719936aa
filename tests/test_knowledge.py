"""The one loader for data/ files."""

from __future__ import annotations

import pytest

from warcoder import knowledge


def test_load_yaml_is_fresh_and_shared_yaml_is_one_object() -> None:
    a, b = knowledge.load_yaml("taxonomy.yaml"), knowledge.load_yaml("taxonomy.yaml")
    assert a == b and a is not b
    assert knowledge.shared_yaml("taxonomy.yaml") is knowledge.shared_yaml("taxonomy.yaml")
    assert "Battles" in a


def test_read_tsv_skips_comments_and_blank_lines() -> None:
    rows = knowledge.read_tsv("governments.tsv")
    assert rows and all(len(r) >= 3 for r in rows)
    assert not any(r[0].startswith("#") for r in rows)


def test_read_lines_skips_comments() -> None:
    words = knowledge.read_lines("english_stopwords.txt")
    assert "the" in {w.lower() for w in words}
    assert not any(w.startswith("#") or not w for w in words)


def test_nested_names_and_missing_files() -> None:
    assert knowledge.data_file("gazetteer/stopwords.txt").is_file()
    with pytest.raises(FileNotFoundError):
        knowledge.read_text("no_such_file.yaml")


def test_every_data_file_parses_the_same_with_the_fast_loader() -> None:
    import yaml

    from warcoder import knowledge

    names = [p.name for p in knowledge.data_file("").iterdir() if p.name.endswith((".yaml", ".yml"))]
    names += [f"conflicts/{p.name}" for p in knowledge.data_file("conflicts").iterdir() if p.name.endswith(".yaml")]
    assert len(names) > 10
    for name in names:
        text = knowledge.read_text(name)
        assert knowledge.parse_yaml(text) == yaml.safe_load(text), name
