"""Where models come from: the zoo, ``package.module:function``, ``.pt2``, ``.onnx`` and ``.mlir`` files."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from e3ne.errors import E3neError


@dataclass
class ModelSource:
    """A model to compile: either a PyTorch module with its example input, or IR text."""

    name: str
    model: object | None = None
    example_input: object | None = None
    calibration: np.ndarray | None = None
    mlir_text: str | None = None
    mlir_path: str | None = None


def _zoo() -> dict[str, object]:
    from e3ne import models

    return {"digits": models.digits_example, **models.PAPER_MODELS}


def load_model(spec: str, calibration: str | None = None) -> ModelSource:
    """Resolve ``spec``: a zoo name (``digits``, ``lenet5``, ``fang``, ``alexnet``, ``vgg11``),
    ``package.module:function`` returning ``(model, example_input[, calibration])``, a
    ``.pt2`` file (``torch.export.save``), an ``.onnx`` file (imported to the torch dialect; it needs
    ``calibration``) or a ``.mlir`` file (torch or snn dialect)."""
    source = _resolve(spec)
    if calibration is not None:
        path = Path(calibration)
        if not path.is_file():
            raise E3neError(f"error: calibration file not found: {path}")
        try:
            source.calibration = np.load(path)
        except (ValueError, OSError) as err:
            raise E3neError(f"error: cannot read calibration file {path}: {err}") from None
    return source


def _resolve(spec: str) -> ModelSource:
    zoo = _zoo()
    if spec in zoo:
        return _from_function(spec, zoo[spec])
    path = Path(spec)
    if spec.endswith(".mlir"):
        if not path.is_file():
            raise E3neError(f"error: no such file: {spec}")
        from e3ne.ir import read_text

        return ModelSource(path.stem, mlir_text=read_text(path), mlir_path=str(path))
    if spec.endswith(".pt2"):
        return _from_pt2(path)
    if spec.endswith(".onnx"):
        from e3ne.onnx_import import onnx_to_torch

        return ModelSource(path.stem, mlir_text=onnx_to_torch(path), mlir_path=str(path))
    if ":" in spec:
        module_name, _, function_name = spec.partition(":")
        try:
            module = importlib.import_module(module_name)
        except ImportError as err:
            raise E3neError(f"error: cannot import '{module_name}' for model '{spec}': {err}") from None
        function = getattr(module, function_name, None)
        if not callable(function):
            raise E3neError(f"error: '{module_name}' has no function '{function_name}'")
        return _from_function(function_name, function)
    names = ", ".join(zoo)
    raise E3neError(f"error: unknown model '{spec}' (a zoo name: {names}; package.module:function; .pt2; .onnx; .mlir)")


def _from_function(name: str, function: object) -> ModelSource:
    try:
        result = function()  # type: ignore[operator]
    except Exception as err:  # the user's code: its error, in one line
        first = (str(err).strip().splitlines() or [""])[0]
        raise E3neError(f"error: model function '{name}' raised {type(err).__name__}: {first}") from None
    if not isinstance(result, tuple) or len(result) not in (2, 3):
        raise E3neError(f"error: model function '{name}' must return (model, example_input[, calibration])")
    calibration = None if len(result) == 2 else np.asarray(result[2])
    return ModelSource(name, result[0], result[1], calibration)


def _from_pt2(path: Path) -> ModelSource:
    import torch

    if not path.is_file():
        raise E3neError(f"error: no such file: {path}")
    from e3ne.torch_import import quiet_torch_logs

    try:
        with quiet_torch_logs():
            program = torch.export.load(str(path))
    except Exception as err:  # torch raises several types for a bad archive
        raise E3neError(f"error: cannot load {path} with torch.export.load: {err}") from None
    example_args = program.example_inputs[0] if program.example_inputs else ()
    if len(example_args) != 1:
        raise E3neError(f"error: {path}: the exported program must take exactly one input tensor")
    return ModelSource(path.stem, program, example_args[0])
