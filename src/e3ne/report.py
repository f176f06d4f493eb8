"""What a design costs and how it performs: per-layer cycles (exact model and ideal bound),
co-simulation, synthesis, accuracy, compile times. Plain data, JSON and a small HTML page."""

from __future__ import annotations

import html
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from e3ne.design import Design


def layer_rows(design: Design) -> list[dict[str, object]]:
    """One row per hardware layer: shape, synaptic operations, cycles (model) and the ideal bound."""
    from e3ne.engine import cycles as cycle_model
    from e3ne.engine.schema import LayerKind
    from e3ne.lowering.hw_to_verilog import find_engine

    engine = find_engine(design.module)
    params = engine.core_params()
    rows = []
    for layer, desc in zip(engine.layers(), engine.descriptors(params), strict=True):
        cycles = cycle_model.expected_cycles(desc, params)
        ideal = cycle_model.ideal_cycles(desc, params)
        conv = desc["kind"] == LayerKind.CONV
        synops = desc["c_out"] * desc["c_in"] * (desc["h_out"] * desc["w_out"] * desc["kh"] * desc["kw"] if conv else 1)
        rows.append(
            {
                "layer": layer.layer_name.data,
                "unit": "conv" if conv else "linear",
                "shape": _shape(desc, conv),
                "timesteps": desc["t_in"],
                "synaptic_ops": synops,
                "parallel": params["CU"] * params["COLS"] if conv else params["LANES"],
                "cycles": cycles + cycle_model.FETCH_CYCLES,
                "ideal": round(ideal),
                "utilization": round(ideal / cycles, 3) if cycles else 0.0,
            }
        )
    return rows


def _shape(desc: dict[str, int], conv: bool) -> str:
    from e3ne.engine.schema import PoolMode

    if not conv:
        return f"{desc['c_in']} -> {desc['c_out']}"
    pool = ["", f" pool{desc['pool_size']}", f" avgpool{desc['pool_size']}"][PoolMode(desc["pool_mode"])]
    return f"{desc['c_in']}x{desc['h_in']}x{desc['w_in']} -> {desc['c_out']}x{desc['h_out']}x{desc['w_out']}{pool}"


def design_report(design: Design) -> dict[str, object]:
    from e3ne.engine.cycles import FETCH_CYCLES

    data: dict[str, object] = {
        "name": design.name,
        "options": {k: v for k, v in vars(design.options).items()},
        "timings_s": {k: round(v, 3) for k, v in design.timings.items()},
    }
    if design.compilation.stage == "hw":
        rows = layer_rows(design)
        data["engine"] = design.params()
        data["layers"] = rows
        model_total = sum(int(r["cycles"]) for r in rows) + FETCH_CYCLES + 1  # type: ignore[arg-type]
        data["cycles_per_image_model"] = model_total
        data["ideal_cycles_per_image"] = sum(int(r["ideal"]) for r in rows)  # type: ignore[arg-type]
    if design.accuracy:
        data["accuracy"] = design.accuracy
    if design.simulation:
        data["simulation"] = design.simulation
    if design.synthesis:
        data["synthesis"] = {k: v for k, v in design.synthesis.items() if k != "cells"}
        data["synthesis_cells"] = design.synthesis.get("cells", {})
    if design.directory is not None:
        data["files"] = sorted(str(p.relative_to(design.directory)) for p in design.directory.rglob("*") if p.is_file()
                               and "obj_dir" not in p.parts)  # fmt: skip
    return data


def _table(rows: list[dict[str, object]]) -> str:
    if not rows:
        return ""
    head = "".join(f"<th>{html.escape(str(k))}</th>" for k in rows[0])
    body = "".join("<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in row.values()) + "</tr>" for row in rows)
    return f"<table><tr>{head}</tr>{body}</table>"


def _pairs(title: str, values: object) -> str:
    if not isinstance(values, dict) or not values:
        return ""
    rows = [
        {"": k, "value": ", ".join(f"{a} {b}" for a, b in v.items()) if isinstance(v, dict) else v}
        for k, v in values.items()
    ]
    return f"<h2>{html.escape(title)}</h2>" + _table(rows)


def write_html(data: dict[str, object], path: Path) -> None:
    """A self-contained page (no scripts, no external resources)."""
    parts = [
        "<!doctype html><meta charset=utf-8>",
        f"<title>e3ne report: {html.escape(str(data['name']))}</title>",
        "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}"
        "td,th{border:1px solid #bbb;padding:3px 8px;text-align:right}</style>",
        f"<h1>e3ne design: {html.escape(str(data['name']))}</h1>",
        _pairs("Options", data.get("options")),
        _pairs("Accuracy", data.get("accuracy")),
    ]
    if "layers" in data:
        parts.append("<h2>Layers (cycles per image: exact model, ideal bound)</h2>")
        parts.append(_table(data["layers"]))  # type: ignore[arg-type]
        parts.append(f"<p>cycles per image (model): {data.get('cycles_per_image_model')}</p>")
    parts += [
        _pairs("Co-simulation", data.get("simulation")),
        _pairs("Synthesis", data.get("synthesis")),
        _pairs("Engine parameters", data.get("engine")),
        _pairs("Compile times (s)", data.get("timings_s")),
    ]
    path.write_text("\n".join(p for p in parts if p) + "\n")
