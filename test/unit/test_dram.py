"""Weights in DRAM (docs/hardware.md 2.6): the image and its layout, the cost model's caches, and the
digits network compiled with ``weights="dram"`` co-simulated against the interpreter (the generated
testbench's AXI memory model serves verilog/dram.mem) in exactly the cycles of the model."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import numpy as np
import pytest
from test_vivado import _run_tcl  # pyright: ignore[reportPrivateUsage]

import e3ne
from e3ne import host, models
from e3ne.engine import cost, cycles, dram, schema
from e3ne.engine.schema import LayerKind
from e3ne.errors import E3neError
from e3ne.lowering.hw_to_verilog import find_engine
from e3ne.tools.cli import main


def test_word_slots_are_whole_beats_of_a_power_of_two() -> None:
    assert [dram.beats_per_word(bits, 64) for bits in (1, 64, 65, 128, 129, 192, 384)] == [1, 1, 2, 2, 4, 4, 8]
    assert dram.slot_bytes(16, 64) == 8 and dram.slot_bytes(200, 32) == 32
    assert dram.burst_words(200, 32, 16) == 2 and dram.burst_words(200, 32, 4) == 1


def test_cache_holds_two_groups_of_the_largest_layer() -> None:
    descs = [
        {"kind": LayerKind.CONV, "c_in": 3, "kh": 3, "kw": 3, "groups": 4, "w_base": 0},
        {"kind": LayerKind.CONV, "c_in": 16, "kh": 5, "kw": 5, "groups": 2, "w_base": 108},
        {"kind": LayerKind.LINEAR, "c_in": 100, "groups": 3, "w_base": 0},
    ]
    assert dram.cache_words(descs, LayerKind.CONV) == 1024  # 2 x 400 words
    assert dram.cache_words(descs, LayerKind.LINEAR) == 256
    assert dram.layer_ends(descs) == [108, 908, 300]


def test_image_places_each_word_in_its_slot() -> None:
    layout = dram.DramLayout(24, 80, 3, 2, axi_bits=32)  # conv: 1 beat of 4 bytes; linear: 4 beats
    image = layout.image([0xABCDEF, 1, 2], [(1 << 79) | 5, 7])
    assert layout.linear_offset == dram.PAGE and layout.size == dram.PAGE + 2 * 16
    assert image[:4] == bytes([0xEF, 0xCD, 0xAB, 0]) and image[4:8] == bytes([1, 0, 0, 0])
    assert int.from_bytes(image[dram.PAGE : dram.PAGE + 16], "little") == (1 << 79) | 5
    assert image[dram.PAGE + 16] == 7
    rows = np.array([[0xEF, 0xCD, 0xAB], [1, 0, 0], [2, 0, 0]], dtype=np.uint8)
    lin = np.frombuffer(((1 << 79) | 5).to_bytes(10, "little") + (7).to_bytes(10, "little"), np.uint8).reshape(2, 10)
    assert layout.image_of_rows(rows, lin) == image
    with pytest.raises(ValueError, match="4 KB"):
        _ = dram.DramLayout(24, 80, 3, 2, linear_base=100).linear_offset


def test_dram_timing_is_checked() -> None:
    with pytest.raises(ValueError, match="latency >= 2"):
        cycles.DramTiming(latency=1)
    assert [cycles.lfsr_step(s) for s in (1, 0x8000)] == [2, 1]


def test_cost_counts_caches_instead_of_roms() -> None:
    p = {**schema.PARAM_DEFAULTS, "CWDEPTH": 100_000, "LWDEPTH": 20_000}
    rom = {m.name: m for m in cost.memories(p)}
    cached = {m.name: m for m in cost.memories({**p, **schema.DRAM_PARAMS, "WDRAM": 1, "CWCACHE": 512})}
    assert "conv_weights" in rom and "conv_weights" not in cached and "linear_weights" not in cached
    assert cached["conv_weight_cache"].depth == 512 and cached["conv_weight_cache"].width == rom["conv_weights"].width
    assert cached["weight_layout"].depth == p["PDEPTH"] // schema.DESCRIPTOR_WORDS
    assert cost.estimate({**p, **schema.DRAM_PARAMS, "WDRAM": 1}).total["bram36"] < cost.estimate(p).total["bram36"]


@pytest.fixture(scope="module")
def digits_dram(tmp_path_factory: pytest.TempPathFactory) -> e3ne.Design:
    model, x, _ = models.digits_example()
    design = e3ne.compile(model, x, models.digits_split()[0], name="digits", weights="dram")
    design.write(tmp_path_factory.mktemp("dram") / "digits")
    return design


def test_digits_with_dram_weights_cosimulates_bit_exactly(digits_dram: e3ne.Design) -> None:
    report = digits_dram.simulate(models.digits_split()[2][:30])
    assert report.mismatches == 0, report.divergence
    params = digits_dram.params()
    assert params["WDRAM"] == 1
    want = cycles.program_cycles(find_engine(digits_dram.module).descriptors(), params, cycles.DramTiming())
    assert set(report.cycles.tolist()) == {want} == {digits_dram.cycles_per_image()}
    assert want > cycles.program_cycles(find_engine(digits_dram.module).descriptors(), params)  # the fetches


def test_dram_image_and_report(digits_dram: e3ne.Design) -> None:
    assert digits_dram.directory is not None
    verilog = digits_dram.directory / "verilog"
    report = json.loads((digits_dram.directory / "report.json").read_text())
    weights = report["weights"]
    image = (verilog / weights["image"]).read_bytes()
    assert len(image) == weights["image_bytes"]
    rom = find_engine(digits_dram.module).images()["conv_weights"].words_bytes()
    slot = weights["conv_word_bytes"]
    for layer in weights["layers"]:  # each layer's first and last word where the layout says
        first, words = layer["byte_address"] // slot, layer["words"]
        for n in (first, first + words - 1):
            assert image[n * slot : n * slot + rom.shape[1]] == rom[n].tobytes()
    ends = [int(line, 16) for line in (verilog / "weight_layout.mem").read_text().split()]
    assert ends == [layer["byte_address"] // slot + layer["words"] for layer in weights["layers"]]
    assert report["estimate"]["blocks"]["weight_cache"]["bram36"] > 0
    top = (verilog / "e3ne_top.v").read_text()
    assert ".WDRAM(1)" in top and "m_axi_araddr" in top


def test_generated_dram_verilog_lints_clean(digits_dram: e3ne.Design) -> None:
    assert digits_dram.directory is not None
    verilog = digits_dram.directory / "verilog"
    files = (verilog / "files.f").read_text().split()
    assert not (verilog / "e3ne_uart_top.v").exists()  # the serial bridge has no DRAM
    for top in ("e3ne_top", "e3ne_axi_top"):
        result = subprocess.run(
            ["verilator", "--lint-only", "-Wall", "--top-module", top, *files], cwd=verilog, capture_output=True,
            text=True,
        )  # fmt: skip
        assert result.returncode == 0 and "%Warning" not in result.stderr, result.stderr[-2000:]


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--weights", "flash"], "--weights must be auto, rom or dram"),
        (["--weights", "dram", "--board", "ulx3s-85f"], "weights in DRAM are supported on Vivado boards only"),
    ],
)
def test_cli_rejects_what_dram_weights_do_not_do(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], extra: list[str], message: str
) -> None:
    assert main(["compile", "--out", str(tmp_path / "out"), "--quiet", *extra]) == 1
    err = capsys.readouterr().err.strip()
    assert message in err and len(err.splitlines()) == 1 and "Traceback" not in err


def test_explore_reads_the_weights_from_dram_when_their_roms_do_not_fit(tmp_path: Path) -> None:
    """LeNet-5's weight ROMs need more than 6 BRAM36 in every configuration; its caches fit."""
    model, x, calibration = models.PAPER_MODELS["lenet5"]()
    budget = "lut=100000,ff=100000,bram36=6"
    with pytest.raises(E3neError, match="weights = auto or dram"):
        e3ne.compile(model, x, calibration, name="lenet5", weight_bits=3, budget=budget, weights="rom")
    design = e3ne.compile(model, x, calibration, name="lenet5", weight_bits=3, budget=budget)
    assert design.dram and design.params()["WDRAM"] == 1
    design.write(tmp_path / "lenet5")
    report = json.loads((tmp_path / "lenet5" / "report.json").read_text())
    assert report["explore"]["weights"] == "dram" and report["estimate"]["bram36"] <= 6
    assert report["explore"]["cycles"] <= report["cycles_per_image_model"]  # explore's bound is a bound
    sim = design.simulate(np.asarray(calibration)[:2])
    assert sim.mismatches == 0, sim.divergence
    assert set(sim.cycles.tolist()) == {design.cycles_per_image()} == {report["cycles_per_image_model"]}


def test_zcu104_build_tcl_connects_the_weight_master_to_the_hp_port(digits_dram: e3ne.Design) -> None:
    """build.tcl of a DRAM design: the core's m_axi is a third slave of the SmartConnect to S_AXI_HP0_FPD."""
    board = digits_dram.build_board("zcu104")
    assert digits_dram.directory is not None
    tcl = (digits_dram.directory / str(board["script"])).read_text()
    assert "CONFIG.NUM_SI 3 CONFIG.NUM_MI 1] $mem" in tcl
    assert "connect_bd_intf_net [get_bd_intf_pins e3ne/m_axi] [get_bd_intf_pins mem/S02_AXI]" in tcl
    assert "connect_bd_intf_net [get_bd_intf_pins mem/M00_AXI] [get_bd_intf_pins ps/S_AXI_HP0_FPD]" in tcl
    assert "dram.mem" not in tcl and "weight_layout.mem" in tcl
    calls = _run_tcl(digits_dram.directory / str(board["script"]))  # the script runs to its end
    assert ["connect_bd_intf_net", "e3ne/m_axi", "mem/S02_AXI"] in calls and calls[-1] == ["close_project"]


class _DramLink:
    """A link to a shell that answers like the DRAM design's and has a DRAM to load (PynqLink's part)."""

    def __init__(self, info: dict[str, object]):
        self.registers = {host.ID: host.SHELL_ID, host.IN_COUNT: info["in_count"], host.N_OUT: info["n_out"]}
        self.loaded = b""

    def write(self, address: int, value: int) -> None:
        self.registers[address] = value

    def read(self, address: int) -> int:
        return int(self.registers.get(address, 0))  # type: ignore[arg-type]

    def load_dram(self, image: bytes) -> int:
        self.loaded = image
        return 0x7654_3000

    def send(self, beats: np.ndarray) -> None: ...
    def receive(self, count: int) -> np.ndarray:
        return np.zeros(count, dtype=np.int64)

    def close(self) -> None: ...


def test_host_loads_the_weight_image_and_sets_dram_base(digits_dram: e3ne.Design) -> None:
    assert digits_dram.directory is not None
    info = host.read_host_info(digits_dram.directory)
    assert info["weights"] == "dram"
    link = _DramLink(info)
    host.Accelerator.open(digits_dram.directory, link)
    assert link.loaded == (digits_dram.directory / "verilog" / "dram.bin").read_bytes()
    assert link.registers[host.DRAM_BASE] == 0x7654_3000
    no_dram = _DramLink(info)
    no_dram.load_dram = None  # type: ignore[method-assign,assignment]  # a link without a DRAM (UART, Verilator)
    with pytest.raises(E3neError, match="_DramLink cannot load them"):
        host.Accelerator(info, no_dram).load_weights(b"")


def test_grouped_layers_fetch_their_bands(tmp_path: Path) -> None:
    """A depthwise layer in the grouped mode (docs/hardware.md 3) fetches only its groups' bands: the
    cache holds two bands' words, and the co-simulation is bit-exact in the model's cycles."""
    import torch
    from test_grouped_conv import separable_net

    x = torch.rand(6, 3, 10, 10, generator=torch.Generator().manual_seed(2))
    design = e3ne.compile(separable_net(), x[:1], x.numpy(), timesteps=4, weight_bits=6, conv_units=4, weights="dram")
    descs = find_engine(design.module).descriptors()
    depthwise = descs[1]
    assert depthwise["c_span"] == 6 and dram.group_words(depthwise) == 6 * 3 * 3
    assert design.params()["CWCACHE"] == dram.cache_words(descs, LayerKind.CONV)
    design.write(tmp_path / "separable")
    report = design.simulate(x.numpy()[:3])
    assert report.mismatches == 0, report.divergence
    assert set(report.cycles.tolist()) == {cycles.program_cycles(descs, design.params(), cycles.DramTiming())}
