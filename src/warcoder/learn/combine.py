"""How the model's sub-type and the rules' sub-type become one: the decision lives here, and only here.

The rules always find the event (its sentences, date, place, actors, fatalities); the model only
weighs in on its sub-type.  A ``Mixing`` says how:

- ``rules``: the model is ignored (it did not beat the rules on validation);
- ``model``: the model's most probable sub-type wins;
- ``threshold``: the model's sub-type wins when its probability is at least ``threshold``,
  else the rules' stands.

Which one, and the threshold, are chosen by :func:`choose` on the validation split at training time
(weighted F1 over the sub-types, the ACLED measure), never set by hand.  A tie goes to the rules.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

THRESHOLDS = (0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 0.98)


@dataclass(frozen=True)
class Mixing:
    mode: str = "threshold"  # rules | model | threshold
    threshold: float = 0.9

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def label(self) -> str:
        """How the mixing is named in figures and reports: "rules", "model" or "threshold 0.9"."""
        return f"threshold {self.threshold:g}" if self.mode == "threshold" else self.mode

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Mixing:
        m = cls(str(d.get("mode", "threshold")), float(d.get("threshold", 0.9)))
        if m.mode not in ("rules", "model", "threshold"):
            raise ValueError(f"unknown mixing mode {m.mode!r}")
        return m


@dataclass(frozen=True)
class Decision:
    sub_event_type: str
    typed_by: str  # rules | model | both
    model_prob: float  # the model's probability of its own best sub-type


def decide(rules_sub: str, best: str, prob: float, mixing: Mixing) -> Decision:
    """The sub-type of an event the rules found, from the rules' sub-type and the model's best guess."""
    if rules_sub == best:
        return Decision(best, "both", prob)
    if mixing.mode == "model" or (mixing.mode == "threshold" and prob >= mixing.threshold):
        return Decision(best, "model", prob)
    return Decision(rules_sub, "rules", prob)


def weighted_f1(gold: Sequence[str], pred: Sequence[str | None]) -> float:
    """Weighted F1 over the gold labels (each label's F1 weighted by its gold count), as the referee computes it."""
    n = len(gold)
    if n == 0:
        return 0.0
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    support = Counter(gold)
    for g, p in zip(gold, pred, strict=True):
        if p == g:
            tp[g] += 1
        elif p is not None:
            fp[p] += 1
    total = 0.0
    for label, s in support.items():
        prec = tp[label] / (tp[label] + fp[label]) if tp[label] + fp[label] else 0.0
        rec = tp[label] / s
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        total += f1 * s
    return total / n


def choose(
    gold: Sequence[str], rules: Sequence[str | None], best: Sequence[str], probs: Sequence[float]
) -> tuple[Mixing, dict[str, float]]:
    """The mixing with the best weighted F1 on validation, and every candidate's figure (ties: the rules,
    then the higher threshold, which defers to the rules more often)."""

    def score(m: Mixing) -> float:
        # where the rules found no event (None) there is nothing for the model to type
        preds = [
            None if r is None else decide(r, b, p, m).sub_event_type for r, b, p in zip(rules, best, probs, strict=True)
        ]
        return weighted_f1(gold, preds)

    candidates = [Mixing("rules"), *(Mixing("threshold", t) for t in sorted(THRESHOLDS, reverse=True)), Mixing("model")]
    figures = {m.label: round(score(m), 4) for m in candidates}
    best_m = max(candidates, key=lambda m: figures[m.label])  # max keeps the first of equals: rules first
    return best_m, figures
