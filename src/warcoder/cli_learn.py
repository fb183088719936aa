"""`warcoder train DATA --out MODEL_DIR`: fine-tune the sub-type model on the user's labelled data
(warcoder.learn), and the checks that `code --model` shares."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import click

from .learn import INSTALL, missing_extra


def _err(msg: str) -> None:
    click.echo(f"error: {msg}", err=True)


def require_learn(command: str) -> None:
    """One line and exit 1 when the learn extra is not installed."""
    if missing_extra() is not None:
        _err(f"warcoder {command} needs the learn extra: {INSTALL}")
        sys.exit(1)


def check_model_dir(path: str) -> Path:
    """``--model DIR`` checked before any work: the extra, then the directory (one line each)."""
    from .learn.encoder import MODEL_JSON

    require_learn("code --model")
    d = Path(path)
    if not (d / MODEL_JSON).is_file():
        _err(f"{d}: not a warcoder model directory (no {MODEL_JSON}; write one with warcoder train)")
        sys.exit(2)
    return d


@click.command()
@click.argument("data", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--out", "out", required=True, type=click.Path(file_okay=False), help="The model directory to write.")
@click.option("--epochs", type=click.IntRange(min=1, max=50), default=4, show_default=True, help="Most passes.")
@click.option("--max-minutes", type=click.FloatRange(min=0.1), default=15.0, show_default=True, help="Time budget.")
@click.option("--val-share", type=click.FloatRange(min=0.02, max=0.5), default=0.1, show_default=True)
@click.option("--batch-size", type=click.IntRange(min=1, max=512), default=32, show_default=True)
@click.option("--seed", type=int, default=13, show_default=True)
@click.option("--no-rules", is_flag=True, help="Do not code the validation texts with the rules (the model decides).")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
def train(
    data: tuple[str, ...],
    out: str,
    epochs: int,
    max_minutes: float,
    val_share: float,
    batch_size: int,
    seed: int,
    no_rules: bool,
    quiet: bool,
) -> None:
    """Fine-tune the sub-type model on DATA (ACLED-format CSVs, JSONL of {text, sub_event_type}, `warcoder
    export --reports` or `export --corrections` output; several files are one set) and write it to --out,
    with its validation figures."""
    require_learn("train")
    from .learn.data import TrainingDataError, read_training_files
    from .learn.encoder import MODEL_JSON
    from .learn.train import TrainSettings, rules_sub_types
    from .learn.train import train as run

    target = Path(out)
    if target.exists() and any(target.iterdir()) and not (target / MODEL_JSON).is_file():
        raise click.UsageError(f"{target} exists and is not a warcoder model directory: choose another --out")
    try:
        td = read_training_files(list(data))
    except TrainingDataError as exc:
        _err(str(exc))
        sys.exit(1)
    for reason, n in sorted(td.skipped.items()):
        click.echo(f"warning: {', '.join(data)}: {n} row(s) skipped: {reason}", err=True)
    settings = TrainSettings(
        epochs=epochs, batch_size=batch_size, max_minutes=max_minutes, val_share=val_share, seed=seed
    )
    tmp = target.parent / f".{target.name}.{os.getpid()}.tmp"
    try:
        report = run(td, tmp, settings, progress=not quiet, rules=None if no_rules else rules_sub_types)
        if target.exists():
            shutil.rmtree(target)
        os.replace(tmp, target)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    click.echo(
        f"{report.n_train} training and {report.n_val} validation texts, {report.epochs_run} epoch(s) "
        f"(best {report.best_epoch}) in {report.seconds:.0f} s; validation weighted F1: "
        + ", ".join(f"{k} {v:.3f}" for k, v in report.figures.items())
        + f"; combined with the rules by: {report.mixing}; written to {target}",
        err=True,
    )
