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


@pytest.mark.parametrize(
    ("text", "n"),
    [
        ("Gunmen shot dead a local official on Wednesday.", 1),
        ("Gunmen shot dead two teachers in Kidal.", 2),
        ("Three fighters of the PMF were killed.", 3),
        ("Police said 4 members of the Wagner group were killed in the ambush.", 4),
        ("A child was among the dead.", 1),
        ("Two soldiers were among those killed.", 2),
        ("Two officers were among those injured.", 0),
        ("A woman was among the wounded.", 0),
        ("In 2019 the group's leaders were killed.", 0),  # a year, not a count
        # "several" dead is coded as 3, as ACLED codes it; "many" and "some" give no figure
        ("Militants ambushed a convoy and killed several soldiers.", 3),
        ("Several civilians were killed in the shelling.", 3),
        ("Many people were killed, residents said.", 0),
        # an assassination is a killing
        ("Unidentified gunmen assassinated a security officer in Aden.", 1),
        ("Gunmen assassinated two officers and their driver.", 2),
        ("A judge was assassinated outside his home.", 1),
        ("The governor survived an assassination attempt.", 0),
    ],
)
def test_more_ways_of_telling_deaths(text: str, n: int) -> None:
    # sentences written for this test
    assert count(text) == n


def test_a_later_toll_is_an_update_and_a_partial_count_is_a_floor() -> None:
    from warcoder.fatalities import count_parts

    # sentences written for this test
    assert count_parts(
        ["A strike killed at least four people.", "The minister later said five people had been killed."]
    ) == (4, 4, 5)
    # "the bodies of a woman and her two sons" are some of the seven, not a lower estimate of the toll
    assert (
        count_parts(
            ["Air strikes killed at least seven people.", "Rescuers pulled out the bodies of a woman and her two sons."]
        )[0]
        == 7
    )
    # "among the dead" raises a lower figure: at least seven died
    assert (
        count_parts(
            [
                "Warplanes bombed homes, killing two.",
                "Four children and three women were among the dead, the group said.",
            ]
        )[0]
        == 7
    )
    # activists' higher figure and the directorate's confirmation compete with the first report: the lowest wins
    assert count_parts(
        [
            "Security forces fired, killing one demonstrator.",
            "Activists said three protesters had been killed.",
            "The health directorate later confirmed one death.",
        ]
    ) == (1, 1, 3)
    # other deaths told apart still add up
    assert count_parts(["Gunmen killed two soldiers.", "Separately, a bomb killed three civilians."])[0] == 5


@pytest.mark.parametrize(
    ("text", "n"),
    [
        ("The monitor said nine members of the army and allied militiamen were killed in the ambush.", 9),
        ('The group said four of its members were "martyred" in the attack.', 4),
        ("Four children and three women were among the dead.", 7),
        ("Three fighters of the Popular Mobilisation Forces (PMF) were killed.", 3),
    ],
)
def test_long_subjects_of_a_kill_verb(text: str, n: int) -> None:
    assert count(text) == n
