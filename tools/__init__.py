"""Command-line tools: ``e3ne-opt`` (and the ``e3ne`` CLI)."""
