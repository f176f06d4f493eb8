"""``select-encoding``: radix timesteps per layer, the fewest cycles within an accuracy budget.

E3NE picks one T by hand for a whole network. The engine runs every layer with its own T_in and
T_out (docs/numerics.md 2), and a layer's cycles grow with the T of its input, so a network whose
early activations need fewer levels runs faster at no cost in accuracy. This pass chooses, on a
float ``snn`` network with calibration statistics (``calibrate``), the timesteps of the encoded
input and of every activation a neuron writes:

* it starts from every T at ``max_timesteps`` and, greedily, lowers by one the T whose trial
  saves the most cycles while the quantized network stays within ``accuracy_budget`` points of
  the reference: the float network's accuracy on labelled validation data, or, without labels,
  100 % agreement with the float network's classes. When no single step down stays within it, it
  tries every pair of steps (accuracy is not monotone in T: two lowered layers can score better
  than either alone), and it stops when no pair does either. With ``beam`` > 1 it carries the
  ``beam`` cheapest assignments within the budget from step to step instead of one;
* each trial quantizes a copy (``quantize`` with the trial's T per layer), runs the ``snn``
  interpreter on the validation inputs, and counts the cycles of one image with the exact cycle
  model on one engine (the sizes ``tile`` chooses for the network at ``max_timesteps``, or the
  ones given), so the trials compare like with like.

Decisions are attributes: ``snn.timesteps`` on every conv2d/linear whose output a neuron encodes
and ``snn.input_timesteps`` on the function (``quantize`` reads both), and ``snn.encoding_search``
on the function: the budget, the reference, and every trial (timesteps, score, cycles).

Weight bits stay one per network: the weight ROM word has one field width for every layer, so a
narrower layer would save neither memory nor cycles.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import combinations

import numpy as np
from xdsl.context import Context
from xdsl.dialects import func
from xdsl.dialects.builtin import DenseArrayBase, DictionaryAttr, FloatAttr, IntegerAttr, ModuleOp, StringAttr, f64, i64
from xdsl.passes import ModulePass

from e3ne.dialects import snn
from e3ne.engine.mapping import EngineSize, choose_size, network_cycles
from e3ne.errors import E3neError
from e3ne.interpreters import Runner
from e3ne.ir import functions
from e3ne.passes.calibrate import INPUT_MAX, INPUT_MIN, Stats, calibrate_function, load_calibration, synapses
from e3ne.passes.quantize import INPUT_TIMESTEPS, TIMESTEPS, QuantizePass, quantize_module

SEARCH_ATTR = "snn.encoding_search"
"""The function attribute recording select-encoding's budget, reference and trials."""


@dataclass(frozen=True)
class Trial:
    """One assignment of timesteps (input first, then each encoded activation) and how it did."""

    timesteps: tuple[int, ...]
    score: float
    cycles: int
    within: bool


@dataclass
class Search:
    """What select-encoding tried for one function, and what it chose."""

    metric: str  # "accuracy" (labels) or "agreement" (with the float network)
    reference: float
    budget: float  # points
    trials: list[Trial] = field(default_factory=list)
    chosen: Trial | None = None


def _scores(predicted: np.ndarray, target: np.ndarray) -> float:
    return float((predicted == target).mean())


class Trials:
    """Scores timestep assignments of one float, calibrated function: :meth:`trial` quantizes a copy
    with them, runs the interpreter on the validation data and counts the cycles on one engine (the
    sizes the options give, the others tile's choice for the first trial)."""

    def __init__(self, module: ModuleOp, function: func.FuncOp, options: SelectEncodingPass):
        self.module, self.name = module, function.sym_name.data
        self.options = options
        self.knobs = synapses(function)[:-1]  # the last layer's output is the raw logits
        # signed codes need T >= 2 (a sign plane and one more): the input when it reaches below 0, a
        # layer whose calibration recorded a minimum (no ReLU after it, docs/numerics.md 2.4)
        x_min = function.attributes.get(INPUT_MIN)
        signed_input = isinstance(x_min, FloatAttr) and x_min.value.data < 0
        stats = [Stats.of(op) for op in self.knobs]
        self.floors = (2 if signed_input else 1, *(2 if s is not None and s.min is not None else 1 for s in stats))
        """The fewest timesteps of the input and of each knob."""
        self.x, labels = options.validation_data()
        float_classes = np.argmax(Runner(module, self.name)(self.x), axis=1)
        if labels is not None:
            self.target = labels
            self.reference = _scores(float_classes, labels)
            self.metric = "accuracy"
        else:
            self.target, self.reference, self.metric = float_classes, 1.0, "agreement"
        self.size: EngineSize | None = None

    def trial(self, steps: tuple[int, ...]) -> Trial:
        from e3ne.passes.fuse_layers import FuseLayersPass
        from e3ne.passes.tile import fused_layers, layer_shape, place_layers

        copy = self.module.clone()
        (function,) = functions(copy, self.name)
        self.assign(function, steps)
        quantize_module(copy, None, self.options.quantize_options())
        score = _scores(np.argmax(Runner(copy, self.name)(self.x), axis=1), self.target)
        FuseLayersPass(function=self.name).apply(Context(), copy)
        layers = fused_layers(function)
        placement = place_layers(layers, self.options.linear)
        shapes = [layer_shape(op, on_conv) for op, on_conv in zip(layers, placement, strict=True)]
        if self.size is None:
            o = self.options
            self.size = choose_size(shapes, o.conv_units, o.cols, o.lanes)
        within = score >= self.reference - self.options.accuracy_budget / 100 - 1e-12
        return Trial(steps, score, network_cycles(shapes, self.size), within)

    def assign(self, function: func.FuncOp, steps: tuple[int, ...]) -> None:
        """Write ``steps`` as the attributes quantize reads, on ``function`` (the original or a copy)."""
        function.attributes[INPUT_TIMESTEPS] = IntegerAttr(steps[0], i64)
        for op, t in zip(synapses(function)[:-1], steps[1:], strict=True):
            op.attributes[TIMESTEPS] = IntegerAttr(t, i64)


def timestep_sweep(
    module: ModuleOp, function: func.FuncOp, options: SelectEncodingPass, steps: range, size: EngineSize | None = None
) -> tuple[Search, list[Trial]]:
    """One T for every layer, for each T in ``steps``: accuracy (or agreement) and cycles on one
    engine (``size``, else tile's choice) of the calibrated float ``function`` (report.html's
    accuracy against T). Returns the reference and the trials."""
    searcher = Trials(module, function, options)
    searcher.size = size
    search = Search(searcher.metric, searcher.reference, options.accuracy_budget)
    feasible = [t for t in steps if t >= max(searcher.floors)]  # no T = 1 where codes are signed
    return search, [searcher.trial((t,) * (len(searcher.knobs) + 1)) for t in feasible]


def _steps_down(steps: tuple[int, ...], lowered: int, lowest: int, floors: tuple[int, ...]) -> list[tuple[int, ...]]:
    """``steps`` with ``lowered`` of its entries (distinct ones) one lower, none below ``lowest``
    nor below its own floor."""
    found = []
    for chosen in combinations(range(len(steps)), lowered):
        if all(steps[k] > max(lowest, floors[k]) for k in chosen):
            found.append(tuple(t - 1 if k in chosen else t for k, t in enumerate(steps)))
    return found


def select_encoding(module: ModuleOp, function: func.FuncOp, options: SelectEncodingPass) -> Search:
    """Choose the timesteps of ``function`` (see the module docstring); returns the search."""
    ops = synapses(function)
    if not ops or any(Stats.of(op) is None for op in ops) or INPUT_MAX not in function.attributes:
        raise E3neError(
            f"error: select-encoding: @{function.sym_name.data} has no calibration statistics "
            '(run calibrate{calibration="inputs.npy"} first)'
        )
    if any(not snn.is_float_tensor(op.input.type) for op in ops):
        raise E3neError(f"error: select-encoding: @{function.sym_name.data} is already quantized")
    searcher = Trials(module, function, options)
    search = Search(searcher.metric, searcher.reference, options.accuracy_budget)
    current = searcher.trial((options.max_timesteps,) * (len(searcher.knobs) + 1))
    search.trials.append(current)
    if not current.within:
        below = (search.reference - current.score) * 100
        raise E3neError(
            f"error: select-encoding: @{function.sym_name.data}: even T = {options.max_timesteps} everywhere gives "
            f"{search.metric} {current.score:.2%}, {below:.2f} points below the reference {search.reference:.2%} "
            f"(budget {options.accuracy_budget:g}): raise max_timesteps (--timesteps) or the budget"
        )
    tried: set[tuple[int, ...]] = {current.timesteps}
    order = lambda t: (t.cycles, -t.score)  # noqa: E731
    frontier, best = [current], current
    while frontier:
        better: list[Trial] = []
        for state in frontier:
            for lowered in (1, 2):  # single steps down; if none stays within, pairs of steps
                tries = []
                for steps in _steps_down(state.timesteps, lowered, options.min_timesteps, searcher.floors):
                    if steps not in tried:
                        tried.add(steps)
                        tries.append(searcher.trial(steps))
                search.trials += tries
                within = [t for t in tries if t.within]
                if within:
                    better += within
                    break
        frontier = sorted(better, key=order)[: options.beam]
        best = min([best, *frontier], key=order)
    search.chosen = best
    searcher.assign(function, best.timesteps)
    function.attributes[SEARCH_ATTR] = _attribute(search)
    return search


def _attribute(search: Search) -> DictionaryAttr:
    flat = [v for t in search.trials for v in (*t.timesteps, round(t.score * 1e6), t.cycles, int(t.within))]
    assert search.chosen is not None
    return DictionaryAttr(
        {
            "metric": StringAttr(search.metric),
            "reference": FloatAttr(search.reference, f64),
            "budget_points": FloatAttr(search.budget, f64),
            "chosen": DenseArrayBase.from_list(i64, list(search.chosen.timesteps)),
            "trial_columns": StringAttr("timesteps (input, then each encoded activation), score x 1e6, cycles, within"),
            "trials": DenseArrayBase.from_list(i64, flat),
        }
    )


def read_search(function: func.FuncOp) -> dict[str, object] | None:
    """``snn.encoding_search`` of a function as plain data (the report's ``encoding_search``), or None."""
    attr = function.attributes.get(SEARCH_ATTR)
    if not isinstance(attr, DictionaryAttr):
        return None
    values = attr.data
    metric, reference, budget = values["metric"], values["reference"], values["budget_points"]
    chosen, trials = values["chosen"], values["trials"]
    assert isinstance(metric, StringAttr) and isinstance(reference, FloatAttr) and isinstance(budget, FloatAttr)
    assert isinstance(chosen, DenseArrayBase) and isinstance(trials, DenseArrayBase)
    picked = [int(v) for v in chosen.get_values()]
    width = len(picked) + 3
    flat = [int(v) for v in trials.get_values()]
    rows = []
    for i in range(0, len(flat), width):
        steps, score, cycles, within = flat[i : i + len(picked)], *flat[i + len(picked) : i + width]
        rows.append(
            {
                "timesteps": steps,
                metric.data: score / 1e6,
                "cycles": cycles,
                "within_budget": bool(within),
                "chosen": steps == picked,
            }
        )
    return {
        "metric": metric.data,
        "reference": reference.value.data,
        "budget_points": budget.value.data,
        "chosen": picked,
        "chosen_cycles": next(r["cycles"] for r in rows if r["timesteps"] == picked),
        "uniform_cycles": rows[0]["cycles"],
        "trials": rows,
    }


@dataclass(frozen=True)
class SelectEncodingPass(ModulePass):
    """Choose radix timesteps per layer: the fewest cycles within an accuracy budget (before quantize)."""

    name = "select-encoding"

    accuracy_budget: float = 1.0
    """Points of accuracy (with labels) or agreement with the float network (without) to give up."""
    max_timesteps: int = 4
    """The timesteps every layer starts from (and the most any gets)."""
    min_timesteps: int = 1
    beam: int = 1
    """Assignments carried from step to step (1: greedy; more finds cheaper ones for more trials)."""
    validation: str = ""
    """A .npy of float validation inputs (required: the pass does not see the calibration data)."""
    labels: str = ""
    """A .npy of their integer labels (optional: without, the reference is the float network's classes)."""
    weight_bits: int = QuantizePass.weight_bits
    scale_rule: str = QuantizePass.scale_rule
    conv_units: int = 0
    cols: int = 0
    lanes: int = 0
    linear: str = "auto"
    """The engine the cycles are counted on (0: the sizes tile chooses)."""
    function: str = ""

    def validation_data(self) -> tuple[np.ndarray, np.ndarray | None]:
        x = load_calibration(self.validation, self.name)
        if not self.labels:
            return x, None
        labels = np.asarray(load_calibration(self.labels, self.name)).astype(np.int64).reshape(-1)
        if len(labels) != len(x):
            raise E3neError(f"error: select-encoding: {len(x)} validation inputs but {len(labels)} labels")
        return x, labels

    def quantize_options(self) -> QuantizePass:
        return QuantizePass(timesteps=self.max_timesteps, weight_bits=self.weight_bits, scale_rule=self.scale_rule)

    def check(self) -> None:
        top = snn.MAX_RADIX_TIMESTEPS
        if not 1 <= self.min_timesteps <= self.max_timesteps <= top:
            raise E3neError(
                f"error: select-encoding: need 1 <= min_timesteps <= max_timesteps <= {top}, "
                f"got {self.min_timesteps} and {self.max_timesteps}"
            )
        if self.beam < 1:
            raise E3neError(f"error: select-encoding: beam must be >= 1, got {self.beam}")
        if not 0 <= self.accuracy_budget <= 100:
            raise E3neError(
                f"error: select-encoding: accuracy_budget must be in [0, 100] points, got {self.accuracy_budget}"
            )
        self.quantize_options().check()

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        self.check()
        for function in functions(op, self.function):
            select_encoding(op, function, self)


@dataclass(frozen=True, eq=False)
class SelectEncodingInMemoryPass(SelectEncodingPass):
    """``select-encoding`` with the validation data given as arrays (the Python API's pipeline)."""

    x: np.ndarray | None = field(default=None, repr=False)
    """Validation inputs (None: the calibration inputs)."""
    y: np.ndarray | None = field(default=None, repr=False)
    """Their labels (None: agreement with the float network)."""
    calibration_data: np.ndarray | None = field(default=None, repr=False)
    """Calibration inputs: calibrate runs on them first when the IR has no statistics."""

    def validation_data(self) -> tuple[np.ndarray, np.ndarray | None]:
        x = self.x if self.x is not None else self.calibration_data
        if x is None:
            return super().validation_data()
        if self.y is not None and len(self.y) != len(x):
            raise E3neError(f"error: select-encoding: {len(x)} validation inputs but {len(self.y)} labels")
        return np.asarray(x, dtype=np.float64), None if self.y is None else np.asarray(self.y).astype(np.int64)

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        self.check()
        for function in functions(op, self.function):
            ops = synapses(function)
            missing = any(Stats.of(s) is None for s in ops) or INPUT_MAX not in function.attributes
            if missing and self.calibration_data is not None:
                calibrate_function(op, function, np.asarray(self.calibration_data, dtype=np.float64), self.name)
            select_encoding(op, function, self)
