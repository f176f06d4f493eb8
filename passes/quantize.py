"""``quantize``: float ``snn`` -> integer ``snn`` with radix (or rate) encoding.

Scales are powers of two chosen from calibration statistics (docs/numerics.md, sections 2-3).
``scale_rule="e3ne"`` is the paper's rule: weights by ``limit = |mean| + 3 std``, activations by
the largest pre-ReLU output on the calibration set. ``scale_rule="mse"`` (the default) starts
from the same scales and keeps, among a few neighbouring powers of two, the one with the least
squared quantization error (weights; calibration activations, clipping included). The
activation statistics come from the ``calibrate`` analysis (:mod:`e3ne.passes.calibrate`),
which runs the float network in the ``snn`` interpreter; quantize runs it first when it is given
calibration data and the IR carries no statistics yet.

Rewrite patterns first move every ReLU above the max pool it follows (the two commute, and a
neuron belongs right after its conv2d/linear) and merge a ReLU of a ReLU (a ReLU6 may be spelt
``clamp(relu(x), max=6)``); then the function is rebuilt op by op with
integer ops, tracking every value's encoding. A hidden conv2d/linear whose potentials reach another
conv2d/linear with no ReLU between them (a linear bottleneck) gets a neuron that writes signed codes.

From ``e3ne-opt``: ``-p 'quantize{timesteps=4 weight_bits=3 calibration="calib.npy"}'`` where
``calib.npy`` holds float inputs shaped like the network's input (any batch), or
``-p 'calibrate{calibration="calib.npy"},quantize{timesteps=4}'``. From Python,
:func:`quantize_module` takes the calibration array directly.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from xdsl.builder import Builder
from xdsl.context import Context
from xdsl.dialects import func
from xdsl.dialects.builtin import FloatAttr, FunctionType, IntegerAttr, ModuleOp, TensorType
from xdsl.ir import Block, Operation, SSAValue
from xdsl.passes import ModulePass
from xdsl.pattern_rewriter import (
    GreedyRewritePatternApplier,
    PatternRewriter,
    PatternRewriteWalker,
    RewritePattern,
    op_type_rewrite_pattern,
)
from xdsl.rewriter import InsertPoint

from e3ne.dialects import snn
from e3ne.dialects.dense import from_numpy
from e3ne.errors import E3neError, not_supported, op_error
from e3ne.ir import functions
from e3ne.passes.calibrate import (
    INPUT_MAX,
    INPUT_MIN,
    Stats,
    calibrate_function,
    ceil_log2,
    followed_by_relu,
    load_calibration,
    output_frac,
    signed_output_frac,
    synapses,
)
from e3ne.passes.fold_residual import WEIGHT_RANGE

SIGMA_WEIGHT = 3.0
"""E3NE's weight limit: |mean| + 3 std (Initialization.py of the reference code)."""
SCALE_RULES = ("mse", "e3ne")
SEARCH_AROUND = 2
"""How many powers of two either side of the E3NE weight scale the mse rule tries."""


TIMESTEPS = "snn.timesteps"
"""Attribute of a float conv2d/linear: the radix timesteps of the activation its neuron writes."""
INPUT_TIMESTEPS = "snn.input_timesteps"
"""Attribute of a network's function: the radix timesteps of its encoded input."""


def timesteps_of(op: Operation, default: int, name: str = TIMESTEPS) -> int:
    """The timesteps ``op`` carries in attribute ``name`` (``select-encoding``'s choice), else ``default``."""
    attr = op.attributes.get(name)
    if attr is None:
        return default
    if not isinstance(attr, IntegerAttr) or not 1 <= attr.value.data <= snn.MAX_RADIX_TIMESTEPS:
        raise op_error(op, f"{name} must be an integer in [1, {snn.MAX_RADIX_TIMESTEPS}], got {attr}")
    return attr.value.data


def weight_frac(weights: np.ndarray, bits: int) -> int:
    """E3NE's weight scale: ``s_w = bits - ceil(log2(|mean| + 3 std)) - 1``."""
    limit = abs(float(weights.mean())) + SIGMA_WEIGHT * float(weights.std())
    if limit <= 0:
        return 0
    return bits - ceil_log2(limit) - 1


def weight_frac_mse(weights: np.ndarray, bits: int) -> int:
    """The power-of-two weight scale near E3NE's with the least squared quantization error."""
    base = weight_frac(weights, bits)

    def error(frac: int) -> float:
        return float(((quantize_weights(weights, frac, bits) * 2.0**-frac - weights) ** 2).sum())

    return min(range(base - SEARCH_AROUND, base + SEARCH_AROUND + 1), key=lambda f: (error(f), abs(f - base)))


def quantize_weights(weights: np.ndarray, frac: int, bits: int) -> np.ndarray:
    half = 1 << (bits - 1)
    return np.clip(np.floor(weights * 2.0**frac + 0.5), -half, half - 1).astype(np.int64)


def round_to_int(values: np.ndarray, frac: int) -> np.ndarray:
    return np.floor(values * 2.0**frac + 0.5).astype(np.int64)


# --------------------------------------------------------------------------- the ReLU / max pool swap


class ReluAboveMaxPool(RewritePattern):
    """``relu(max_pool(x))`` -> ``max_pool(relu(x))``: the two commute (both monotone, relu(0) = 0),
    and the neuron that replaces the ReLU belongs right after its conv2d/linear."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: snn.ReluOp, rewriter: PatternRewriter) -> None:
        pool = op.input.owner
        if not isinstance(pool, snn.MaxPool2dOp) or not pool.output.has_one_use():
            return
        relu = snn.ReluOp(pool.input, op.upper())
        relu.location = op.location
        window = (pool.kernel_pair(), pool.stride_pair(), pool.padding_pair(), pool.is_ceil_mode())
        moved = snn.MaxPool2dOp(relu.output, pool.output.type, *window)
        moved.location = pool.location
        moved.output.name_hint = pool.output.name_hint
        rewriter.insert_op(relu, InsertPoint.before(pool))
        rewriter.replace_op(op, moved, [moved.output])
        rewriter.erase_op(pool)


class MergeRelus(RewritePattern):
    """``relu(relu(x))`` -> ``relu(x)``, the smaller upper bound kept: how ``clamp(relu(x), max=6)``
    arrives (a ReLU6), and one neuron clamps both."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: snn.ReluOp, rewriter: PatternRewriter) -> None:
        inner = op.input.owner
        if not isinstance(inner, snn.ReluOp) or not inner.output.has_one_use():
            return
        bounds = [b for b in (inner.upper(), op.upper()) if b is not None]
        merged = snn.ReluOp(inner.input, min(bounds) if bounds else None)
        merged.location = op.location
        merged.output.name_hint = op.output.name_hint
        rewriter.replace_op(op, merged)
        rewriter.erase_op(inner)


def relu6_frac(timesteps: int, upper: float) -> int:
    """The smallest output scale f whose top code is not above the ReLU's bound M:
    ``(2^T - 1) 2^-f <= M`` (docs/numerics.md 2.4: then the neuron's clamp at the top code is the ReLU6)."""
    top = (1 << timesteps) - 1
    frac = ceil_log2(top / upper)
    while top * 2.0**-frac > upper:  # float rounding of the log
        frac += 1
    while top * 2.0 ** -(frac - 1) <= upper:
        frac -= 1
    return frac


@dataclass(frozen=True)
class _Member:
    """A conv2d/linear whose codes a concatenation holds: ``signed`` (no ReLU: its potentials are
    concatenated, the neuron writes signed codes) or after a ReLU whose bound is ``upper`` (ReLU6)."""

    op: Operation
    signed: bool
    upper: float | None


@dataclass(frozen=True)
class _Codes:
    """The codes the members of a concatenation group write (:meth:`_Quantizer._shared_codes`)."""

    steps: int
    frac: int
    signed: bool


def _concatenated_synapses(
    value: SSAValue, concat: snn.ConcatOp, relu: snn.ReluOp | None, pooled: bool = False
) -> list[_Member]:
    """The conv2d/linear ops whose codes ``value`` (an input of ``concat``) concatenates: through
    pooling and ReLU (which a synapse's codes must pass), and nested concatenations; a conv2d/linear
    concatenated with no ReLU (nor pooling) between writes signed codes."""
    owner = value.owner
    if isinstance(owner, snn.ConcatOp):
        return [m for v in owner.inputs for m in _concatenated_synapses(v, concat, relu, pooled)]
    if isinstance(owner, snn.ReluOp):
        return _concatenated_synapses(owner.input, concat, relu or owner, pooled)
    if isinstance(owner, snn.MaxPool2dOp | snn.AvgPool2dOp):
        return _concatenated_synapses(owner.input, concat, relu, True)
    if isinstance(owner, snn.Conv2dOp | snn.LinearOp):
        if relu is None and followed_by_relu(value):
            name = snn.layer_name(owner) or owner.name
            raise not_supported(
                f"snn.concat of the potentials of {name} that a ReLU also reads (a layer's neuron writes one "
                "code: after its ReLU, or signed without one)",
                concat,
            )
        if relu is None and (pooled or followed_by_relu(concat.output)):
            raise not_supported(
                f"snn.concat of the potentials of {owner.name} (concatenate codes: after a ReLU)", concat
            )
        return [_Member(owner, relu is None, None if relu is None else relu.upper())]
    what = "the network input" if not isinstance(owner, Operation) else owner.name
    raise not_supported(f"snn.concat of {what} (only of conv2d/linear codes, after their ReLU and pooling)", concat)


def _one_timestep_signed(op: Operation) -> E3neError:
    return not_supported("signed hidden codes of 1 timestep (a conv2d/linear without ReLU needs T >= 2)", op)


def _feeds_synapses(value: SSAValue) -> bool:
    """Whether every user of ``value`` is a conv2d/linear."""
    return bool(value.uses) and all(isinstance(use.operation, snn.Conv2dOp | snn.LinearOp) for use in value.uses)


Neuron = Callable[[SSAValue, Operation, bool], SSAValue]
"""Emits the neuron a conv2d/linear owes, on a value, at (the location of) an op; ``True``: the
neuron has no ReLU and writes signed codes for a conv2d/linear (docs/numerics.md 2.4)."""


class _Quantizer:
    """Rebuilds one function op by op with integer ops, tracking each value's encoding."""

    def __init__(self, function: func.FuncOp, options: QuantizePass):
        self.function = function
        self.options = options
        self.synapses = synapses(function)
        if not self.synapses:
            raise E3neError(f"error: quantize: @{function.sym_name.data} has no conv2d or linear layer")
        self.stats: dict[Operation, Stats] = {op: self._stats(op) for op in self.synapses}
        x_max = function.attributes.get(INPUT_MAX)
        assert isinstance(x_max, FloatAttr), "calibrate annotates the function with the input range"
        self.x_max = x_max.value.data
        x_min = function.attributes.get(INPUT_MIN)
        self.x_min = x_min.value.data if isinstance(x_min, FloatAttr) else 0.0
        PatternRewriteWalker(GreedyRewritePatternApplier([ReluAboveMaxPool(), MergeRelus()])).rewrite_region(
            function.body
        )
        self.ops = list(function.body.block.ops)
        self.shared = self._shared_codes()
        self.block = Block(arg_types=[function.body.block.args[0].type])
        self.block.args[0].name_hint = function.body.block.args[0].name_hint
        self.builder = Builder(InsertPoint.at_end(self.block))
        self.values: dict[SSAValue, SSAValue] = {function.body.block.args[0]: self.block.args[0]}
        self.gain = 1.0  # radix: Δ_in * 2^f_in, folded into the first layer's weights
        self.spike_value = 1.0  # rate: what one spike of the current layer's input stands for

    @staticmethod
    def _stats(op: snn.Conv2dOp | snn.LinearOp) -> Stats:
        stats = Stats.of(op)
        if stats is None:
            raise op_error(op, 'no activation statistics: run calibrate{calibration="x.npy"} before quantize')
        return stats

    def weight_frac(self, weights: np.ndarray, op: Operation, gain: float = 1.0) -> int:
        """The weight scale of ``op`` (``weights`` already times ``gain``), by the pass's rule; at most
        the scale that represents ``snn.weight_range`` (times ``gain``) unclipped: a folded shortcut's
        weights stay exact (docs/numerics.md 2.7)."""
        bits = self.options.weight_bits
        frac = weight_frac_mse(weights, bits) if self.options.scale_rule == "mse" else weight_frac(weights, bits)
        exact = op.attributes.get(WEIGHT_RANGE)
        if isinstance(exact, FloatAttr) and exact.value.data > 0:
            frac = min(frac, math.floor(math.log2(((1 << (bits - 1)) - 1) / (exact.value.data * gain))))
        return frac

    def timesteps(self, op: Operation) -> int:
        """Radix timesteps of the activation ``op``'s neuron writes: ``snn.timesteps`` on the op
        (``select-encoding`` chose it), else the pass's ``timesteps``."""
        return timesteps_of(op, self.options.timesteps)

    def out_frac(self, op: Operation, timesteps: int) -> int:
        stats = self.stats[op]
        if self.options.scale_rule == "mse":
            return stats.mse_frac[timesteps - 1]
        return output_frac(timesteps, stats.max)

    def rate_level(self, op: Operation) -> float:
        """What one output spike of ``op``'s neuron stands for (λ_l)."""
        stats = self.stats[op]
        return stats.percentile if self.options.scale_rule == "mse" else stats.max

    def value(self, old: SSAValue) -> SSAValue:
        return self.values[old]

    def emit(self, op: Operation, old: Operation | None = None, keep_name: bool = True) -> SSAValue:
        if old is not None:
            op.location = old.location
            if isinstance(op, snn.Conv2dOp | snn.LinearOp):
                snn.keep_layer_name(op, old)
            if keep_name and old.results and old.results[0].name_hint:
                op.results[0].name_hint = old.results[0].name_hint
        self.builder.insert(op)
        return op.results[0]

    def run(self) -> None:
        if self.options.encoding == "radix":
            self._encode_radix()
            self._walk(self._radix_synapse)
        else:
            self._encode_rate()
            self._walk(self._rate_synapse)
        self._finish()

    def _walk(self, synapse: Callable[[snn.Conv2dOp | snn.LinearOp], tuple[SSAValue, Neuron | None]]) -> None:
        """Rebuild the ops in order; each conv2d/linear owes a neuron, emitted at its ReLU.

        The body may be a DAG (a value with several users, concatenations): what a synapse owes is
        kept by its potentials, so branches may interleave."""
        owed: dict[SSAValue, Neuron] = {}

        def signed_codes(potentials: SSAValue) -> None:
            """A conv2d/linear reads ``potentials`` with no ReLU between: their neuron writes signed codes."""
            producer = potentials.owner
            assert isinstance(producer, Operation)
            self.values[potentials] = owed.pop(potentials)(self.value(potentials), producer, True)

        for op in self.ops:
            if isinstance(op, snn.Conv2dOp | snn.LinearOp):
                if op.input in owed:
                    signed_codes(op.input)
                self.values[op.output], neuron = synapse(op)
                if neuron is not None:
                    owed[op.output] = neuron
            elif isinstance(op, snn.ReluOp) and op.input is self.synapses[-1].output and op.upper() is None:
                if self.options.encoding != "radix":
                    raise not_supported("a ReLU on the logits with rate encoding (the readout integrates)", op)
                self.values[op.output] = self.emit(snn.ReluOp(self.value(op.input)), op)  # max(V, 0) of the logits
            elif isinstance(op, snn.ReluOp):
                neuron = owed.pop(op.input, None)
                if neuron is None:
                    raise not_supported("relu that does not follow a conv2d/linear (spikes and codes are >= 0)", op)
                self.values[op.output] = neuron(self.value(op.input), op, False)
            elif isinstance(op, snn.FlattenOp) and op.input in owed and _feeds_synapses(op.output):
                signed_codes(op.input)
                self.values[op.output] = self._reshape_like(op)
            elif isinstance(op, snn.MaxPool2dOp | snn.AvgPool2dOp | snn.FlattenOp | snn.ConcatOp):
                if (
                    isinstance(op, snn.MaxPool2dOp | snn.AvgPool2dOp)
                    and op.input in owed
                    and not followed_by_relu(op.output)
                ):
                    raise not_supported(
                        f"{op.name} of signed codes (a conv2d/linear without ReLU before it; the pool unit "
                        "compares and sums unsigned codes)",
                        op,
                    )
                if isinstance(op, snn.ConcatOp):  # potentials concatenated: their codes are signed
                    for value in op.operands:
                        if value in owed:
                            signed_codes(value)
                if any(value in owed for value in op.operands):
                    raise not_supported(f"{op.name} between a conv2d/linear and its ReLU", op)
                self.values[op.results[0]] = (
                    self._concat(op) if isinstance(op, snn.ConcatOp) else self._reshape_like(op)
                )
            elif isinstance(op, snn.ArgmaxOp):
                self.values[op.output] = self.emit(snn.ArgmaxOp(self.value(op.input), op.output.type), op)
            elif not isinstance(op, func.ReturnOp):
                raise not_supported(f"{op.name} in quantize", op)
        if owed:
            raise E3neError("error: quantize: the last layer is followed by a ReLU; logits are raw potentials")

    def _concat(self, op: snn.ConcatOp) -> SSAValue:
        """The inputs share frac (:meth:`_shared_codes` chose it for their synapses) and T, or are
        unsigned codes of T - 1 bits among signed ones of T bits (the result is signed)."""
        sources = [self.value(v) for v in op.inputs]
        out_type = op.output.type
        assert isinstance(out_type, TensorType)
        encodings = [snn.encoding_of(v.type) for v in sources]
        assert all(isinstance(e, snn.RadixEncodingAttr) for e in encodings)
        steps = max(e.timesteps.data for e in encodings)  # type: ignore[union-attr]
        signed = any(snn.is_signed_radix(v.type) for v in sources)
        frac = encodings[0].frac.data  # type: ignore[union-attr]
        return self.emit(snn.ConcatOp(sources, snn.radix_type(out_type.get_shape(), steps, frac, signed)), op)

    def _shared_codes(self) -> dict[Operation, _Codes]:
        """The codes of every synapse whose codes are concatenated (numerics.md 2.6).

        The synapses whose codes meet in a concatenation (directly, or through a nested one or one
        that shares an input with it) form a group. Each group gets the largest T of its members and,
        at that T, the smallest (coarsest) frac any member would pick alone, so no code clips more
        than it would alone; but at least the frac of each ReLU6 member's bound, so that its clamp at
        the top code stays at most M. A group with a member concatenated without ReLU holds signed
        codes: the ReLU members then write codes of T - 1 bits (at most ``2^(T-1) - 1``, which read
        as T-bit signed codes are the same numbers)."""
        group: dict[Operation, Operation] = {}  # union-find over the synapses
        members: dict[Operation, _Member] = {}

        def root(op: Operation) -> Operation:
            while group[op] is not op:
                op = group[op]
            return op

        for op in self.ops:
            if not isinstance(op, snn.ConcatOp):
                continue
            if self.options.encoding != "radix":
                raise not_supported(
                    "snn.concat with rate encoding (the spikes of its inputs stand for different values)", op
                )
            found = [m for value in op.inputs for m in _concatenated_synapses(value, op, None)]
            if any(m.op is self.synapses[-1] for m in found):
                raise not_supported("snn.concat of the logits (the last conv2d/linear emits raw potentials)", op)
            for member in found:
                group.setdefault(member.op, member.op)
                members.setdefault(member.op, member)
            for member in found[1:]:
                group[root(member.op)] = root(found[0].op)
        shared: dict[Operation, _Codes] = {}
        for root_op in {root(op) for op in group}:
            part = [members[op] for op in group if root(op) is root_op]
            steps = max(self.timesteps(m.op) for m in part)
            signed = any(m.signed for m in part)
            if signed and steps < 2:
                at = next(m.op for m in part if m.signed)
                raise _one_timestep_signed(at)
            bits = steps - 1 if signed else steps  # of the ReLU members' codes
            alone = [self.signed_frac(m.op, steps) if m.signed else self.out_frac(m.op, bits) for m in part]
            bounds = [relu6_frac(bits, m.upper) for m in part if m.upper is not None]
            frac = max([min(alone), *bounds])
            shared.update((m.op, _Codes(steps, frac, signed)) for m in part)
        return shared

    def _input(self) -> tuple[SSAValue, TensorType]:
        x = self.block.args[0]
        assert isinstance(x.type, TensorType)
        return x, x.type

    def _emit_input(self, encode: snn.EncodeOp) -> None:
        self.values[self.function.body.block.args[0]] = self.emit(encode)

    # ---------------------------------------------------------------- radix

    def signed_input(self, steps: int) -> bool:
        """Whether the input codes must be signed: some calibration input would round below code 0
        of the unsigned coding (docs/numerics.md 2.2); nothing is clamped to 0 silently."""
        if self.x_max <= 0:
            return True
        return self.x_min < -0.5 * self.x_max / ((1 << steps) - 1)

    def _encode_radix(self) -> None:
        steps = timesteps_of(self.function, self.options.timesteps, INPUT_TIMESTEPS)
        signed = self.signed_input(steps)
        if signed:
            if steps < 2:
                raise E3neError(
                    f"error: quantize: the calibration inputs reach {self.x_min:.4g}: signed input codes need "
                    "at least 2 input timesteps"
                )
            reach = max(self.x_max, -self.x_min)
            frac = steps - 1 - ceil_log2(reach)
            step = reach / ((1 << (steps - 1)) - 1)
        else:
            frac = steps - ceil_log2(self.x_max)
            step = self.x_max / ((1 << steps) - 1)
        self.gain = step * 2.0**frac  # folded into the first layer's weights (numerics.md 2.2)
        x, x_type = self._input()
        code_type = snn.radix_type(x_type.get_shape(), steps, frac, signed)
        self._emit_input(snn.EncodeOp(x, code_type, step=step, code_bits=steps))

    def _radix_synapse(self, op: snn.Conv2dOp | snn.LinearOp) -> tuple[SSAValue, Neuron | None]:
        source = self.value(op.input)
        in_enc = snn.encoding_of(source.type)
        assert isinstance(in_enc, snn.RadixEncodingAttr)
        f_in = in_enc.frac.data
        bits = self.options.weight_bits
        gain = self.gain if op is self.synapses[0] else 1.0
        weights = op.weights().astype(np.float64) * gain
        s_w = self.weight_frac(weights, op, gain)
        w_q = quantize_weights(weights, s_w, bits)
        bias = op.biases()
        b_q = None if bias is None else round_to_int(bias.astype(np.float64), s_w + f_in)
        width = snn.accumulator_width(w_q, b_q, snn.max_abs_code(source.type))
        out_type = op.output.type
        assert isinstance(out_type, TensorType)
        acc_type = snn.fixed_type(out_type.get_shape(), width, f_in + s_w)
        potentials = self.emit(self._synapse_like(op, source, acc_type, w_q, b_q, snn.WeightQuantAttr(bits, s_w)), op)
        if op is self.synapses[-1]:
            return potentials, None
        shared = self.shared.get(op)
        steps = self.timesteps(op) if shared is None else shared.steps

        def neuron(value: SSAValue, at: Operation, signed: bool) -> SSAValue:
            if signed:
                return self._signed_neuron(op, value, steps, s_w + f_in, None if shared is None else shared.frac)
            upper = at.upper() if isinstance(at, snn.ReluOp) else None
            bits = steps
            if shared is None:
                f_out = self.out_frac(op, steps)
                if upper is not None:  # ReLU6: the top code at most M
                    f_out = max(f_out, relu6_frac(steps, upper))
            else:  # the group's frac respects every ReLU6 member's bound
                f_out = shared.frac
                bits = steps - 1 if shared.signed else steps
            code_type = snn.radix_type(value.type.get_shape(), bits, f_out)  # type: ignore[attr-defined]
            return self.emit(snn.RadixNeuronOp(value, code_type, s_w + f_in - f_out), at, isinstance(at, snn.ReluOp))

        return potentials, neuron

    def signed_frac(self, op: Operation, steps: int) -> int:
        """The output scale of ``op``'s signed codes of ``steps`` bits (docs/numerics.md 2.4)."""
        stats = self.stats[op]
        if stats.min is None or stats.mse_signed_frac is None:
            raise op_error(op, "no statistics of signed codes (min): run calibrate again on this network")
        if self.options.scale_rule == "mse":
            return stats.mse_signed_frac[steps - 1]
        return signed_output_frac(steps, max(stats.max, -stats.min))

    def _signed_neuron(
        self, op: snn.Conv2dOp | snn.LinearOp, value: SSAValue, steps: int, acc_frac: int, frac: int | None
    ) -> SSAValue:
        """The neuron of a hidden layer without ReLU: signed codes (docs/numerics.md 2.4), at ``frac``
        (a concatenation's shared scale) or the layer's own."""
        if steps < 2:
            raise _one_timestep_signed(op)
        f_out = self.signed_frac(op, steps) if frac is None else frac
        code_type = snn.radix_type(value.type.get_shape(), steps, f_out, signed=True)  # type: ignore[attr-defined]
        return self.emit(snn.RadixNeuronOp(value, code_type, acc_frac - f_out), op, keep_name=False)

    def _synapse_like(
        self,
        op: snn.Conv2dOp | snn.LinearOp,
        source: SSAValue,
        result_type: TensorType,
        w_q: np.ndarray,
        b_q: np.ndarray | None,
        quant: snn.WeightQuantAttr,
    ) -> Operation:
        weight = from_numpy(w_q)
        bias = None if b_q is None else from_numpy(b_q)
        if isinstance(op, snn.Conv2dOp):
            return snn.Conv2dOp(source, result_type, weight, bias, op.stride_pair(), op.padding_pair(), quant)
        return snn.LinearOp(source, result_type, weight, bias, quant)

    def _reshape_like(self, op: snn.MaxPool2dOp | snn.AvgPool2dOp | snn.FlattenOp) -> SSAValue:
        """Pooling and flatten keep the input's element type and encoding."""
        source = self.value(op.input)
        src_type = source.type
        out_type = op.output.type
        assert isinstance(src_type, TensorType) and isinstance(out_type, TensorType)
        if isinstance(op, snn.AvgPool2dOp) and snn.is_rate_spikes(src_type):
            raise not_supported("average pooling of rate spikes", op)
        new_type = TensorType(src_type.element_type, out_type.get_shape(), src_type.encoding)
        if isinstance(op, snn.FlattenOp):
            return self.emit(snn.FlattenOp(source, new_type), op)
        pool_cls = type(op)
        window = (op.kernel_pair(), op.stride_pair(), op.padding_pair(), op.is_ceil_mode())
        return self.emit(pool_cls(source, new_type, *window), op)

    # ---------------------------------------------------------------- rate

    def _encode_rate(self) -> None:
        opts = self.options
        if self.signed_input(opts.input_bits):
            raise E3neError(
                f"error: quantize: not supported: inputs down to {self.x_min:.4g} with rate encoding (rate spikes "
                "are unsigned; radix encoding codes signed inputs)"
            )
        x, x_type = self._input()
        spikes_type = snn.rate_spike_type(x_type.get_shape(), opts.timesteps)
        self._emit_input(
            snn.EncodeOp(x, spikes_type, step=self.x_max / ((1 << opts.input_bits) - 1), code_bits=opts.input_bits)
        )
        self.spike_value = self.x_max  # what one input spike stands for

    def _rate_synapse(self, op: snn.Conv2dOp | snn.LinearOp) -> tuple[SSAValue, Neuron | None]:
        opts = self.options
        last = op is self.synapses[-1]
        largest = self.rate_level(op)
        level = largest if (largest > 0 and not last) else 1.0  # λ_l: what one output spike stands for
        gain = self.spike_value / level
        weights = op.weights().astype(np.float64) * gain
        self.spike_value = level
        s_w = self.weight_frac(weights, op, gain)
        w_q = quantize_weights(weights, s_w, opts.weight_bits)
        bias = op.biases()
        b_q = None if bias is None else round_to_int(bias.astype(np.float64) / level, s_w)
        width = snn.accumulator_width(w_q, b_q, 1)
        out_type = op.output.type
        assert isinstance(out_type, TensorType)
        current_type = snn.rate_current_type(out_type.get_shape(), opts.timesteps, width)
        quant = snn.WeightQuantAttr(opts.weight_bits, s_w)
        currents = self.emit(self._synapse_like(op, self.value(op.input), current_type, w_q, b_q, quant), op)
        if last:
            readout = snn.fixed_type(out_type.get_shape(), width + opts.timesteps.bit_length(), s_w)
            return self.emit(snn.IntegrateOp(currents, readout), op), None
        threshold = 1 << max(s_w, 0)

        def neuron(value: SSAValue, at: Operation, signed: bool) -> SSAValue:
            if signed:
                raise not_supported(
                    "a hidden conv2d/linear without ReLU with rate encoding (rate spikes are unsigned)", at
                )
            if isinstance(at, snn.ReluOp) and at.upper() is not None:
                raise not_supported(f"ReLU6 (a clamp at {at.upper():g}) with rate encoding", at)
            spikes = snn.rate_spike_type(value.type.get_shape(), opts.timesteps)  # type: ignore[attr-defined]
            keep_name = isinstance(at, snn.ReluOp)
            if opts.neuron == "lif":
                return self.emit(snn.LIFNeuronOp(value, spikes, threshold, opts.leak_shift), at, keep_name)
            return self.emit(snn.IFNeuronOp(value, spikes, threshold), at, keep_name)

        return currents, neuron

    # ---------------------------------------------------------------- finish

    def _finish(self) -> None:
        old_block = self.function.body.block
        ret = old_block.last_op
        assert isinstance(ret, func.ReturnOp)
        results = [self.value(v) for v in ret.arguments]
        self.builder.insert(func.ReturnOp(*results))
        self.function.body.insert_block_before(self.block, old_block)
        self.function.body.detach_block(old_block)
        old_block.erase(safe_erase=False)
        inputs = [a.type for a in self.block.args]
        self.function.properties["function_type"] = FunctionType.from_lists(inputs, [r.type for r in results])
        del self.function.attributes[INPUT_MAX]  # consumed: the encode op holds the input step now
        self.function.attributes.pop(INPUT_MIN, None)
        self.function.attributes.pop(INPUT_TIMESTEPS, None)  # consumed: the input's type holds it


def quantize_module(module: ModuleOp, calibration: np.ndarray | None, options: QuantizePass | None = None) -> ModuleOp:
    """Quantize the functions of ``module`` that ``options.function`` names (default all) in place.

    Functions without activation statistics are calibrated on ``calibration`` first.
    """
    options = options or QuantizePass()
    options.check()
    for function in functions(module, options.function):
        if any(Stats.of(op) is None for op in synapses(function)) or INPUT_MAX not in function.attributes:
            if calibration is None:
                raise E3neError(
                    f"error: quantize needs calibration data for @{function.sym_name.data}: "
                    'quantize{calibration="inputs.npy" ...}, or run calibrate first'
                )
            calibrate_function(module, function, np.asarray(calibration, dtype=np.float64), "quantize")
        _Quantizer(function, options).run()
    return module


@dataclass(frozen=True)
class QuantizePass(ModulePass):
    """Quantize a float snn network to radix (or rate) codes with power-of-two scales from calibration data."""

    name = "quantize"

    timesteps: int = 4
    """Radix: the code width T of every activation; rate: the spike train length."""
    weight_bits: int = 8
    calibration: str = ""
    """A .npy file of float inputs (not needed when calibrate has run)."""
    encoding: str = "radix"
    input_bits: int = 8
    """Rate coding: bits of the input codes the integrate-and-fire encoder spreads over T steps."""
    neuron: str = "if"
    """Rate coding: ``if`` or ``lif``."""
    leak_shift: int = 4
    scale_rule: str = "mse"
    function: str = ""
    """The function to quantize (default: every func.func)."""

    def check(self) -> None:
        if self.scale_rule not in SCALE_RULES:
            raise E3neError(f"error: quantize: scale_rule must be 'mse' or 'e3ne', got '{self.scale_rule}'")
        if self.encoding not in ("radix", "rate"):
            raise E3neError(f"error: quantize: encoding must be 'radix' or 'rate', got '{self.encoding}'")
        top = snn.MAX_RADIX_TIMESTEPS if self.encoding == "radix" else snn.MAX_RATE_TIMESTEPS
        for what, value, lo, hi in (
            ("timesteps", self.timesteps, 1, top),
            ("weight_bits", self.weight_bits, 2, snn.MAX_WEIGHT_BITS),
            ("input_bits", self.input_bits, 1, snn.MAX_RADIX_TIMESTEPS),
            ("leak_shift", self.leak_shift, 1, 31),
        ):
            if not lo <= value <= hi:
                raise E3neError(f"error: quantize: {what} must be in [{lo}, {hi}], got {value}")
        if self.neuron not in ("if", "lif"):
            raise E3neError(f"error: quantize: neuron must be 'if' or 'lif', got '{self.neuron}'")

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        quantize_module(op, load_calibration(self.calibration, self.name) if self.calibration else None, self)


@dataclass(frozen=True, eq=False)
class QuantizeInMemoryPass(QuantizePass):
    """``quantize`` with the calibration inputs given as an array (the Python API's pipeline)."""

    calibration_data: np.ndarray | None = field(default=None, repr=False)

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        quantize_module(op, self.calibration_data, self)
