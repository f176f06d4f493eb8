"""Nightly-size fuzzing: the CI's random-network strategies, run longer.

The same hypothesis strategies and checks as the tests: reference == interpreter on
``test_interpreter_vs_reference``'s chains and DAGs (radix and rate), and reference == RTL
(logits, and cycles == the cycle model) on ``test/rtl/netfuzz.py``'s whole networks, lowered by
the compiler's passes onto two fixed ``e3ne_core`` builds in Verilator. Each strategy runs
``--examples`` (``--rtl-examples``) networks from ``--seed``; a failure is shrunk by hypothesis to a
minimal network, which the table and the JSON show. Exit code 1 when any check failed.

    ./dev.sh run python benchmarks/fuzz.py                              # ~25 min: 4 x 2,000 + 2,000 networks
    ./dev.sh run python benchmarks/fuzz.py --examples 200 --rtl-examples 100 --seed 7
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import traceback
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from benchmark_report import REPO, console, machine, quiet_warnings, shown, write_json
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st
from rich.table import Table

sys.path[:0] = [str(REPO / "test" / "unit"), str(REPO / "test" / "rtl")]

import netfuzz  # noqa: E402
import test_interpreter_vs_reference as interp  # noqa: E402


@dataclass
class Run:
    """One strategy's run."""

    check: str
    strategy: str
    examples: int
    """Networks that passed the check."""
    seconds: float
    failure: str = ""
    """The shrunk failing network and the error, empty when every network passed."""
    kinds: dict[str, int] = field(default_factory=dict)
    """How many networks exercised each layer kind or engine feature (RTL runs)."""
    max_cycles: int = 0


def run_strategy(
    check: str, name: str, strategy: st.SearchStrategy[Any], body: Callable[[Any], None], examples: int, start: int
) -> Run:
    passed: list[Any] = []

    @seed(start)
    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    @given(strategy)
    def fuzz(case: Any) -> None:
        body(case)
        passed.append(case)

    began = time.perf_counter()
    failure = ""
    try:
        fuzz()
    except Exception:  # the shrunk example and its error, for the report
        failure = traceback.format_exc(limit=2)[-6000:]
    return Run(check, name, len(passed), time.perf_counter() - began, failure)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--examples", type=int, default=2000, help="networks per reference == interpreter strategy")
    parser.add_argument("--rtl-examples", type=int, default=2000, help="networks for reference == RTL")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    quiet_warnings()
    runs: list[Run] = []
    for name, strategy in [
        ("chains, radix", interp.networks(rate=False)),
        ("chains, rate", interp.networks(rate=True)),
        ("DAGs, radix", interp.dag_networks(rate=False)),
        ("DAGs, rate", interp.dag_networks(rate=True)),
    ]:
        console.print(f"reference == interpreter: {name} ...")
        runs.append(run_strategy("reference == interpreter", name, strategy, interp._check, args.examples, args.seed))  # pyright: ignore[reportPrivateUsage]

    kinds: Counter[str] = Counter()
    cycles: list[int] = []

    def on_rtl(case: netfuzz.Case) -> None:
        with tempfile.TemporaryDirectory() as workdir:
            outcome = netfuzz.cosimulate(case, Path(workdir))
        kinds.update(case.kinds() | outcome.features | {f"build {case.build}"})
        cycles.append(outcome.cycles)

    console.print("reference == RTL: whole networks ...")
    for name in netfuzz.BUILDS:
        netfuzz.binary(name)  # the Verilator builds first, outside the timing
    rtl = run_strategy(
        "reference == RTL", "whole networks", netfuzz.rtl_networks(), on_rtl, args.rtl_examples, args.seed
    )
    rtl.kinds, rtl.max_cycles = dict(sorted(kinds.items())), max(cycles, default=0)
    runs.append(rtl)

    table = Table(title=f"Fuzzing, seed {args.seed}")
    for column in ("check", "strategy", "networks passed", "seconds", "networks/s", "result"):
        table.add_column(column, justify="right" if column in ("networks passed", "seconds", "networks/s") else "left")
    for r in runs:
        result = "[green]ok[/green]" if not r.failure else "[red]FAILED[/red]"
        table.add_row(
            r.check, r.strategy, f"{r.examples:,}", f"{r.seconds:.1f}", f"{r.examples / r.seconds:.1f}", result
        )
    console.print(table)
    kinds_table = Table(title="reference == RTL: networks per layer kind and feature")
    kinds_table.add_column("kind")
    kinds_table.add_column("networks", justify="right")
    for kind, count in rtl.kinds.items():
        kinds_table.add_row(kind, f"{count:,}")
    console.print(kinds_table)
    for r in runs:
        if r.failure:
            console.print(f"[red]{r.check}, {r.strategy}: minimal failing network[/red]\n{r.failure}")
    path = write_json(
        "fuzz",
        {"machine": machine(), "seed": args.seed, "examples": args.examples, "rtl_examples": args.rtl_examples,
         "builds": {name: p.asdict() for name, p in netfuzz.BUILDS.items()}, "runs": [asdict(r) for r in runs]},
    )  # fmt: skip
    console.print(f"wrote {shown(path)}")
    return 1 if any(r.failure for r in runs) else 0


if __name__ == "__main__":
    raise SystemExit(main())
