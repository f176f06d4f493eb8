"""Digits test accuracy against timesteps: radix (E3NE) versus rate encoding, at two weight widths.

For the LeNet-class digits model shipped with e3ne (``e3ne.models.digits_example``) this measures
the float PyTorch accuracy on the 540 test images of scikit-learn's digits, then for every
quantized point (radix T = 1..8, rate T = 4..64, each at every ``--weight-bits``) imports the
model with ``e3ne.import_model``, runs the ``snn`` interpreter on all test images and checks
its logits against the integer reference (``e3ne.reference``) image by image.

Writes ``results/accuracy.json`` and ``results/accuracy.png`` (accuracy vs timesteps, log2
axis). Any point where the interpreter and the reference disagree is recorded and makes the
script exit with status 1 after the results are written.

    ./dev.sh run python benchmarks/accuracy.py [--weight-bits 8 4] [--quick]
"""

from __future__ import annotations

import argparse
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import torch
from benchmark_report import RESULTS, console, machine, quiet_warnings, shown, write_json
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

import e3ne
import e3ne.interpreters as interpreters
from e3ne import reference, reference_ir
from e3ne.models import digits_example, digits_split

RADIX_TIMESTEPS = (1, 2, 3, 4, 5, 6, 7, 8)
RATE_TIMESTEPS = (4, 8, 16, 32, 64)
QUICK_RADIX_TIMESTEPS = (1, 2, 4, 8)
QUICK_RATE_TIMESTEPS = (4, 16, 64)
ENCODINGS = ("radix", "rate")


@dataclass
class Point:
    """One quantized network evaluated on the whole test split."""

    encoding: str
    timesteps: int
    weight_bits: int
    accuracy: float
    correct: int
    interpreter_matches_reference: bool
    mismatched_images: int
    seconds: float
    """Import + quantization + interpreter + reference, wall clock."""


@dataclass
class Data:
    model: torch.nn.Module
    example: torch.Tensor
    calibration: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray


def load() -> Data:
    model, example, calibration = digits_example()
    _, _, x_test, y_test = digits_split()
    return Data(model, example, calibration, x_test, y_test)


def float_accuracy(data: Data) -> float:
    with torch.no_grad():
        predicted = data.model(torch.from_numpy(data.x_test)).argmax(dim=1).numpy()
    return float((predicted == data.y_test).mean())


def mismatched_images(logits: np.ndarray, expected: np.ndarray) -> int:
    """Images whose logits differ anywhere (all of them if the shapes differ)."""
    if logits.shape != expected.shape:
        return len(logits)
    return int(np.any(logits != expected, axis=1).sum())


def evaluate(data: Data, encoding: str, timesteps: int, weight_bits: int, scale_rule: str) -> Point:
    started = time.perf_counter()
    module = e3ne.import_model(
        data.model,
        data.example,
        data.calibration,
        timesteps=timesteps,
        weight_bits=weight_bits,
        encoding=encoding,
        scale_rule=scale_rule,
    )
    logits = interpreters.predict(module, data.x_test)
    expected = reference.run(reference_ir.network_from_module(module), data.x_test)
    mismatched = mismatched_images(logits, expected)
    correct = int((np.argmax(logits, axis=1) == data.y_test).sum())
    return Point(
        encoding=encoding,
        timesteps=timesteps,
        weight_bits=weight_bits,
        accuracy=correct / len(data.y_test),
        correct=correct,
        interpreter_matches_reference=mismatched == 0,
        mismatched_images=mismatched,
        seconds=time.perf_counter() - started,
    )


def schedule(weight_bits: list[int], quick: bool) -> list[tuple[str, int, int]]:
    """(encoding, timesteps, weight bits) of every point, in the order they run."""
    radix = QUICK_RADIX_TIMESTEPS if quick else RADIX_TIMESTEPS
    rate = QUICK_RATE_TIMESTEPS if quick else RATE_TIMESTEPS
    return [("radix", t, b) for b in weight_bits for t in radix] + [("rate", t, b) for b in weight_bits for t in rate]


def run_points(data: Data, plan: list[tuple[str, int, int]], scale_rule: str) -> list[Point]:
    points: list[Point] = []
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task("accuracy", total=len(plan))
        for encoding, timesteps, bits in plan:
            progress.update(task, description=f"{encoding} T={timesteps} {bits}-bit weights")
            points.append(evaluate(data, encoding, timesteps, bits, scale_rule))
            progress.advance(task)
    return points


def table(points: list[Point], encoding: str, weight_bits: list[int], float_acc: float) -> Table:
    """One row per T, one accuracy column per weight width, and whether interpreter == reference."""
    result = Table(title=f"{encoding}: digits test accuracy", caption=f"float PyTorch: {float_acc:.2%}")
    result.add_column("T", justify="right")
    for bits in weight_bits:
        result.add_column(f"{bits}-bit weights", justify="right")
    result.add_column("interpreter == reference", justify="center")
    by_key = {(p.timesteps, p.weight_bits): p for p in points if p.encoding == encoding}
    for steps in sorted({t for t, _ in by_key}):
        row = [by_key.get((steps, bits)) for bits in weight_bits]
        cells = [f"{p.accuracy:.2%}" if p else "-" for p in row]
        checks = [p for p in row if p is not None]
        bad = sum(p.mismatched_images for p in checks)
        match = "[green]yes[/]" if bad == 0 else f"[bold red]NO ({bad} images)[/]"
        result.add_row(str(steps), *cells, match)
    return result


def plot(points: list[Point], float_acc: float, weight_bits: list[int], path: Path) -> Path | None:
    """Accuracy vs timesteps (log2 x axis): radix and rate per weight width, float as a line."""
    try:
        import matplotlib
    except ImportError:
        console.print("[yellow]matplotlib is not installed: no plot (pip install matplotlib)[/]")
        return None
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 4.5))
    colors = {"radix": "tab:blue", "rate": "tab:orange"}
    styles = ["-", "--", ":", "-."]
    for encoding in ENCODINGS:
        for index, bits in enumerate(weight_bits):
            series = sorted(
                (p.timesteps, p.accuracy) for p in points if p.encoding == encoding and p.weight_bits == bits
            )
            if not series:
                continue
            steps, acc = zip(*series, strict=True)
            ax.plot(
                steps,
                [100 * a for a in acc],
                color=colors[encoding],
                linestyle=styles[index % len(styles)],
                marker="o" if encoding == "radix" else "s",
                label=f"{encoding}, {bits}-bit weights",
            )
    ax.axhline(100 * float_acc, color="black", linestyle=":", linewidth=1, label=f"float ({float_acc:.2%})")
    ax.set_xscale("log", base=2)
    all_steps = sorted({p.timesteps for p in points})
    ax.set_xticks(all_steps, [str(t) for t in all_steps])
    ax.set_xlabel("timesteps T (log2)")
    ax.set_ylabel("test accuracy (%)")
    ax.set_title("scikit-learn digits, LeNet-class model: radix vs rate encoding")
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(loc="lower right")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=150)
    plt.close(fig)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Digits test accuracy against timesteps: radix vs rate encoding.")
    parser.add_argument(
        "--weight-bits",
        type=int,
        nargs="+",
        default=[8, 4],
        metavar="B",
        help="weight widths, one series each (default: 8 4)",
    )
    parser.add_argument("--scale-rule", choices=("mse", "e3ne"), default="mse", help="quantize's scale rule")
    parser.add_argument(
        "--quick",
        action="store_true",
        help=f"fewer points: radix T={QUICK_RADIX_TIMESTEPS}, rate T={QUICK_RATE_TIMESTEPS}",
    )
    args = parser.parse_args(argv)
    weight_bits: list[int] = list(dict.fromkeys(args.weight_bits))
    quiet_warnings()

    data = load()
    float_acc = float_accuracy(data)
    started = time.perf_counter()
    points = run_points(data, schedule(weight_bits, args.quick), args.scale_rule)
    seconds = time.perf_counter() - started

    for encoding in ENCODINGS:
        console.print(table(points, encoding, weight_bits, float_acc))
    json_path = write_json(
        "accuracy",
        {
            "benchmark": "accuracy",
            "machine": machine(),
            "model": "e3ne.models.digits_example (LeNet-class, scikit-learn digits 8x8)",
            "test_images": len(data.y_test),
            "calibration_images": len(data.calibration),
            "options": {"weight_bits": weight_bits, "scale_rule": args.scale_rule, "quick": args.quick},
            "float_accuracy": float_acc,
            "points": [asdict(p) for p in points],
            "all_match_reference": all(p.interpreter_matches_reference for p in points),
            "seconds": seconds,
        },
    )
    png_path = plot(points, float_acc, weight_bits, RESULTS / "accuracy.png")
    console.print(f"wrote {shown(json_path)}" + (f" and {shown(png_path)}" if png_path else ""))

    bad = [p for p in points if not p.interpreter_matches_reference]
    if bad:
        for p in bad:
            console.print(
                f"[bold red]MISMATCH: {p.encoding} T={p.timesteps} {p.weight_bits}-bit weights: interpreter and "
                f"reference disagree on {p.mismatched_images} of {len(data.y_test)} test images[/]"
            )
        return 1
    console.print(
        f"[green]interpreter == reference on all {len(data.y_test)} test images at all {len(points)} points[/]"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
