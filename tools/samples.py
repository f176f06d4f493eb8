"""What ``e3ne compile`` measures a design on: sample inputs, with labels when it knows them.

The samples are, in this order: the ``--labels`` ones (``Y.npy``, one integer class per
``--calibration`` input; or ``package.module:function`` returning ``(x, y)``, whose ``x`` are then
the samples), digits' test split for the embedded digits model, else the calibration inputs without
labels. On them the CLI reports the float (PyTorch) and quantized (interpreter) accuracy, how often
the two agree, and, after co-simulation, the accuracy of the RTL on the images it ran.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import numpy as np

from e3ne.errors import E3neError

Samples = tuple[np.ndarray, np.ndarray | None]
"""Inputs (N, ...) and their integer labels (N,), or None."""


def _load_npy(path: Path, what: str) -> np.ndarray:
    if not path.is_file():
        raise E3neError(f"error: {what} file not found: {path}")
    try:
        return np.load(path)
    except (ValueError, OSError) as err:
        raise E3neError(f"error: cannot read {path} as .npy: {err}") from None


def _from_function(spec: str) -> tuple[object, object]:
    module_name, _, function_name = spec.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ImportError as err:
        raise E3neError(f"error: --labels: cannot import '{module_name}': {err}") from None
    function = getattr(module, function_name, None)
    if not callable(function):
        raise E3neError(f"error: --labels: '{module_name}' has no function '{function_name}'")
    result = function()
    if not isinstance(result, tuple) or len(result) != 2:
        raise E3neError(f"error: --labels: {spec} must return (x, y), got {type(result).__name__}")
    return result


def _array(value: object) -> np.ndarray:
    """A numpy array of ``value`` (an array, a CPU tensor or a list)."""
    array: Any = value.numpy() if hasattr(value, "numpy") else value  # type: ignore[attr-defined]
    return np.asarray(array)


def load_labelled(spec: str, calibration: np.ndarray | None) -> Samples:
    """The samples ``--labels spec`` gives: ``Y.npy`` labels ``calibration``; ``package.module:function``
    returns ``(x, y)``. Checks dtypes, ranks and lengths (the input shape needs the network:
    :func:`check_inputs`)."""
    if spec.endswith(".npy"):
        if calibration is None:
            raise E3neError(
                "error: --labels Y.npy labels the calibration inputs: give --calibration X.npy too "
                "(or --labels package.module:function returning (x, y))"
            )
        x, y = np.asarray(calibration), _load_npy(Path(spec), "--labels")
        inputs = "calibration inputs"
    elif ":" in spec:
        found = _from_function(spec)
        x, y = _array(found[0]), _array(found[1])
        inputs = "inputs"
    else:
        raise E3neError(f"error: --labels must be a .npy file or package.module:function, got '{spec}'")
    if x.dtype.kind not in "fiu" or x.ndim < 2:
        raise E3neError(f"error: --labels: the inputs must be a numeric array (N, ...), got {x.dtype} {x.shape}")
    if y.dtype.kind not in "iu":
        raise E3neError(f"error: --labels: labels must be integer class indices, got {y.dtype}")
    if y.ndim != 1 or len(y) != len(x):
        raise E3neError(f"error: --labels: {len(x)} {inputs} need {len(x)} labels (a 1-D array), got {y.shape}")
    if len(y) and y.min() < 0:
        raise E3neError(f"error: --labels: labels must be class indices >= 0, got {int(y.min())}")
    return x.astype(np.float64, copy=False), y.astype(np.int64, copy=False)


def samples(source: Any, labels: str | None) -> Samples | None:
    """The samples of a compile (see the module docstring); None without any."""
    if labels is not None:
        return load_labelled(labels, source.calibration)
    if source.name in ("digits", "digits_example"):
        from e3ne.models import digits_split

        _, _, x_test, y_test = digits_split()
        return x_test, y_test
    if source.calibration is not None:
        return np.asarray(source.calibration), None
    return None


def check_inputs(x: np.ndarray, design: Any) -> None:
    """``--labels``' inputs must have the network's input shape."""
    from e3ne.ir import main_function

    arg_type: Any = main_function(design.snn).body.block.args[0].type
    want = tuple(arg_type.get_shape()[1:])
    if tuple(x.shape[1:]) != want:
        raise E3neError(
            f"error: --labels: the inputs must have shape (N, {', '.join(map(str, want))}) like the model's, "
            f"got {x.shape}"
        )


def accuracy(source: Any, design: Any, found: Samples) -> dict[str, float]:
    """Float and quantized accuracy (with labels) and how often the two agree, on ``found``."""
    import torch

    x, labels = found
    result: dict[str, float] = {}
    model = source.model
    step = len(x)
    if isinstance(model, torch.export.ExportedProgram):
        # an exported program keeps its example's batch size: run it in batches of that size
        step = int(np.asarray(source.example_input).shape[0])
        x = x[: len(x) // step * step]
        labels = None if labels is None else labels[: len(x)]
        model = model.module()
    logits = design.predict(x)
    if labels is not None and len(labels) and labels.max() >= logits.shape[1]:
        raise E3neError(
            f"error: --labels: label {int(labels.max())} is no class of the model's {logits.shape[1]} outputs"
        )
    quantized = np.argmax(logits, axis=1)
    if model is not None:
        with torch.no_grad():
            batches = [torch.as_tensor(x[i : i + step], dtype=torch.float32) for i in range(0, len(x), step)]
            floats = np.concatenate([model(batch).argmax(1).numpy() for batch in batches])
        if labels is not None:
            result["float"] = round(float((floats == labels).mean()), 4)
        result["float_vs_quantized_agreement"] = round(float((floats == quantized).mean()), 4)
    if labels is not None:
        result["quantized_interpreter"] = round(float((quantized == labels).mean()), 4)
    result["images"] = len(x)
    return result


def rtl_accuracy(rtl_logits: np.ndarray, labels: np.ndarray) -> dict[str, float]:
    """The RTL's accuracy on the co-simulated images (the first ``len(rtl_logits)`` samples)."""
    classes = np.argmax(rtl_logits, axis=1)
    return {"rtl_sample": round(float((classes == labels[: len(classes)]).mean()), 4), "rtl_images": len(classes)}
