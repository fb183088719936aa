import pytest

from warcoder.fatalities import count, split, to_int


@pytest.mark.parametrize(
    "text, want",
    [
        ("29 ISIS members were reportedly killed in the clashes there.", 29),
        ("Unknown attackers killed a man and wounded two others.", 1),
        ("Six Ukrainian soldiers were wounded.", 0),
        ("No casualties were reported.", 0),
        ("Dozens of people were killed in the strikes.", 12),
        ("Hundreds were killed.", 100),
        ("Tens of fighters were killed.", 10),
        ("An unknown suicide bomber killed 3 civilians, and injured 15. Fatalities coded as 4.", 4),
        ("The attack left two soldiers and a civilian dead. 3 fatalities.", 3),
        ("1 killed, 7 injured.", 1),
        ("Militants killed at least 6 civilians and injured 4 more.", 6),
        ("Police arrested 30 people.", 0),
        ("Gunmen abducted 12 residents.", 0),
        ("Two soldiers were killed and three civilians died later in hospital.", 5),
    ],
)
def test_count(text: str, want: int) -> None:
    assert count(text) == want


def test_number_words() -> None:
    assert to_int("twenty-five") == 25
    assert to_int("1,200") == 1200
    assert to_int("dozens") == 12
    assert to_int("banana") is None


def test_split_is_conservative_and_complete() -> None:
    assert split(29, 2) == [15, 14]
    assert split(0, 3) == [0, 0, 0]
    assert sum(split(10, 3)) == 10


@pytest.mark.parametrize(
    "text, want",
    [
        ("Five border guards and one officer were killed when their vehicle hit a mine.", 6),
        ("One Mayi Mayi fighter was killed and the police drove off the rest.", 1),
        ("The brawl ended with 1 person being killed and 2 injured.", 1),
        ("Police clashed with a gang member, killing the man.", 1),
        ("A trader was stabbed to death at the market.", 1),
        ("6 fighters were killed. Fatalities are split across 2 events (3).", 3),
    ],
)
def test_conjoined_and_passive_counts(text: str, want: int) -> None:
    assert count(text) == want
