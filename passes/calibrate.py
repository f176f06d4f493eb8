"""``calibrate``: what the quantizer needs to know about the float network's activations.

An analysis: it runs the float network (after ``fold-batchnorm``) in the ``snn`` interpreter on
calibration inputs and records the statistics the scale rules of docs/numerics.md (section 3)
read, as attributes, changing no op:

* on every ``snn.conv2d``/``snn.linear``, ``snn.calibration = {max, percentile, mse_frac}``: the
  largest pre-ReLU output (the E3NE rule), its 99.9th percentile (the rate-coding mse rule), and,
  for every radix timestep count T = 1 … 16, the output scale the mse rule picks
  (``mse_frac[T-1]``), so a later pass may choose T per layer without running the network again;
* on a hidden ``snn.conv2d``/``snn.linear`` with no ReLU after it, also ``min`` (its smallest
  output) and ``mse_signed_frac``: the mse rule's scales for signed codes (docs/numerics.md 2.4,
  signed hidden codes);
* on the ``func.func``, ``snn.input_max`` and ``snn.input_min``: the largest and smallest
  calibration input (the input coding; a negative minimum makes the input codes signed).

``quantize`` reads these; given ``calibration`` data itself, it runs this analysis first.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from xdsl.context import Context
from xdsl.dialects import func
from xdsl.dialects.builtin import DenseArrayBase, DictionaryAttr, Float64Type, FloatAttr, ModuleOp, TensorType, i64
from xdsl.ir import Attribute, Operation, SSAValue
from xdsl.passes import ModulePass

from e3ne.dialects import snn
from e3ne.errors import E3neError, op_error
from e3ne.interpreters import Runner
from e3ne.ir import functions

CALIBRATION = "snn.calibration"
"""The attribute of a float conv2d/linear holding its activation statistics."""
INPUT_MAX = "snn.input_max"
INPUT_MIN = "snn.input_min"
"""The attribute of a network's function holding its largest calibration input."""
RATE_PERCENTILE = 99.9
"""mse rule for rate coding: a spike stands for the 99.9th percentile (Rueckauer et al. 2017)."""


def ceil_log2(value: float) -> int:
    return math.ceil(math.log2(value))


def output_frac(timesteps: int, largest: float) -> int:
    """``f_out = T - ceil(log2 m)`` for the largest pre-ReLU output ``m`` (``T`` if m <= 0)."""
    return timesteps if largest <= 0 else timesteps - ceil_log2(largest)


def output_frac_mse(outputs: np.ndarray, timesteps: int) -> int:
    """The activation scale (from E3NE's, or finer, clipping) with the least squared error after ReLU."""
    base = output_frac(timesteps, float(np.max(outputs)))
    relu = np.maximum(outputs, 0.0)
    top = (1 << timesteps) - 1

    def error(frac: int) -> float:
        codes = np.clip(np.floor(relu * 2.0**frac + 0.5), 0, top)
        return float(((codes * 2.0**-frac - relu) ** 2).sum())

    return min(range(base, base + 4), key=lambda f: (error(f), f))


def signed_output_frac(timesteps: int, reach: float) -> int:
    """Signed codes: ``f_out = T - 1 - ceil(log2 r)`` for ``r = max(max, -min)`` (``T - 1`` if r <= 0)."""
    return timesteps - 1 if reach <= 0 else timesteps - 1 - ceil_log2(reach)


def output_frac_mse_signed(outputs: np.ndarray, timesteps: int) -> int:
    """The scale of signed codes (from the signed rule's, or finer) with the least squared error."""
    base = signed_output_frac(timesteps, max(float(np.max(outputs)), -float(np.min(outputs))))
    half = 1 << (timesteps - 1)

    def error(frac: int) -> float:
        codes = np.clip(np.floor(outputs * 2.0**frac + 0.5), -half, half - 1)
        return float(((codes * 2.0**-frac - outputs) ** 2).sum())

    return min(range(base, base + 4), key=lambda f: (error(f), f))


def followed_by_relu(value: SSAValue) -> bool:
    """Whether a ReLU follows ``value`` (directly, or after the max pooling it commutes with)."""
    for use in value.uses:
        user = use.operation
        if isinstance(user, snn.ReluOp):
            return True
        if isinstance(user, snn.MaxPool2dOp) and followed_by_relu(user.output):
            return True
    return False


@dataclass(frozen=True)
class Stats:
    """One conv2d/linear's recorded statistics (see the module docstring)."""

    max: float
    percentile: float
    mse_frac: tuple[int, ...]
    min: float | None = None
    """The smallest output: recorded for a hidden layer without ReLU (its codes are signed)."""
    mse_signed_frac: tuple[int, ...] | None = None

    def attribute(self) -> DictionaryAttr:
        values: dict[str, Attribute] = {
            "max": FloatAttr(self.max, Float64Type()),
            "percentile": FloatAttr(self.percentile, Float64Type()),
            "mse_frac": DenseArrayBase.from_list(i64, list(self.mse_frac)),
        }
        if self.min is not None and self.mse_signed_frac is not None:
            values["min"] = FloatAttr(self.min, Float64Type())
            values["mse_signed_frac"] = DenseArrayBase.from_list(i64, list(self.mse_signed_frac))
        return DictionaryAttr(values)

    @staticmethod
    def of(op: Operation) -> Stats | None:
        """The statistics recorded on ``op`` (None if it has none)."""
        attr = op.attributes.get(CALIBRATION)
        if attr is None:
            return None
        try:
            assert isinstance(attr, DictionaryAttr)
            values = attr.data
            largest, percentile, fracs = values["max"], values["percentile"], values["mse_frac"]
            assert isinstance(largest, FloatAttr) and isinstance(percentile, FloatAttr)
            assert isinstance(fracs, DenseArrayBase)
            mse = tuple(int(f) for f in fracs.get_values())
            assert len(mse) == snn.MAX_RADIX_TIMESTEPS
            smallest, signed_fracs = values.get("min"), values.get("mse_signed_frac")
            assert (smallest is None) == (signed_fracs is None)
            low, signed_mse = None, None
            if smallest is not None:
                assert isinstance(smallest, FloatAttr) and isinstance(signed_fracs, DenseArrayBase)
                low, signed_mse = smallest.value.data, tuple(int(f) for f in signed_fracs.get_values())
                assert len(signed_mse) == snn.MAX_RADIX_TIMESTEPS
        except (AssertionError, KeyError):
            raise op_error(
                op,
                f"{CALIBRATION} must be {{max, percentile, mse_frac[, min, mse_signed_frac]}} with "
                f"{snn.MAX_RADIX_TIMESTEPS} fracs",
            ) from None
        return Stats(largest.value.data, percentile.value.data, mse, low, signed_mse)


def load_calibration(path: str, pass_name: str) -> np.ndarray:
    """Calibration inputs from a ``.npy`` file named by a pass option."""
    if not path:
        raise E3neError(f'error: {pass_name} needs calibration data: {pass_name}{{calibration="inputs.npy" ...}}')
    file = Path(path)
    if not file.is_file():
        raise E3neError(f"error: {pass_name}: calibration file not found: {file}")
    try:
        return np.asarray(np.load(file), dtype=np.float64)
    except (ValueError, OSError) as err:
        raise E3neError(f"error: {pass_name}: cannot read calibration file {file}: {err}") from None


def synapses(function: func.FuncOp) -> list[snn.Conv2dOp | snn.LinearOp]:
    return [op for op in function.body.block.ops if isinstance(op, snn.Conv2dOp | snn.LinearOp)]


def calibrate_function(module: ModuleOp, function: func.FuncOp, calibration: np.ndarray, pass_name: str) -> None:
    """Run ``function`` on ``calibration`` and record its statistics (see the module docstring)."""
    for op in function.body.block.ops:
        if isinstance(op, snn.BatchNormOp):
            raise op_error(op, f"{pass_name} needs batch norms folded first: run fold-batchnorm before {pass_name}")
        if isinstance(op, snn.Conv2dOp | snn.LinearOp) and not snn.is_float_tensor(op.input.type):
            raise op_error(op, "the network is already quantized")
    arg_type = function.body.block.args[0].type
    assert isinstance(arg_type, TensorType)
    want = tuple(arg_type.get_shape()[1:])
    if calibration.ndim != len(want) + 1 or tuple(calibration.shape[1:]) != want:
        raise E3neError(
            f"error: {pass_name}: calibration data for @{function.sym_name.data} must have shape "
            f"(N, {', '.join(map(str, want))}), got {tuple(calibration.shape)}"
        )
    if not len(calibration):
        raise E3neError(f"error: {pass_name}: no calibration inputs (the batch is empty)")
    x_max, x_min = float(np.max(calibration)), float(np.min(calibration))
    if not np.isfinite([x_max, x_min]).all():
        raise E3neError(f"error: {pass_name}: the calibration inputs hold NaN or infinity")
    if x_max == 0 and x_min == 0:
        raise E3neError(f"error: {pass_name}: the calibration inputs are all 0; they give the input no scale")
    keep = lambda op: isinstance(op, snn.Conv2dOp | snn.LinearOp)  # noqa: E731
    _, outputs = Runner(module, function.sym_name.data).run(calibration, record=keep)
    steps = range(1, snn.MAX_RADIX_TIMESTEPS + 1)
    layers = synapses(function)
    for op in layers:
        out = outputs[op]
        signed = op is not layers[-1] and not followed_by_relu(op.output)
        stats = Stats(
            float(np.max(out)),
            float(np.percentile(out, RATE_PERCENTILE)),
            tuple(output_frac_mse(out, t) for t in steps),
            float(np.min(out)) if signed else None,
            tuple(output_frac_mse_signed(out, t) for t in steps) if signed else None,
        )
        op.attributes[CALIBRATION] = stats.attribute()
    function.attributes[INPUT_MAX] = FloatAttr(x_max, Float64Type())
    function.attributes[INPUT_MIN] = FloatAttr(x_min, Float64Type())


@dataclass(frozen=True)
class CalibratePass(ModulePass):
    """Record the float network's activation statistics for quantize (run after fold-batchnorm)."""

    name = "calibrate"

    calibration: str = ""
    """A .npy file of float inputs shaped like the network's input (any batch)."""
    function: str = ""
    """The function to calibrate (default: every func.func)."""

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        data = load_calibration(self.calibration, self.name)
        for function in functions(op, self.function):
            calibrate_function(op, function, data, self.name)
