"""e3ne: compile PyTorch networks into radix-encoded spiking-neural-network hardware for FPGAs.

The Python API: :func:`compile` (PyTorch -> a :class:`Design`: IR, interpreter, Verilog),
:func:`compile_onnx` (an ``.onnx`` file -> a :class:`Design`) and :func:`import_model` (PyTorch ->
``snn`` IR). The model zoo is ``e3ne.models``; the dialects, passes and targets for other MLIR flows
are in :mod:`e3ne.universe`. Importing e3ne does not import torch or onnx: the modules that need
them import them when they are used.
"""

from e3ne.api import import_model
from e3ne.design import Design, compile
from e3ne.onnx_import import compile_onnx

__all__ = ["Design", "compile", "compile_onnx", "import_model"]
