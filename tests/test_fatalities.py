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
