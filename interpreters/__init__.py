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


def predict(module: ModuleOp, x: np.ndarray, function: str = "") -> np.ndarray:
    """Integer (or float, before quantization) outputs of the module for inputs ``x``.

    Each call prepares the weights anew: to run a module many times, keep a :class:`Runner`.
    """
    return Runner(module, function)(x)


__all__ = ["Runner", "SnnFunctions", "predict", "run"]
