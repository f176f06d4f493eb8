"""Running ``snn`` IR: the interpreter's entry points.

The op implementations are in :mod:`e3ne.interpreters.snn` (xDSL ``InterpreterFunctions``, as
xDSL keeps them in ``xdsl/interpreters/``). :class:`Runner` runs one module's network function
and keeps what it prepared (decoded attributes, weights laid out for torch) between calls;
:func:`predict` and :func:`run` are one-off conveniences.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from xdsl.dialects.builtin import ModuleOp
from xdsl.interpreter import Interpreter, PythonValues
from xdsl.interpreters.func import FuncFunctions
from xdsl.ir import Operation

from e3ne.errors import E3neError
from e3ne.interpreters.snn import SnnFunctions
from e3ne.ir import main_function


class _Recorder(Interpreter.Listener):
    def __init__(self, keep: Callable[[Operation], bool]):
        self.keep = keep
        self.values: dict[Operation, np.ndarray] = {}

    def did_interpret_op(self, op: Operation, results: PythonValues) -> None:
        if self.keep(op) and results:
            self.values[op] = results[0]


class Runner:
    """Runs the network function of ``module`` (``function``, else ``@main`` or the only one)."""

    def __init__(self, module: ModuleOp, function: str = ""):
        self.module = module
        self.function = main_function(module, function).sym_name.data
        self.functions = SnnFunctions()
        self._plain: Interpreter | None = None

    def _interpreter(self, listeners: tuple[Interpreter.Listener, ...] = ()) -> Interpreter:
        interpreter = Interpreter(self.module, listeners=listeners)
        interpreter.register_implementations(FuncFunctions())
        interpreter.register_implementations(self.functions)
        return interpreter

    def __call__(self, x: np.ndarray) -> np.ndarray:
        """Integer (or float, before quantization) outputs for inputs ``x`` (N, ...)."""
        if self._plain is None:
            self._plain = self._interpreter()
        (out,) = self._plain.call_op(self.function, (np.asarray(x),))
        return out

    def run(
        self, x: np.ndarray, record: Callable[[Operation], bool] | None = None
    ) -> tuple[np.ndarray, dict[Operation, np.ndarray]]:
        """The outputs for ``x`` and, for every op ``record`` selects, its result (e.g. for
        calibration, or to locate where two levels diverge)."""
        if record is None:
            return self(x), {}
        recorder = _Recorder(record)
        (out,) = self._interpreter((recorder,)).call_op(self.function, (np.asarray(x),))
        return out, recorder.values


def run(
    module: ModuleOp, x: np.ndarray, record: Callable[[Operation], bool] | None = None, function: str = ""
) -> tuple[np.ndarray, dict[Operation, np.ndarray]]:
    """Run the module's network function once on a batch ``x`` (see :meth:`Runner.run`)."""
    return Runner(module, function).run(x, record)


def network_inputs(module: ModuleOp, x: object, what: str = "the inputs", function: str = "") -> np.ndarray:
    """``x`` as the float64 batch (N, ...) the module's network function takes; an
    :class:`~e3ne.errors.E3neError` naming ``what`` when it is not one: another shape, an empty
    batch, values that are not real numbers, NaN or infinity."""
    array = np.asarray(x.detach().numpy() if hasattr(x, "detach") else x)  # type: ignore[attr-defined]
    arg_type = main_function(module, function).function_type.inputs.data[0]
    want = tuple(arg_type.get_shape()[1:])  # type: ignore[attr-defined]
    if array.dtype.kind not in "biuf":
        raise E3neError(f"error: {what}: inputs must be real numbers, got {array.dtype}")
    if array.ndim != len(want) + 1 or tuple(array.shape[1:]) != want:
        raise E3neError(f"error: {what}: inputs must have shape (N, {', '.join(map(str, want))}), got {array.shape}")
    if not len(array):
        raise E3neError(f"error: {what}: no inputs (the batch is empty)")
    bad = np.argwhere(~np.isfinite(array))
    if bad.size:
        raise E3neError(f"error: {what}: inputs hold NaN or infinity (at index {tuple(int(i) for i in bad[0])})")
    return array.astype(np.float64)


def predict(module: ModuleOp, x: np.ndarray, function: str = "") -> np.ndarray:
    """Integer (or float, before quantization) outputs of the module for inputs ``x``.

    Each call prepares the weights anew: to run a module many times, keep a :class:`Runner`.
    """
    return Runner(module, function)(x)


__all__ = ["Runner", "SnnFunctions", "network_inputs", "predict", "run"]
