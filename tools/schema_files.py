"""``python -m e3ne.tools.schema_files [--write]``: regenerate (or check) the files the engine schema
generates: ``rtl/e3ne_descriptor.vh`` and docs/hardware.md's tables (:mod:`e3ne.engine.schema`)."""

import sys

from e3ne.engine.schema import main

if __name__ == "__main__":
    sys.exit(main())
