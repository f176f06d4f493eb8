"""e3ne: compile PyTorch networks into radix-encoded spiking-neural-network hardware for FPGAs.

The Python API: :func:`compile` (PyTorch -> a :class:`Design`: IR, interpreter, Verilog) and
:func:`import_model` (PyTorch -> ``snn`` IR). The model zoo is ``e3ne.models``; the dialects,
passes and targets for other MLIR flows are in :mod:`e3ne.universe`. Importing e3ne does not
import torch: the modules that need it import it when they are used.
"""

from e3ne.api import import_model
from e3ne.design import Design, compile

__all__ = ["Design", "compile", "import_model"]
