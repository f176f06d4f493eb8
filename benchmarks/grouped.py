"""The conv engine's grouped mode on depthwise and grouped convolutions: cycles and conv weight ROM
words with the mode (each output-channel group's channel loop over its input band) and without it
(the dense mode every grouped convolution ran in before: all input channels, zero weights across
groups).

* MobileNetV2 (``e3ne.models.mobilenet_v2_cifar``, 32x32 input, T = 4): every convolution by the
  exact cycle model (:mod:`e3ne.engine.mapping`, each layer at its best slot count) on the engine
  ``tile`` would choose for the whole network; the 17 depthwise layers one by one, and the total.
  (The whole network does not compile yet: docs/models.md.)
* Compiled designs (``e3ne.compile``, T = 4, 8-bit weights): MobileNetV2's features.0-2 with a conv
  head, and the grouped and depthwise-separable test nets of test/unit/test_grouped_conv.py: cycles
  per image and ROM words of the design, and of the same program in dense mode.

    ./dev.sh run python benchmarks/grouped.py

Writes benchmarks/results/grouped.json.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, cast

import numpy as np
import torch
from rich.console import Console
from rich.table import Table
from torch import nn

import e3ne
from e3ne import models
from e3ne.engine import cycles, images, schema
from e3ne.engine.mapping import ConvShape, best_conv_map, choose_size
from e3ne.lowering.hw_to_verilog import find_engine

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "test" / "unit"))

from test_grouped_conv import grouped_net, separable_net  # noqa: E402
from test_signed_hidden import _randomise_batch_norms  # noqa: E402

TIMESTEPS = 4


def conv_shapes(model: nn.Module, x: torch.Tensor) -> list[tuple[str, ConvShape]]:
    """Every nn.Conv2d of ``model`` as the engine sees it (T = 4, no pooling), in forward order."""
    found: list[tuple[str, ConvShape]] = []

    def hook(name: str):
        def record(conv: nn.Module, inputs: tuple[torch.Tensor, ...], output: torch.Tensor) -> None:
            assert isinstance(conv, nn.Conv2d)
            _, c_in, h_in, w_in = inputs[0].shape
            _, c_out, h_out, w_out = output.shape
            (kh, kw), (sh, sw) = conv.kernel_size, conv.stride
            ph, pw = cast(tuple[int, int], conv.padding)
            window = (c_in, h_in, w_in, c_out, kh, kw, sh, sw, ph, pw, h_out, w_out, TIMESTEPS)
            found.append((name, ConvShape(*window, feature_groups=conv.groups)))

        return record

    handles = [m.register_forward_hook(hook(n)) for n, m in model.named_modules() if isinstance(m, nn.Conv2d)]
    with torch.no_grad():
        model(x)
    for handle in handles:
        handle.remove()
    return found


def dense(shape: ConvShape) -> ConvShape:
    return ConvShape(*[getattr(shape, f) for f in ConvShape.__dataclass_fields__ if f != "feature_groups"])


def mobilenet_layers() -> dict[str, Any]:
    shapes = conv_shapes(models.mobilenet_v2_cifar().eval(), torch.rand(1, 3, 32, 32))
    size = choose_size([s for _, s in shapes])
    rows = []
    totals = {"cycles_dense": 0, "cycles_grouped": 0, "words_dense": 0, "words_grouped": 0}
    for name, shape in shapes:
        row: dict[str, Any] = {"layer": name, "depthwise": shape.feature_groups > 1}
        for mode, s in (("dense", dense(shape)), ("grouped", shape)):
            m = best_conv_map(s, size)
            row[f"cycles_{mode}"] = m.cycles
            row[f"words_{mode}"] = images.conv_weight_depth(
                s.c_out, s.c_in, s.kh, s.kw, size.units, m.slots, s.feature_groups
            )
            totals[f"cycles_{mode}"] += m.cycles
            totals[f"words_{mode}"] += row[f"words_{mode}"]
        row.update(c=shape.c_out, hw=f"{shape.h_out}x{shape.w_out}", stride=shape.sh)
        rows.append(row)
    return {"engine": {"CU": size.units, "COLS": size.cols}, "layers": rows, "convolutions": totals}


def design_numbers(design: e3ne.Design) -> dict[str, int]:
    """Cycles per image and conv weight ROM words of ``design``, and of its program in dense mode."""
    params = design.params()
    descs = find_engine(design.module).descriptors(params)
    dense_descs = [dict(d, c_span=0, band_step=0) for d in descs]
    words = sum(
        images.conv_weight_depth(d["c_out"], d["c_in"], d["kh"], d["kw"], params["CU"], d["slots"])
        for d in descs
        if d["kind"] == schema.LayerKind.CONV
    )
    return {
        "cycles_grouped": design.cycles_per_image(),
        "cycles_dense": cycles.program_cycles(dense_descs, params),
        "words_grouped": params["CWDEPTH"],
        "words_dense": words,
    }


def mobilenet_prefix() -> nn.Module:
    """features.0-2 (stem, a t = 1 block, a t = 6 block: depthwise 32 and 96 channels) with a conv head,
    as test_signed_hidden compiles them."""
    torch.manual_seed(7)
    mobilenet = _randomise_batch_norms(models.mobilenet_v2_cifar(), 7)
    assert isinstance(mobilenet, models.MobileNetV2)
    head = (nn.Conv2d(24, 4, 8, stride=8), nn.ReLU(), nn.Flatten(), nn.Linear(64, 10))
    return nn.Sequential(*list(mobilenet.features)[:3], *head).eval()


def compiled() -> dict[str, dict[str, int]]:
    out = {}
    for name, net, shape in (
        ("mobilenetv2 features.0-2", mobilenet_prefix, (3, 32, 32)),
        ("grouped test net", grouped_net, (2, 8, 8)),
        ("separable test net", separable_net, (3, 10, 10)),
    ):
        x = np.random.default_rng(3).uniform(0, 1, size=(2, *shape)).astype(np.float32)
        design = e3ne.compile(net(), torch.from_numpy(x[:1]), x, timesteps=TIMESTEPS, weight_bits=8)
        out[name] = design_numbers(design)
    return out


def main() -> None:
    console = Console(width=140)
    layers = mobilenet_layers()
    table = Table(title=f"MobileNetV2 depthwise layers, T = {TIMESTEPS}, engine {layers['engine']}")
    for column in ("layer", "C", "out", "cycles dense", "cycles grouped", "ROM words dense", "ROM words grouped"):
        table.add_column(column, justify="left" if column == "layer" else "right")
    depthwise = [r for r in layers["layers"] if r["depthwise"]]
    for r in depthwise:
        cells = (r["cycles_dense"], r["cycles_grouped"], r["words_dense"], r["words_grouped"])
        table.add_row(r["layer"], str(r["c"]), r["hw"], *(f"{v:,}" for v in cells))
    sums = [sum(r[k] for r in depthwise) for k in ("cycles_dense", "cycles_grouped", "words_dense", "words_grouped")]
    table.add_row("depthwise, all", "", "", *(f"{v:,}" for v in sums))
    t = layers["convolutions"]
    cells = (t["cycles_dense"], t["cycles_grouped"], t["words_dense"], t["words_grouped"])
    table.add_row("every convolution", "", "", *(f"{v:,}" for v in cells))
    console.print(table)
    designs = compiled()
    table = Table(title=f"compiled designs, T = {TIMESTEPS}, 8-bit weights (cycles per image)")
    for column in ("design", "cycles dense", "cycles grouped", "ROM words dense", "ROM words grouped"):
        table.add_column(column, justify="left" if column == "design" else "right")
    for name, d in designs.items():
        cells = (d["cycles_dense"], d["cycles_grouped"], d["words_dense"], d["words_grouped"])
        table.add_row(name, *(f"{v:,}" for v in cells))
    console.print(table)
    result = {"timesteps": TIMESTEPS, "mobilenetv2": layers, "designs": designs}
    (HERE / "results" / "grouped.json").write_text(json.dumps(result, indent=1) + "\n")


if __name__ == "__main__":
    main()
