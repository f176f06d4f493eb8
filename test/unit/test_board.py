"""`e3ne compile --board`: the ULX3S bitstream built here, the Vivado boards' scripts, the report.

The ECP5 build is the real flow (yosys synth_ecp5, nextpnr-ecp5, ecppack): a bitstream that meets
timing at the clock it reports; the numbers are the router's, so they are checked for consistency,
not against constants.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from e3ne.board import boards
from e3ne.tools.cli import main


@pytest.fixture(scope="module")
def ulx3s(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("board") / "digits"
    args = ["compile", "--out", str(out), "--board", "ulx3s-85f", "--no-synth", "--sim-images", "5", "--quiet"]
    assert main(args) == 0
    return out


def test_ulx3s_bitstream_meets_timing(ulx3s: Path) -> None:
    report = json.loads((ulx3s / "report.json").read_text())
    board = report["board"]
    bitstream = ulx3s / board["bitstream"]
    data = bitstream.read_bytes()
    assert bitstream.name == "digits_ulx3s-85f.bit" and len(data) > 100_000
    assert b"\xff\xff\xbd\xb3" in data[:4096]  # the ECP5 configuration preamble
    assert board["fmax_mhz"] >= board["clock_mhz"] > 0
    assert board["attempts"][-1] == {"clock_mhz": board["clock_mhz"], "fmax_mhz": board["fmax_mhz"]}
    assert board["attempts"][0]["clock_mhz"] == boards()["ulx3s-85f"]["clock_mhz"]
    assert board["cycles_per_image"] == report["cycles_per_image_model"]
    assert board["us_per_image"] == pytest.approx(board["cycles_per_image"] / board["clock_mhz"], abs=0.01)
    used = board["utilization"]
    assert 0 < used["TRELLIS_COMB"]["used"] < used["TRELLIS_COMB"]["available"]
    assert used["EHXPLLL"]["used"] == 1 and used["MULT18X18D"]["used"] == 0
    # the board's pins, and nothing written outside the output folder
    lpf = (ulx3s / "board" / "board.lpf").read_text()
    assert 'LOCATE COMP "clk_25mhz" SITE "G2";' in lpf and 'FREQUENCY PORT "clk_25mhz" 25 MHZ;' in lpf
    assert "board" in (ulx3s / "report.html").read_text().lower()


@pytest.mark.parametrize("name", ["pynq-z2", "zcu104", "vu13p"])
def test_vivado_boards_get_a_project_script(name: str, tmp_path: Path) -> None:
    out = tmp_path / "digits"
    assert main(["compile", "--out", str(out), "--board", name, "--no-synth", "--no-sim", "--quiet"]) == 0
    report = json.loads((out / "report.json").read_text())
    assert report["board"]["script"] == "verilog/build.tcl"
    tcl = (out / "verilog" / "build.tcl").read_text()
    assert boards()[name]["part"] in tcl
    assert (out / "verilog" / "e3ne.xdc").is_file() and (out / "verilog" / "e3ne.core").is_file()


def test_board_errors_are_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "x"
    cases = [
        (["--board", "de10-nano"], "--board: unknown board 'de10-nano' (known: pynq-z2, ulx3s-85f, vu13p, zcu104)"),
        (
            ["--board", "ulx3s-85f", "--estimate"],
            "--board builds the hardware: it cannot go with --estimate or --encoding rate",
        ),
        (["--pixel-max", "256"], "--pixel-max: pixels are 8-bit, N must be in 1..255, got 256"),
    ]
    for extra, message in cases:
        assert main(["compile", "--out", str(out), *extra]) == 1
        err = capsys.readouterr().err.strip()
        assert err == f"e3ne: error: {message}", err
        assert not out.exists()
