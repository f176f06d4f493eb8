"""e3ne's passes on the ``snn`` dialect. Every pass and conversion (``e3ne.lowering``) is registered
for tools in one place, :mod:`e3ne.universe`."""
