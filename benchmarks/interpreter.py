"""Images per second of e3ne's ``snn`` interpreter, side by side with the same network in snnTorch.

The digits LeNet-class model (``e3ne.models.digits_example``) is imported at radix T=4 (8-bit
weights by default) and run with ``e3ne.interpreters.Runner`` — the public entry point, so a
call's cost includes building xDSL's ``Interpreter``. The same topology with the same trained
weights runs in snnTorch at the same T (see ``snntorch_model.py`` for how it is built), under
``torch.no_grad()`` on the CPU.

Batch sizes 1, 64 and the whole 540-image test split: each run goes through the test images in
batches of that size (full batches only) until at least ``--min-seconds`` have passed; the
e3ne and snnTorch runs are interleaved, ``--runs`` times, and the median is reported. torch and
numpy's BLAS are both limited to ``--threads`` threads.

The target: e3ne >= 2,000 images/s on 2 cores, and not slower than snnTorch. ``--profile``
adds, per batch size, where e3ne's time goes (per op kind, xDSL set-up and dispatch) and
cProfile's top functions.

    ./dev.sh run python benchmarks/interpreter.py [--runs 5] [--profile]
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import pstats
import statistics
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import torch
from benchmark_report import REPO, Contention, console, machine, quiet_warnings, shown, write_json
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from snntorch_model import PERCENTILE, SpikingSequential
from threadpoolctl import threadpool_limits
from xdsl.dialects.builtin import ModuleOp
from xdsl.interpreter import Interpreter, PythonValues
from xdsl.interpreters.func import FuncFunctions
from xdsl.ir import Operation

import e3ne
import e3ne.interpreters as interpreters
from e3ne.ir import main_function
from e3ne.models import digits_example, digits_split

TARGET_IMAGES_PER_SECOND = 2000.0
SETTLE_SECONDS = 0.5
"""Pause before each run, so the other side's spinning BLAS/OpenMP worker threads have gone to sleep."""


@dataclass
class Speed:
    """Images per second of one side at one batch size, over ``runs`` runs."""

    median: float
    low: float
    high: float
    runs: list[float]

    @staticmethod
    def of(runs: list[float]) -> Speed:
        return Speed(statistics.median(runs), min(runs), max(runs), runs)


@dataclass
class Row:
    batch_size: int
    batches: int
    """Full batches of this size in the test split (each run cycles through them)."""
    e3ne: Speed
    snntorch: Speed
    ratio: float = field(init=False)
    """e3ne / snnTorch (median images/s); >= 1 means e3ne is not slower."""
    meets_target: bool = field(init=False)

    def __post_init__(self) -> None:
        self.ratio = self.e3ne.median / self.snntorch.median
        self.meets_target = self.e3ne.median >= TARGET_IMAGES_PER_SECOND and self.ratio >= 1.0


def images_per_second(
    run: Callable[[Any], object], batches: list[Any], min_seconds: float, settle: float = 0.0
) -> float:
    """Cycle through ``batches`` until ``min_seconds`` have passed; images over elapsed seconds."""
    time.sleep(settle)
    images = 0
    started = time.perf_counter()
    elapsed = 0.0
    while elapsed < min_seconds:
        for batch in batches:
            run(batch)
            images += len(batch)
            elapsed = time.perf_counter() - started
            if elapsed >= min_seconds:
                break
    return images / elapsed


def full_batches(x: np.ndarray, size: int) -> list[np.ndarray]:
    return [x[start : start + size] for start in range(0, len(x) - size + 1, size)]


def accuracy(logits: np.ndarray, labels: np.ndarray) -> float:
    return float((np.argmax(logits, axis=1) == labels).mean())


# --------------------------------------------------------------------------- profiling


class _OpTimer(Interpreter.Listener):
    """Wall-clock seconds inside each op's implementation, summed per op name."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self._started = 0.0

    def will_interpret_op(self, op: Operation, args: PythonValues) -> None:
        self._started = time.perf_counter()

    def did_interpret_op(self, op: Operation, results: PythonValues) -> None:
        self.seconds[op.name] += time.perf_counter() - self._started


def time_breakdown(module: ModuleOp, batches: list[np.ndarray], min_seconds: float) -> dict[str, Any]:
    """Where a call's time goes: xDSL set-up, each op kind's implementation, and the rest (dispatch).

    Does what ``e3ne.interpreters.Runner.run`` does, with a timing listener in place of its recorder.
    """
    timer = _OpTimer()
    name = main_function(module).sym_name.data
    functions = interpreters.SnnFunctions()  # prepared weights are kept between calls, as a Runner does
    setup = total = 0.0
    calls = images = 0
    started = time.perf_counter()
    while time.perf_counter() - started < min_seconds:
        for batch in batches:
            t0 = time.perf_counter()
            interp = Interpreter(module, listeners=(timer,))
            interp.register_implementations(FuncFunctions())
            interp.register_implementations(functions)
            t1 = time.perf_counter()
            interp.call_op(name, (batch,))
            t2 = time.perf_counter()
            setup += t1 - t0
            total += t2 - t0
            calls += 1
            images += len(batch)
    in_ops = sum(timer.seconds.values())
    parts = {"xdsl Interpreter() + register_implementations": setup}
    parts |= {f"op {op}": seconds for op, seconds in sorted(timer.seconds.items(), key=lambda kv: -kv[1])}
    parts["xdsl dispatch (symbol lookup, region walk, SSA values)"] = total - setup - in_ops
    return {
        "calls": calls,
        "us_per_call": 1e6 * total / calls,
        "us_per_image": 1e6 * total / images,
        "parts": {part: {"us_per_call": 1e6 * s / calls, "share": s / total} for part, s in parts.items()},
    }


def _where(filename: str, line: int, function: str) -> str:
    path = Path(filename)
    for marker in ("site-packages", "__editable__.e3ne-0.1.0-py3-none-any"):
        if marker in path.parts:
            path = Path(*path.parts[path.parts.index(marker) + 1 :])
            break
    else:
        with contextlib.suppress(ValueError):
            path = path.relative_to(REPO)
    return f"{path}:{line}({function})" if line else function


def top_functions(module: ModuleOp, batches: list[np.ndarray], min_seconds: float, count: int = 15) -> list[dict]:
    """cProfile's most expensive functions by own time (tottime) over ``min_seconds`` of predict calls."""
    profiler = cProfile.Profile()
    profiler.enable()
    images_per_second(interpreters.Runner(module), batches, min_seconds)
    profiler.disable()
    stats = pstats.Stats(profiler)
    raw: dict[Any, Any] = stats.stats  # type: ignore[attr-defined]
    total = sum(entry[2] for entry in raw.values())
    rows = sorted(raw.items(), key=lambda kv: -kv[1][2])[:count]
    return [
        {
            "function": _where(*key),
            "calls": entry[1],
            "tottime_share": entry[2] / total,
            "cumtime_share": entry[3] / total,
        }
        for key, entry in rows
    ]


def profile_table(batch_size: int, breakdown: dict[str, Any], functions: list[dict]) -> list[Table]:
    parts = Table(title=f"e3ne at batch {batch_size}: {breakdown['us_per_call']:.0f} µs per call")
    parts.add_column("where")
    parts.add_column("µs / call", justify="right")
    parts.add_column("share", justify="right")
    for part, value in breakdown["parts"].items():
        parts.add_row(part, f"{value['us_per_call']:.1f}", f"{value['share']:.1%}")
    top = Table(title=f"cProfile, batch {batch_size}: top functions by own time")
    top.add_column("function")
    top.add_column("calls", justify="right")
    top.add_column("own", justify="right")
    top.add_column("incl. callees", justify="right")
    for row in functions:
        top.add_row(row["function"], str(row["calls"]), f"{row['tottime_share']:.1%}", f"{row['cumtime_share']:.1%}")
    return [parts, top]


# --------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Images/s of e3ne's snn interpreter and of snnTorch, same network.")
    parser.add_argument("--timesteps", type=int, default=4, help="T for both sides (default: 4)")
    parser.add_argument("--weight-bits", type=int, default=8, help="e3ne's weight width (default: 8)")
    parser.add_argument(
        "--batch-sizes", type=int, nargs="+", default=None, metavar="N", help="default: 1 64 and the whole test split"
    )
    parser.add_argument("--min-seconds", type=float, default=2.0, help="length of one run (default: 2)")
    parser.add_argument("--runs", type=int, default=5, help="runs per side and batch size; the median counts")
    parser.add_argument("--threads", type=int, default=2, help="torch and BLAS threads (default: 2)")
    parser.add_argument("--profile", action="store_true", help="also show where e3ne's time goes")
    args = parser.parse_args(argv)
    quiet_warnings()
    torch.set_num_threads(args.threads)

    model, example, calibration = digits_example()
    _, _, x_test, y_test = digits_split()
    batch_sizes: list[int] = args.batch_sizes or [1, 64, len(x_test)]
    module = e3ne.import_model(
        model, example, calibration, timesteps=args.timesteps, weight_bits=args.weight_bits, encoding="radix"
    )
    assert isinstance(model, torch.nn.Sequential)
    spiking = SpikingSequential(model, torch.from_numpy(calibration).float(), args.timesteps).eval()

    def run_snntorch(batch: torch.Tensor) -> torch.Tensor:
        with torch.no_grad():
            return spiking(batch)

    runner = interpreters.Runner(module)

    def run_e3ne(batch: np.ndarray) -> np.ndarray:
        return runner(batch)

    rows: list[Row] = []
    contention = Contention()
    profiles: dict[str, Any] = {}
    with threadpool_limits(limits=args.threads):
        e3ne_accuracy = accuracy(run_e3ne(x_test), y_test)
        snntorch_accuracy = accuracy(run_snntorch(torch.from_numpy(x_test)).numpy(), y_test)
        columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
        with contention, Progress(*columns, console=console, transient=True) as progress:
            task = progress.add_task("timing", total=len(batch_sizes) * args.runs * 2)
            for size in batch_sizes:
                batches = full_batches(x_test, size)
                torch_batches = [torch.from_numpy(b) for b in batches]
                run_e3ne(batches[0])  # warm caches and lazy imports on both sides
                run_snntorch(torch_batches[0])
                e3ne_runs: list[float] = []
                snntorch_runs: list[float] = []
                for run in range(args.runs):
                    progress.update(task, description=f"batch {size}, run {run + 1}: e3ne")
                    e3ne_runs.append(images_per_second(run_e3ne, batches, args.min_seconds, SETTLE_SECONDS))
                    progress.advance(task)
                    progress.update(task, description=f"batch {size}, run {run + 1}: snnTorch")
                    snntorch_runs.append(
                        images_per_second(run_snntorch, torch_batches, args.min_seconds, SETTLE_SECONDS)
                    )
                    progress.advance(task)
                rows.append(Row(size, len(batches), Speed.of(e3ne_runs), Speed.of(snntorch_runs)))
        if args.profile:
            for size in batch_sizes:
                batches = full_batches(x_test, size)
                breakdown = time_breakdown(module, batches, args.min_seconds)
                functions = top_functions(module, batches, args.min_seconds)
                profiles[str(size)] = {"breakdown": breakdown, "top_functions": functions}
                for shown_table in profile_table(size, breakdown, functions):
                    console.print(shown_table)

    table = Table(
        title=f"digits LeNet, T={args.timesteps}: images/s (median of {args.runs} runs, {args.threads} threads)",
        caption=f"accuracy on {len(y_test)} test images: e3ne radix {e3ne_accuracy:.2%}, "
        f"snnTorch IF {snntorch_accuracy:.2%}",
    )
    for column in ("batch", "e3ne img/s", "snnTorch img/s", "e3ne / snnTorch", "target"):
        table.add_column(column, justify="right")
    for row in rows:
        table.add_row(
            str(row.batch_size),
            f"{row.e3ne.median:,.0f}",
            f"{row.snntorch.median:,.0f}",
            f"{row.ratio:.2f}x",
            "[green]met[/]" if row.meets_target else "[bold red]missed[/]",
        )
    console.print(table)

    path = write_json(
        "interpreter",
        {
            "benchmark": "interpreter",
            "machine": machine(("e3ne", "xdsl", "numpy", "torch", "snntorch")),
            "model": "e3ne.models.digits_example (LeNet-class, scikit-learn digits 8x8)",
            "options": {
                "timesteps": args.timesteps,
                "weight_bits": args.weight_bits,
                "min_seconds": args.min_seconds,
                "runs": args.runs,
                "threads": args.threads,
            },
            "snntorch_model": {
                "input": "direct input current: the float image drives the first conv at every step",
                "neurons": "snn.Leaky(beta=1.0, reset_mechanism='subtract'), threshold = graded spike = "
                f"{PERCENTILE}th percentile of the layer's ReLU output on the calibration images",
                "pooling": "nn.MaxPool2d on spikes",
                "readout": "membrane of snn.Leaky(beta=1.0, reset_mechanism='none') after T steps",
            },
            "accuracy": {"e3ne": e3ne_accuracy, "snntorch": snntorch_accuracy, "test_images": len(y_test)},
            "target_images_per_second": TARGET_IMAGES_PER_SECOND,
            "rows": [asdict(row) for row in rows],
            "contention": contention.report(),
            "all_targets_met": all(row.meets_target for row in rows),
            "profile": profiles,
        },
    )
    console.print(f"wrote {shown(path)}")
    contention.warn()
    missed = [row.batch_size for row in rows if not row.meets_target]
    if missed and not args.profile:
        console.print(f"target missed at batch {', '.join(map(str, missed))}: --profile shows where the time goes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
