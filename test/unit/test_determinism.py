"""The same model and options give the same files: two compiles in two processes, byte for byte.

Every stage's .mlir, the Verilog, the memory images and the report (its timings and file list
apart) must be identical, with the decisions of explore and select-encoding in the flow too.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

VOLATILE = {"timings_s"}
"""report.json keys that measure the run, not the design."""


def _compile(out: Path) -> None:
    options = ["--device", "xc7z020", "--budget", "lut=2000", "--accuracy-budget", "2", "--timesteps", "4"]
    command = [
        sys.executable,
        "-m",
        "e3ne.tools.cli",
        "compile",
        "--out",
        str(out),
        "--no-sim",
        "--no-synth",
        "--quiet",
    ]
    subprocess.run([*command, *options], check=True, capture_output=True, text=True)


def test_two_compiles_write_the_same_files(tmp_path: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    _compile(first)
    _compile(second)
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    assert any(f.suffix == ".mem" for f in files) and any(f.suffix == ".mlir" for f in files)
    for name in files:
        a, b = (first / name).read_bytes(), (second / name).read_bytes()
        if name.name == "report.json":
            reports = [json.loads(a), json.loads(b)]
            for report in reports:
                for key in VOLATILE:
                    del report[key]
                del report["estimate"]["seconds"]
            assert reports[0] == reports[1]
        elif name.name != "report.html":  # the page shows the timings
            assert a == b, f"{name} differs between two compiles"
