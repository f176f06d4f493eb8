"""e3ne: compile PyTorch networks into radix-encoded spiking-neural-network hardware for FPGAs.

The Python API: :func:`import_model` (PyTorch -> ``snn`` IR). The model zoo is ``e3ne.models``.
"""

from e3ne.api import import_model

__all__ = ["import_model"]
