"""What a design costs and how it performs: per-layer cycles (exact model and ideal bound),
co-simulation, synthesis, accuracy, compile times. Plain data, JSON and a small HTML page."""

from __future__ import annotations

import html
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from e3ne import figures

if TYPE_CHECKING:
    from e3ne.design import Design


def layer_rows(design: Design) -> list[dict[str, object]]:
    """One row per hardware layer: shape, where it reads and writes its activations (bank and base
    word), synaptic operations, cycles (model) and the ideal bound."""
    from e3ne.engine import cycles as cycle_model
    from e3ne.engine.schema import LayerKind
    from e3ne.lowering.hw_to_verilog import find_engine

    engine = find_engine(design.module)
    params = design.params()
    descs = engine.descriptors(params)
    timing = cycle_model.DramTiming() if design.dram else None
    rows = []
    per_layer = cycle_model.layer_cycles(descs, params, timing)
    for layer, desc, cycles in zip(engine.layers(), descs, per_layer, strict=True):
        groups = layer.fields().get("feature_groups", 1)  # a grouped conv: c_in / groups inputs per output
        ideal = cycle_model.ideal_cycles(desc, params, groups)
        conv = desc["kind"] == LayerKind.CONV
        synops = desc["c_out"] * desc["c_in"] // groups
        synops *= desc["h_out"] * desc["w_out"] * desc["kh"] * desc["kw"] if conv else 1
        rows.append(
            {
                "layer": layer.layer_name.data,
                "unit": "conv" if conv else "linear",
                "shape": _shape(desc, conv),
                "reads": f"bank {desc['src_bank']} @ {desc['src_base']}",
                "writes": "output port" if desc["raw"] else f"bank {desc['dst_bank']} @ {desc['dst_base']}",
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


def estimate_section(design: Design) -> dict[str, object] | None:
    """The cost model's estimate of the design's engine (per block and in total), or None before tiling."""
    import time

    from e3ne.engine import cost, dram, schema
    from e3ne.engine.cycles import DramTiming, program_cycles
    from e3ne.engine.schema import LayerKind
    from e3ne.lowering.hw_to_verilog import find_engine
    from e3ne.passes.explore import live_widths, tiled_engine

    started = time.perf_counter()
    if design.compilation.stage == "hw":
        engine = find_engine(design.module)
        params, live = design.params(), live_widths(engine)
    elif "snn-tiled" in design.compilation.modules:
        engine = tiled_engine(design.tiled)
        params, live = engine.derived_params(), None
        if design.dram:  # the caches the DRAM image's layout will have (DramLayout.params)
            descs = engine.descriptors(params)
            params.update({**schema.DRAM_PARAMS, "WDRAM": 1, "CWCACHE": dram.cache_words(descs, LayerKind.CONV),
                           "LWCACHE": dram.cache_words(descs, LayerKind.LINEAR)})  # fmt: skip
    else:
        return None
    section = cost.estimate(params, live=live).as_dict()
    section["rom_images"] = "known: constant ROM columns dropped" if live else "not packed yet: BRAM36 an upper bound"
    timing = DramTiming() if params.get("WDRAM") else None
    section["cycles_per_image"] = program_cycles(engine.descriptors(params), params, timing)
    section["engine"] = params
    section["model"] = "e3ne.engine.cost: logic fitted against yosys synth_xilinx -family xcup, block RAM counted"
    section["seconds"] = round(time.perf_counter() - started, 3)
    return section


def on_device(part: str, estimate: dict[str, object], synthesis: dict[str, object]) -> dict[str, object]:
    """``latency`` at the part's typical clock, and ``utilization``: percent of its LUT, FF, BRAM36
    and DSP the estimate (and Yosys, once run) use, LUTs in the part's own kind (an ECP5's LUT4:
    the preset's LUT4 per LUT6)."""
    from e3ne.passes.explore import RESOURCES, device

    resources = device(part)
    clock = float(resources["clock_mhz"])  # type: ignore[arg-type]
    cycles = int(estimate["cycles_per_image"])  # type: ignore[arg-type]
    scale = {"lut": float(resources.get("lut_per_lut6", 1.0))}  # type: ignore[arg-type]
    used: dict[str, object] = {}
    for source, counts in (("estimate", estimate), ("yosys", synthesis)):
        if counts:
            used[source] = {
                r: round(100 * float(counts[r]) * scale.get(r, 1.0) / float(resources[r]), 2)  # type: ignore[arg-type]
                for r in RESOURCES
            }
    latency = {
        "device": part,
        "clock_mhz": clock,
        "us_per_image": round(cycles / clock, 2),
        "images_per_s": round(clock * 1e6 / cycles, 1),
        "note": "at the device's typical clock (e3ne/data/devices.json), not a timing result",
    }
    return {"latency": latency, "utilization": used}


def decisions(design: Design) -> dict[str, object]:
    """What explore and select-encoding decided (read back from the IR's attributes)."""
    from e3ne.ir import functions
    from e3ne.passes.explore import read_exploration
    from e3ne.passes.select_encoding import read_search

    found: dict[str, object] = {}
    for stage, reader, key in (("snn-tiled", read_exploration, "explore"), ("snn", read_search, "encoding_search")):
        module = design.compilation.modules.get(stage)
        if module is None:
            continue
        for function in functions(module):
            data = reader(function)
            if data is not None:
                found[key] = data
    return found


def dram_section(design: Design) -> dict[str, object]:
    """Weights in DRAM (docs/hardware.md 2.6): the image's layout, per layer where its words are."""
    from e3ne.engine import dram
    from e3ne.engine.schema import LayerKind
    from e3ne.lowering.hw_to_verilog import DRAM_IMAGE_FILE, find_engine

    layout = design.dram_layout()
    assert layout is not None
    engine = find_engine(design.module)
    params = design.params()
    layers = []
    for layer, desc in zip(engine.layers(), engine.descriptors(params), strict=True):
        conv = desc["kind"] == LayerKind.CONV
        base, slot = (0, layout.conv_slot) if conv else (layout.linear_offset, layout.linear_slot)
        words = dram.layer_words(desc)
        layers.append({"layer": layer.layer_name.data, "unit": "conv" if conv else "linear",
                       "byte_address": base + desc["w_base"] * slot, "words": words, "bytes": words * slot,
                       "group_words": dram.group_words(desc)})  # fmt: skip
    return {
        "in": "dram",
        "image": DRAM_IMAGE_FILE,
        "image_bytes": layout.size,
        "axi_data_bits": layout.axi_bits,
        "axi_burst_beats": layout.burst,
        "conv_word_bits": layout.conv_word_bits,
        "conv_word_bytes": layout.conv_slot,
        "linear_word_bits": layout.linear_word_bits,
        "linear_word_bytes": layout.linear_slot,
        "linear_offset": layout.linear_offset,
        "cache_words": {"conv": params["CWCACHE"], "linear": params["LWCACHE"]},
        "on_chip": "biases and the layer program (ROMs), the layout ROM (weight_layout.mem)",
        "cycles_timing": "the testbench memory: latency 2, one beat per cycle (cycles.DramTiming())",
        "layers": layers,
    }


def design_report(design: Design) -> dict[str, object]:
    from e3ne.engine.cycles import FETCH_CYCLES

    data: dict[str, object] = {
        "name": design.name,
        "options": {k: v for k, v in vars(design.options).items()},
        "timings_s": {k: round(v, 3) for k, v in design.timings.items()},
    }
    data.update(decisions(design))
    estimate = estimate_section(design)
    if estimate is not None:
        data["estimate"] = estimate
        engine = estimate["engine"]
        assert isinstance(engine, dict)
        # the sizes tile or explore chose (the options hold 0 for "chosen by the compiler")
        data["engine_size"] = {"conv_units": engine["CU"], "cols": engine["COLS"], "lanes": engine["LANES"],
                               "linear_unit": bool(engine["HAS_LINEAR"])}  # fmt: skip
        if design.options.device:
            data.update(on_device(design.options.device, estimate, design.synthesis))
    if design.compilation.stage == "hw":
        rows = layer_rows(design)
        data["engine"] = design.params()
        data["layers"] = rows
        model_total = sum(int(r["cycles"]) for r in rows) + FETCH_CYCLES + 1  # type: ignore[arg-type]
        data["cycles_per_image_model"] = model_total
        if design.dram:
            data["weights"] = dram_section(design)
        data["ideal_cycles_per_image"] = sum(int(r["ideal"]) for r in rows)  # type: ignore[arg-type]
    if design.accuracy:
        data["accuracy"] = design.accuracy
    if design.simulation:
        data["simulation"] = design.simulation
    if design.synthesis:
        data["synthesis"] = {k: v for k, v in design.synthesis.items() if k != "cells"}
        data["synthesis_cells"] = design.synthesis.get("cells", {})
    if design.board:
        data["board"] = design.board
    if design.sweep:
        data["timestep_sweep"] = design.sweep
    if design.directory is not None:
        data["files"] = sorted(str(p.relative_to(design.directory)) for p in design.directory.rglob("*") if p.is_file()
                               and not {"obj_dir", "obj_host", "board"} & set(p.parts))  # fmt: skip
    return data


def _options_shown(data: dict[str, object]) -> dict[str, object]:
    """The options, with an engine size the compiler chose shown as its value ("chosen: 2")."""
    given = data.get("options")
    options: dict[str, object] = dict(given) if isinstance(given, dict) else {}
    chosen = data.get("engine_size")
    if isinstance(chosen, dict):
        for key in ("conv_units", "cols", "lanes"):
            if options.get(key) == 0:
                options[key] = f"chosen: {chosen[key]}" if key != "lanes" or chosen["linear_unit"] else "chosen: none"
    return options


def _table(rows: list[dict[str, object]]) -> str:
    if not rows:
        return ""
    head = "".join(f"<th>{html.escape(str(k))}</th>" for k in rows[0])
    body = "".join("<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in row.values()) + "</tr>" for row in rows)
    return f"<table><tr>{head}</tr>{body}</table>"


def board_shown(board: object) -> dict[str, object] | None:
    """A board build as a reader takes it in: utilisation as used / available (percent), the tries."""
    if not isinstance(board, dict):
        return None
    shown = dict(board)
    used = board.get("utilization")
    if isinstance(used, dict):
        shown["utilization"] = {k: f"{u['used']:,} / {u['available']:,} ({100 * u['used'] / u['available']:.1f} %)"
                                for k, u in used.items() if u["available"]}  # fmt: skip
    tries = board.get("attempts")
    if isinstance(tries, list):
        shown["attempts"] = "; ".join(f"{t['clock_mhz']:g} MHz clock: Fmax {t['fmax_mhz']:g}" for t in tries)
    return shown


def _pairs(title: str, values: object) -> str:
    if not isinstance(values, dict) or not values:
        return ""
    rows = [
        {"": k, "value": ", ".join(f"{a} {b}" for a, b in v.items()) if isinstance(v, dict) else v}
        for k, v in values.items()
    ]
    return f"<h2>{html.escape(title)}</h2>" + _table(rows)


def _figure(draw: Callable[[dict[str, object], Path], str | None], data: dict[str, object], folder: Path,
            alt: str) -> str:  # fmt: skip
    """An <img> of the figure ``draw`` writes into ``folder`` (nothing when it has nothing to draw)."""
    name = draw(data, folder)
    return f'<p><img src="{name}" alt="{html.escape(alt)}"></p>' if name else ""


def write_html(data: dict[str, object], path: Path) -> None:
    """A self-contained page (no scripts, no external resources but its PNG figures)."""
    parts = [
        "<!doctype html><meta charset=utf-8>",
        f"<title>e3ne report: {html.escape(str(data['name']))}</title>",
        "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}"
        "td,th{border:1px solid #bbb;padding:3px 8px;text-align:right}</style>",
        f"<h1>e3ne design: {html.escape(str(data['name']))}</h1>",
        _pairs("Options", _options_shown(data)),
        _pairs("Accuracy", data.get("accuracy")),
        _pairs("Latency (estimate)", data.get("latency")),
        _pairs("Utilization of the device (%)", data.get("utilization")),
    ]
    estimate = data.get("estimate")
    if isinstance(estimate, dict):
        parts.append("<h2>Estimate (cost model, before synthesis)</h2>")
        blocks = estimate.get("blocks", {})
        rows = [{"block": k, **v} for k, v in blocks.items()]  # type: ignore[union-attr]
        rows.append({"block": "total", "lut": estimate["lut"], "ff": estimate["ff"], "bram36": estimate["bram36"]})
        parts.append(_table(rows))
        parts.append(_figure(figures.resources, data, path.parent, "resources per block"))
    explore = data.get("explore")
    if isinstance(explore, dict):
        parts.append("<h2>Explore</h2>")
        keep = ("device", "objective", "budget", "margin", "units", "cols", "lanes", "linear", "cycles", "estimate",
                "bram36", "considered", "legal")  # fmt: skip
        parts.append(_pairs("", {k: explore[k] for k in keep if k in explore}).removeprefix("<h2></h2>"))
        parts.append(_figure(figures.pareto, data, path.parent, "Pareto front: cycles against LUT"))
    search = data.get("encoding_search")
    if isinstance(search, dict):
        parts.append(
            f"<h2>Encoding search ({html.escape(str(search['metric']))}, reference {search['reference']:.4f}, "
            f"budget {search['budget_points']} points)</h2>"
        )
        parts.append(_figure(figures.encoding_trials, data, path.parent, "select-encoding's trials"))
        parts.append(_table(search["trials"]))  # type: ignore[arg-type]
    sweep = data.get("timestep_sweep")
    if isinstance(sweep, dict):
        parts.append("<h2>Accuracy against timesteps (one T for every layer)</h2>")
        parts.append(_figure(figures.timestep_sweep, data, path.parent, "accuracy and cycles against T"))
        parts.append(_table(sweep["rows"]))  # type: ignore[arg-type]
    if "layers" in data:
        parts.append("<h2>Layers (cycles per image: exact model, ideal bound)</h2>")
        parts.append(_figure(figures.layer_cycles, data, path.parent, "cycles per layer against the ideal bound"))
        parts.append(_table(data["layers"]))  # type: ignore[arg-type]
        parts.append(f"<p>cycles per image (model): {data.get('cycles_per_image_model')}</p>")
    parts += [
        _pairs("Co-simulation", data.get("simulation")),
        _pairs("Synthesis", data.get("synthesis")),
        _pairs("Board", board_shown(data.get("board"))),
        _pairs("Engine parameters", data.get("engine")),
        _pairs("Compile times (s)", data.get("timings_s")),
    ]
    path.write_text("\n".join(p for p in parts if p) + "\n")
