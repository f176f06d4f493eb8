"""The report's figures (matplotlib, PNG beside report.html). Each reads the report's plain data,
writes its file into the design folder and returns the file name, or None when the report has
nothing for it to draw."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any


@contextmanager
def _figure(path: Path, size: tuple[float, float] = (6.4, 4.2)) -> Iterator[tuple[Any, Any]]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=size, dpi=110)
    try:
        yield fig, ax
        fig.tight_layout()
        fig.savefig(path, metadata={"Software": None})  # no version stamp: the same design, the same bytes
    finally:
        plt.close(fig)


def pareto(data: dict[str, Any], folder: Path) -> str | None:
    """Cycles per image against LUT of explore's Pareto front (BRAM36 as colour), the choice
    starred, the LUT budget dashed."""
    explore = data.get("explore")
    if not isinstance(explore, dict) or not explore.get("front"):
        return None
    name = "pareto.png"
    front = explore["front"]
    with _figure(folder / name) as (fig, ax):
        points = ax.scatter([r["lut"] for r in front], [r["cycles"] for r in front], c=[r["bram36"] for r in front],
                            cmap="viridis", s=22, label="Pareto front")  # fmt: skip
        fig.colorbar(points, ax=ax, label="BRAM36")
        ax.scatter([explore["estimate"]["lut"]], [explore["cycles"]], marker="*", s=220, color="crimson",
                   label=f"chosen ({explore['objective']})")  # fmt: skip
        budget = explore.get("budget", {})
        if isinstance(budget, dict) and budget.get("lut") and budget["lut"] < 2 * max(r["lut"] for r in front):
            ax.axvline(budget["lut"], color="grey", linestyle="--", label="LUT budget")
        ax.set_xlabel("LUT (estimate)")
        ax.set_ylabel("cycles per image (exact model)")
        ax.set_yscale("log")
        ax.set_title(f"{data['name']}: explore on {explore.get('device') or 'a budget'}")
        ax.legend(fontsize=8)
    return name


def _paired_bars(path: Path, labels: list[str], bars: dict[str, list[float]], xlabel: str, title: str,
                 log: bool = False) -> None:  # fmt: skip
    """Two horizontal bars per label (one per entry of ``bars``), labels top to bottom."""
    positions = range(len(labels))
    with _figure(path, (6.4, 0.9 + 0.35 * len(labels))) as (_, ax):
        for offset, (name, values) in zip((-0.2, 0.2), bars.items(), strict=True):
            ax.barh([p + offset for p in positions], values, height=0.4, label=name)
        ax.set_yticks(list(positions), labels)
        ax.invert_yaxis()
        if log:
            ax.set_xscale("log")
            from matplotlib.ticker import NullFormatter

            ax.xaxis.set_minor_formatter(NullFormatter())  # minor labels overlap over a narrow range
        ax.set_xlabel(xlabel)
        ax.set_title(title)
        ax.legend(fontsize=8)


def layer_cycles(data: dict[str, Any], folder: Path) -> str | None:
    """Cycles of every layer (exact model) next to its ideal bound."""
    layers = data.get("layers")
    if not layers:
        return None
    name = "layers.png"
    bars = {"ideal bound": [row["ideal"] for row in layers], "cycles (model)": [row["cycles"] for row in layers]}
    _paired_bars(folder / name, [row["layer"] for row in layers], bars, "cycles per image",
                 f"{data['name']}: cycles per layer", log=True)  # fmt: skip
    return name


def resources(data: dict[str, Any], folder: Path) -> str | None:
    """LUT and FF per block (the cost model's estimate), with the totals Yosys counted when it ran."""
    estimate = data.get("estimate")
    if not isinstance(estimate, dict):
        return None
    name = "resources.png"
    blocks = estimate["blocks"]
    labels = list(blocks)
    bars = {kind: [blocks[b][kind] for b in blocks] for kind in ("lut", "ff")}
    synthesis = data.get("synthesis")
    if isinstance(synthesis, dict):
        labels.append("total (Yosys)")
        for kind in bars:
            bars[kind].append(synthesis[kind])
    title = f"{data['name']}: estimate per block ({estimate['lut']:,} LUT, {estimate['bram36']} BRAM36)"
    _paired_bars(folder / name, labels, {"LUT": bars["lut"], "FF": bars["ff"]}, "count", title)
    return name


def encoding_trials(data: dict[str, Any], folder: Path) -> str | None:
    """select-encoding's trials: score against cycles, those within the budget apart, the choice starred."""
    search = data.get("encoding_search")
    if not isinstance(search, dict):
        return None
    name = "encoding.png"
    metric = search["metric"]
    trials = search["trials"]
    with _figure(folder / name) as (_, ax):
        for within, colour, label in ((True, "tab:green", "within the budget"), (False, "tab:grey", "outside")):
            rows = [t for t in trials if t["within_budget"] == within]
            ax.scatter([t["cycles"] for t in rows], [100 * t[metric] for t in rows], s=18, color=colour, label=label)
        chosen = next(t for t in trials if t["timesteps"] == search["chosen"])
        ax.scatter([chosen["cycles"]], [100 * chosen[metric]], marker="*", s=220, color="crimson",
                   label=f"chosen T = {search['chosen']}")  # fmt: skip
        ax.axhline(100 * search["reference"] - search["budget_points"], color="grey", linestyle="--", label="budget")
        ax.set_xlabel("cycles per image (exact model)")
        ax.set_ylabel(f"{metric} (%)")
        ax.set_title(f"{data['name']}: timesteps per layer")
        ax.legend(fontsize=8)
    return name


def timestep_sweep(data: dict[str, Any], folder: Path) -> str | None:
    """Accuracy (or agreement) and cycles against one T for every layer, the design's T marked."""
    sweep = data.get("timestep_sweep")
    if not isinstance(sweep, dict):
        return None
    name = "timesteps.png"
    metric, rows = sweep["metric"], sweep["rows"]
    steps = [r["timesteps"] for r in rows]
    with _figure(folder / name) as (_, ax):
        ax.plot(steps, [100 * r[metric] for r in rows], marker="o", color="tab:blue", label=f"{metric}, quantized")
        ax.axhline(100 * sweep["reference"], color="tab:blue", linestyle="--", label="float network")
        ax.set_xlabel("timesteps T (every layer)")
        ax.set_ylabel(f"{metric} (%)", color="tab:blue")
        chosen = data.get("options", {}).get("timesteps")
        if chosen in steps:
            ax.axvline(chosen, color="crimson", linestyle=":", label=f"this design: T = {chosen}")
        cycles = ax.twinx()
        cycles.plot(steps, [r["cycles"] for r in rows], marker="s", color="tab:orange")
        cycles.set_ylabel("cycles per image (exact model)", color="tab:orange")
        ax.set_title(f"{data['name']}: {metric} and cycles against T")
        ax.legend(fontsize=8, loc="lower right")
    return name
