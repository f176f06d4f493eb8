"""Widths at their extremes (issue 15): weights at -2^(WB-1) or 2^(WB-1) - 1, all of one sign, on
the largest input codes (signed: the most negative), co-simulated bit-exactly on a core built with
exactly the parameters the compiler chose (its ACC the bit-width bound's, docs/numerics.md 2.8).

Each network is lowered by the compiler's passes (``netfuzz.lower_engine``) and run on a core of
the engine's own parameters, so the accumulator is as narrow as the compiler makes it. The extreme
potential of each network needs exactly ``ACC`` bits (checked from the reference's exact sums), and a
core one bit narrower gives wrong logits: the width is the smallest safe one.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from netfuzz import Lowered, lower_engine, pack, run_images
from rtlsim import CoreParams, verilator_build

from e3ne import reference as ref
from e3ne.passes.tile import TilePass

WB, T = 8, 8
LO, HI = -(1 << (WB - 1)), (1 << (WB - 1)) - 1


def twos_complement_bits(value: int) -> int:
    """The fewest two's-complement bits that hold ``value``."""
    return (value if value >= 0 else -value - 1).bit_length() + 1


@dataclass(frozen=True)
class Extreme:
    """A network whose widest layer (``widest``, an index into its layers) reaches its bound."""

    network: ref.Network
    input_shape: tuple[int, int, int, int]
    x: np.ndarray
    tile: TilePass
    widest: int


def _rows(fan_in: int) -> np.ndarray:
    """Output rows: all -2^(WB-1), all 2^(WB-1) - 1, and the two extremes alternating."""
    return np.stack([np.full(fan_in, LO), np.full(fan_in, HI), np.resize([LO, HI], fan_in)])


def _linear_unsigned() -> Extreme:
    """Fan-in 1,024 on the linear unit (4 x 16 x 16 input codes, all 2^T - 1)."""
    shape = (1, 4, 16, 16)
    bias = np.array([-1000, 1000, 0])  # of the rows' sign: |V + b| reaches the bound
    network = ref.Network(ref.Encode(1 / 255, T), [ref.Flatten(), ref.Linear(_rows(1024), bias)])
    return Extreme(network, shape, np.full((1, *shape[1:]), 1.2), TilePass(units=1, cols=1, lanes=3), 1)


def _conv_unsigned() -> Extreme:
    """A hidden 5x5 conv over 8 channels (fan-in 200) on the conv units, codes all 2^T - 1; the
    neuron's shift puts +bound near the top code, so a potential that wrapped would change the codes."""
    shape = (1, 8, 7, 7)
    weight = _rows(200).reshape(3, 8, 5, 5)
    bias = np.array([-77, 77, 0])
    bound = 128 * 200 * 255 + 77
    shift = bound.bit_length() - T + 1  # +bound lands in the upper half of the codes
    layers: list[ref.Layer] = [
        ref.Conv2d(weight, bias, (1, 1), (1, 1)), ref.RadixNeuron(shift, T),  # (3, 5, 5)
        ref.Flatten(), ref.Linear(np.eye(3 * 25, dtype=np.int64)[::5]),
    ]  # fmt: skip
    return Extreme(ref.Network(ref.Encode(1 / 255, T), layers), shape, np.full((1, *shape[1:]), 1.2),
                   TilePass(units=2, cols=5, lanes=1), 0)  # fmt: skip


def _linear_signed() -> Extreme:
    """Signed input codes all -2^(T-1) into fan-in 256 on the linear unit: -2^(WB-1) * -2^(T-1) is
    the largest positive product, so the all-minimum row reaches +bound (a power of two here)."""
    shape = (1, 4, 8, 8)
    network = ref.Network(ref.Encode(1 / 127, T, None, True), [ref.Flatten(), ref.Linear(_rows(256))])
    return Extreme(network, shape, np.full((1, *shape[1:]), -1.2), TilePass(units=1, cols=1, lanes=3), 1)


def _conv_signed() -> Extreme:
    """Signed codes all -2^(T-1) into a 3x3 conv over 8 channels (fan-in 72), then a raw linear on the conv units."""
    shape = (1, 8, 3, 3)
    weight = _rows(72).reshape(3, 8, 3, 3)
    bound = 128 * 128 * 72
    layers: list[ref.Layer] = [
        ref.Conv2d(weight), ref.RadixNeuron(bound.bit_length() - T + 1, T),  # (3, 1, 1)
        ref.Flatten(), ref.Linear(np.array([[1, 1, 1], [1, -1, 0]])),
    ]  # fmt: skip
    network = ref.Network(ref.Encode(1 / 127, T, None, True), layers)
    return Extreme(network, shape, np.full((1, *shape[1:]), -1.2), TilePass(units=2, cols=3, lanes=1), 0)


EXTREMES = {
    "linear-unsigned": _linear_unsigned,
    "conv-unsigned": _conv_unsigned,
    "linear-signed": _linear_signed,
    "conv-signed": _conv_signed,
}


@functools.cache
def _lowered(name: str) -> tuple[Extreme, Lowered]:
    case = EXTREMES[name]()
    engine = lower_engine(case.network, case.input_shape, WB, case.tile)
    return case, pack(engine, CoreParams(**engine.core_params()))


def _extreme_potentials(case: Extreme) -> np.ndarray:
    """``V + b`` of the widest layer on the case's input, exactly (the reference's sums)."""
    layers = case.network.layers
    head = ref.Network(case.network.encode, layers[: case.widest])
    codes = ref.run_codes(head, case.network.encode.codes(case.x)) if case.widest else case.network.encode.codes(case.x)
    synapse = layers[case.widest]
    assert isinstance(synapse, ref.Conv2d | ref.Linear)
    return ref._synapse(codes.reshape(1, -1) if isinstance(synapse, ref.Linear) else codes, synapse)  # pyright: ignore[reportPrivateUsage]


@pytest.mark.parametrize("name", list(EXTREMES))
def test_extreme_potentials_need_exactly_acc_bits(name: str) -> None:
    """The compiler's ACC holds the extreme potential, and one bit fewer does not."""
    case, lowered = _lowered(name)
    acc = lowered.needs["ACC"]
    v = _extreme_potentials(case)
    assert max(twos_complement_bits(int(x)) for x in v.reshape(-1)) == acc


@pytest.mark.parametrize("name", list(EXTREMES))
def test_extremes_cosimulate_bit_exactly(tmp_path: Path, name: str) -> None:
    case, lowered = _lowered(name)
    outcome = run_images(verilator_build(lowered.images.params), lowered, case.network, case.x, tmp_path, name)
    assert outcome.cycles == outcome.model_cycles


def test_one_bit_fewer_overflows(tmp_path: Path) -> None:
    """The signed linear case on a core with ACC - 1: the +bound logit wraps (the RTL gives wrong logits)."""
    case, lowered = _lowered("linear-signed")
    params = CoreParams(**{**lowered.images.params.asdict(), "ACC": lowered.needs["ACC"] - 1})
    narrow = pack(lowered.engine, params)
    with pytest.raises(AssertionError, match="RTL"):
        run_images(verilator_build(params), narrow, case.network, case.x, tmp_path, "ACC - 1")


def test_acc_is_wider_than_the_weights() -> None:
    """Weights far below their WB-bit range: the bound needs 2 bits, but the lanes sign-extend a
    WB-bit weight, so ACC = WB + 1 (it was 2, a negative replication count in e3ne_lane)."""
    network = ref.Network(ref.Encode(1.0, 1), [ref.Flatten(), ref.Linear(np.array([[1], [-1]]))])
    engine = lower_engine(network, (1, 1, 1, 1), WB, TilePass(units=1, cols=1, lanes=2, linear="unit"))
    assert engine.core_params()["ACC"] == WB + 1
