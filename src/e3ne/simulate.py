"""Running a written design in Verilator: build its testbench once (cached by source hash), run a
batch of input codes, read back every raw output and the cycles per image.

:mod:`e3ne.cosim` compares these with the interpreter; :mod:`e3ne.trace_compare` reruns an image
traced to find where the two part ways.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from e3ne.errors import E3neError
from e3ne.lowering.hw_to_verilog import input_words

SIMULATOR = "e3ne_sim"


def _need_verilator() -> str:
    tool = shutil.which("verilator")
    if tool is None:
        raise E3neError("error: verilator is not installed (./dev.sh setup installs it with apt-get)")
    return tool


def verilate(
    directory: str | Path,
    obj_name: str,
    binary_name: str,
    options: list[str],
    sources: list[str],
    what: str,
    extra_files: dict[str, str] | None = None,
    jobs: int = 2,
) -> Path:
    """Build a Verilator binary of the design in ``directory`` (its files.f, then ``sources``) into
    ``obj_name``, cached by a hash of the Verilog, the options and ``extra_files`` (written into the
    object folder first, e.g. a C++ harness, and named there in ``sources``)."""
    out = Path(directory)
    obj = out / obj_name
    binary = obj / binary_name
    stamp = obj / "e3ne.hash"
    digest = hashlib.sha256(" ".join(options).encode())
    for name in sorted([*out.glob("rtl/*.v"), *out.glob("*.v")]):
        digest.update(name.name.encode())
        digest.update(name.read_bytes())
    for name, text in sorted((extra_files or {}).items()):
        digest.update(name.encode())
        digest.update(text.encode())
    want = digest.hexdigest()
    if binary.exists() and stamp.exists() and stamp.read_text() == want:
        return binary
    shutil.rmtree(obj, ignore_errors=True)
    obj.mkdir(parents=True)
    for name, text in (extra_files or {}).items():
        (obj / name).write_text(text)
    command = [
        _need_verilator(), *options, "-O2", "-Wno-fatal", "-Wno-lint", "-Wno-style", "-Mdir", obj.name,
        "-o", binary_name, "--build-jobs", str(jobs), "-f", "files.f", *sources,
    ]  # fmt: skip
    result = subprocess.run(command, cwd=out, capture_output=True, text=True)
    if result.returncode != 0 or not binary.exists():
        tail = (result.stderr or result.stdout).strip().splitlines()[-5:]
        raise E3neError(f"error: verilator could not build {what}: " + " | ".join(tail))
    stamp.write_text(want)
    return binary


def build(directory: str | Path, trace: bool = False, jobs: int = 2) -> Path:
    """Compile the testbench and the design in ``directory`` with Verilator (cached by source hash)."""
    options = ["--binary", "--timing", *(["-DE3NE_TRACE"] if trace else []), "--top-module", "e3ne_tb"]
    obj = "obj_dir_trace" if trace else "obj_dir"
    return verilate(directory, obj, SIMULATOR, options, ["e3ne_tb.v"], "the design", jobs=jobs)


@dataclass
class SimResult:
    outputs: np.ndarray  # (N, classes) int64
    cycles: np.ndarray  # (N,) int64


def run(
    directory: str | Path,
    codes: np.ndarray,
    params: dict[str, int],
    classes: int,
    trace: bool = False,
    plusargs: Sequence[str] = (),
) -> SimResult:
    """Simulate the network on input codes (N, C, H, W); returns raw outputs and cycles per image.
    ``plusargs`` go to the testbench (e.g. the DRAM memory model's ``+lat=40``)."""
    out = Path(directory)
    binary = build(out, trace)
    codes = np.asarray(codes, dtype=np.int64)
    inputs = out / "sim_inputs.hex"
    results = out / "sim_out.txt"
    inputs.write_text("\n".join(input_words(codes, params)) + "\n")
    command = [str(binary.resolve()), f"+inputs={inputs.name}", f"+out={results.name}", f"+images={len(codes)}"]
    if trace:
        command.append("+trace=trace.txt")
    command += plusargs
    finished = subprocess.run(command, cwd=out, capture_output=True, text=True)
    if finished.returncode != 0:
        raise E3neError(f"error: the RTL simulation failed: {(finished.stderr or finished.stdout).strip()[-300:]}")
    return parse_results(results.read_text(), len(codes), classes)


def parse_results(text: str, images: int, classes: int) -> SimResult:
    outputs = np.full((images, classes), np.iinfo(np.int64).min, dtype=np.int64)
    cycles = np.zeros(images, dtype=np.int64)
    for line in text.splitlines():
        parts = line.split()
        if not parts:
            continue
        if parts[0] == "E":
            raise E3neError("error: the RTL simulation stopped: " + " ".join(parts[1:]))
        if parts[0] == "O":
            image, index, value = (int(p) for p in parts[1:4])
            if index >= classes:
                raise E3neError(f"error: the RTL emitted output index {index}, the network has {classes}")
            outputs[image, index] = value
        elif parts[0] == "C":
            cycles[int(parts[1])] = int(parts[2])
    missing = np.argwhere(outputs == np.iinfo(np.int64).min)
    if missing.size:
        image, index = missing[0]
        raise E3neError(f"error: the RTL produced no output {index} for image {image}")
    return SimResult(outputs, cycles)
