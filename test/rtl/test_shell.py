"""The AXI shell (rtl/e3ne_shell.v) around the compiled digits network, in Icarus under cocotb.

The cocotb tests themselves are in shell_cocotb.py; here the design is compiled, the interpreter
gives the logits every image must produce, and each build runs them: once with the stream
carrying codes, once with raw pixels coded by the on-chip encoder.
"""

from __future__ import annotations

import json
import shutil
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest

import e3ne
from e3ne import models
from e3ne import reference as ref
from e3ne.lowering.hw_to_verilog import write_verilog
from e3ne.reference_ir import network_from_module

pytestmark = pytest.mark.skipif(shutil.which("iverilog") is None, reason="needs Icarus Verilog (./dev.sh installs it)")

IMAGES = 6


@pytest.fixture(scope="module")
def digits(tmp_path_factory: pytest.TempPathFactory) -> tuple[e3ne.Design, Path]:
    model, x, _ = models.digits_example()
    design = e3ne.compile(model, x, models.digits_split()[0], name="digits", timesteps=4, weight_bits=8)
    out = tmp_path_factory.mktemp("shell")
    design.write(out / "digits")
    return design, out


def _run_cocotb(
    verilog: Path,
    case: dict[str, object],
    work: Path,
    module: str = "shell_cocotb",
    toplevel: str = "e3ne_axi_top",
    tests: int = 6,
    parameters: dict[str, object] | None = None,
) -> None:
    from cocotb_tools.runner import get_runner

    (work / "case.json").write_text(json.dumps(case))
    entries = (verilog / "files.f").read_text().split()
    sources = [verilog / e for e in entries if not e.startswith("+")]
    here = str(Path(__file__).resolve().parent)
    if here not in sys.path:  # the runner hands sys.path to the simulator's Python as PYTHONPATH
        sys.path.insert(0, here)
    runner = get_runner("icarus")
    runner.build(
        sources=sources,
        includes=[verilog / "rtl"],
        hdl_toplevel=toplevel,
        build_dir=work / "build",
        timescale=("1ns", "1ps"),
        parameters=parameters or {},
    )
    results = runner.test(
        test_module=module,
        hdl_toplevel=toplevel,
        build_dir=work / "build",
        test_dir=verilog,  # $readmemh finds the memory images here
        results_xml=str(work / "results.xml"),
        extra_env={"E3NE_SHELL_CASE": str(work / "case.json")},
    )
    cases = list(ET.parse(results).getroot().iter("testcase"))
    failed = [t.get("name") for t in cases if t.find("failure") is not None or t.find("error") is not None]
    assert not failed, f"cocotb tests failed: {failed} (log in {work})"
    assert len(cases) == tests


def _case(design: e3ne.Design, beats: np.ndarray, x: np.ndarray, encoder: bool) -> dict[str, object]:
    per_image = design.cycles_per_image()
    return {
        "images": beats.reshape(len(beats), -1).tolist(),
        "logits": design.predict(x).tolist(),
        "cycles": [per_image] * len(beats),
        "code_bits": network_from_module(design.snn).encode.code_bits,
        "in_rows": int(np.prod(beats.shape[1:-1])),  # C * H
        "encoder": int(encoder),
    }


def test_shell_streams_codes(digits: tuple[e3ne.Design, Path], tmp_path: Path) -> None:
    design, out = digits
    x = models.digits_split()[2][:IMAGES]
    encode = network_from_module(design.snn).encode
    codes = ref.encode_codes(x, encode.step, encode.code_bits)
    _run_cocotb(out / "digits" / "verilog", _case(design, codes, x, encoder=False), tmp_path)


def test_shell_codes_raw_pixels_on_chip(digits: tuple[e3ne.Design, Path], tmp_path: Path) -> None:
    design, out = digits
    encode = network_from_module(design.snn).encode
    verilog = out / "pixels"
    write_verilog(design.module, verilog, "digits", pixel_codes=ref.pixel_codes(encode.step, encode.code_bits, 16))
    # the digits' own pixels (0..16), and values past 16 that the encoder saturates
    rng = np.random.default_rng(0)
    pixels = np.concatenate([(models.digits_split()[2][: IMAGES - 1] * 16).round(), rng.integers(0, 256, (1, 1, 8, 8))])
    pixels = pixels.astype(np.int64)
    x = ref.pixel_values(pixels, 16)
    _run_cocotb(verilog, _case(design, pixels, x, encoder=True), tmp_path)


def test_serial_bridge_speaks_the_hosts_protocol(digits: tuple[e3ne.Design, Path], tmp_path: Path) -> None:
    """e3ne_uart_top (what the ULX3S bitstream holds, less its PLL) at 8 clock cycles per bit."""
    design, out = digits
    x = models.digits_split()[2][:2]
    encode = network_from_module(design.snn).encode
    codes = ref.encode_codes(x, encode.step, encode.code_bits)
    case = _case(design, codes, x, encoder=False)
    _run_cocotb(out / "digits" / "verilog", case, tmp_path, "uart_cocotb", "e3ne_uart_top", 1, {"CLKS": 8})
