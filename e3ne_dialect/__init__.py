"""e3ne's MLIR dialects (xDSL): ``snn`` (spiking networks), ``torch`` (torch-mlir subset), ``e3ne_hw`` (hardware).

They are registered for tools in one place, :mod:`e3ne.universe`.
"""
