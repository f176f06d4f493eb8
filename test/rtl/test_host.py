"""The host driver (e3ne.host) on the Verilator model of the shell: the code a board runs.

Logits equal the interpreter's and cycles the exact model's, for inputs encoded on the host and
for raw pixels coded on chip; the driver's errors are one line.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import e3ne
from e3ne import models
from e3ne import reference as ref
from e3ne.errors import E3neError
from e3ne.host import CTRL, ERRORS, HOST_FILE, Accelerator, VerilatorLink


def _digits(tmp: Path, **options: Any) -> e3ne.Design:
    model, x, _ = models.digits_example()
    design = e3ne.compile(model, x, models.digits_split()[0], name="digits", timesteps=4, weight_bits=8, **options)
    design.write(tmp)
    return design


@pytest.fixture(scope="module")
def digits(tmp_path_factory: pytest.TempPathFactory) -> e3ne.Design:
    return _digits(tmp_path_factory.mktemp("host") / "digits")


def test_driver_runs_images_bit_exactly(digits: e3ne.Design) -> None:
    x = models.digits_split()[2][:40]
    assert digits.directory is not None
    with Accelerator.open(digits.directory, VerilatorLink(digits.directory)) as acc:
        result = acc.run(x)
        assert np.array_equal(result.logits, digits.predict(x))
        assert set(result.cycles.tolist()) == {digits.cycles_per_image()}
        assert np.array_equal(result.classes, digits.classify(x))
        with pytest.raises(E3neError, match=r"inputs of shape \(1, 8, 9\), the design takes \(1, 8, 8\)"):
            acc.run(np.zeros((1, 1, 8, 9)))
        # a frame cut short is flagged by the shell and reported by the driver
        acc.link.send(np.zeros(10, dtype=np.uint8))
        with pytest.raises(E3neError, match="the shell flagged TLAST early"):
            acc.run(x[:1])
        acc.link.write(ERRORS, 0xF)
        acc.link.write(CTRL, 0b101)  # clear, run
        assert np.array_equal(acc.run(x[:2]).logits, digits.predict(x[:2]))


def test_driver_with_pixels_coded_on_chip(tmp_path: Path) -> None:
    design = _digits(tmp_path / "digits", pixel_max=16)
    assert design.directory is not None
    pixels = (models.digits_split()[2][:20] * 16).round()
    x = ref.pixel_values(pixels, 16)
    with Accelerator.open(design.directory, VerilatorLink(design.directory)) as acc:
        assert np.array_equal(acc.run(x).logits, design.predict(x))
        with pytest.raises(E3neError, match=r"inputs must be p / 16"):
            acc.run(x + 0.01)


def test_driver_refuses_another_designs_shell(digits: e3ne.Design, tmp_path: Path) -> None:
    assert digits.directory is not None
    info = json.loads((digits.directory / "verilog" / HOST_FILE).read_text())
    info["n_out"] = 7
    link = VerilatorLink(digits.directory)
    try:
        with pytest.raises(E3neError, match="the shell is another design's: n_out 10, this design has 7"):
            Accelerator(info, link)
        with pytest.raises(E3neError, match="not a design folder"):
            Accelerator.open(tmp_path, link)
    finally:
        link.close()
