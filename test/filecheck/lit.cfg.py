# lit configuration for e3ne's FileCheck tests (run by ./dev.sh test).
import os
import sys

import lit.formats

config.name = "e3ne"  # noqa: F821 (lit injects `config`)
config.test_format = lit.formats.ShTest(execute_external=False)  # noqa: F821
config.suffixes = [".mlir"]  # noqa: F821
config.test_source_root = os.path.dirname(__file__)  # noqa: F821
config.excludes = ["lit.cfg.py", "inputs"]  # noqa: F821

# The tools live next to the interpreter that runs lit: the project's virtualenv.
venv_bin = os.path.dirname(sys.executable)
config.environment["PATH"] = os.pathsep.join([venv_bin, config.environment.get("PATH", os.environ["PATH"])])  # noqa: F821
config.environment["PYTHONWARNINGS"] = "ignore"  # noqa: F821
config.environment["E3NE_NO_PROGRESS"] = "1"  # noqa: F821

config.substitutions.append(("%python", sys.executable))  # noqa: F821
# Print generic, re-parse, print pretty: checks both forms parse and agree.
config.substitutions.append(("%roundtrip-generic", "e3ne-opt --print-op-generic %s | e3ne-opt"))  # noqa: F821
config.substitutions.append(("%roundtrip", "e3ne-opt %s | e3ne-opt"))  # noqa: F821
