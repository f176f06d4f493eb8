"""ONNX models in: torch-mlir's ONNX importer and its ``convert-torch-onnx-to-torch`` pass give the
``torch`` dialect text that the PyTorch path gives, which ``convert-torch-to-snn`` lowers.

torch-mlir imports every ONNX node as ``torch.operator "onnx.<OpType>"``; the pass rewrites them
into ``torch.aten.*`` ops on ``!torch.vtensor`` values, with the initializers as
``torch.vtensor.literal(dense<…>)``. Each op keeps the ONNX node it came from as its location
(``loc("model.onnx: ONNX Softmax '/3/Softmax'")``), so a diagnostic of any later stage names the
file and the ONNX node. Importing this module does not import onnx or torch-mlir.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from e3ne.errors import E3neError
from e3ne.torch_import import first_unknown_op, location_name

if TYPE_CHECKING:
    from e3ne.design import Design

ONNX_TO_TORCH = "builtin.module(func.func(convert-torch-onnx-to-torch),canonicalize)"
"""torch-mlir's passes from ``torch.operator "onnx.*"`` ops to ATen ops; ``canonicalize`` folds the
shape arithmetic exporters emit (``Shape``/``Gather``/``Concat`` into a ``Reshape`` of a symbolic
batch). Not torch-mlir's ``torch-onnx-to-torch-backend-pipeline``: it decomposes ops (softmax into
``max.dim``/``exp``/``sum``) that ``convert-torch-to-snn`` knows whole."""


def _first_line(err: BaseException) -> str:
    text = str(err).strip().splitlines()
    return text[0].strip() if text else type(err).__name__


def onnx_to_torch(path: str | Path) -> str:
    """The ``torch``-dialect text of the ONNX model in ``path`` (external data beside it is read too).

    The batch dimension of the input and output may be symbolic (it becomes 1: the interpreter and
    the hardware take any batch); every other dimension must be fixed. Raises :class:`E3neError`
    with one line naming the file (and the ONNX node) for a missing or unreadable file, an invalid
    model, and a node the ``torch`` dialect subset has no op for.
    """
    path = Path(path)
    if not path.is_file():
        raise E3neError(f"error: no such file: {path}")
    import onnx

    try:
        model = onnx.load(str(path))
    except Exception as err:  # protobuf's DecodeError, onnx's errors for external data, OSError
        raise E3neError(f"error: {path}: not a readable ONNX model: {_first_line(err)}") from None
    _fix_batch(model, path)
    try:
        onnx.checker.check_model(model)
        model = onnx.shape_inference.infer_shapes(model, data_prop=True)
    except Exception as err:  # ValidationError, InferenceError
        raise E3neError(f"error: {path}: invalid ONNX model: {_first_line(err)}") from None
    model.graph.name = "main"  # the function name the PyTorch path gives
    for index, node in enumerate(model.graph.node):
        node.name = f"{path}: ONNX {node.op_type} " + (f"'{node.name}'" if node.name else f"node #{index}")
    return _import(model, path)


def _fix_batch(model: Any, path: Path) -> None:
    """Give the one graph input (and the outputs) a fixed batch of 1; other dimensions must be fixed."""
    graph = model.graph
    weights = {init.name for init in graph.initializer}
    inputs = [value for value in graph.input if value.name not in weights]
    if len(inputs) != 1:
        raise E3neError(f"error: {path}: the model must take exactly one input tensor, it takes {len(inputs)}")
    for value in [*inputs, *graph.output]:
        dims = value.type.tensor_type.shape.dim
        for axis, dim in enumerate(dims):
            if dim.HasField("dim_value"):
                continue
            if axis != 0:
                what = dim.dim_param or "?"
                raise E3neError(
                    f"error: {path}: '{value.name}' has a symbolic dimension {axis} ({what}): "
                    "e3ne needs a fixed shape except for the batch"
                )
            dim.dim_value = 1
    del graph.value_info[:]  # shape inference recomputes them with the fixed batch


def _mlir(name: str) -> Any:
    """A module of torch-mlir's compiled bindings (type checkers cannot see into them)."""
    import importlib

    return importlib.import_module(f"torch_mlir.{name}")


def _import(model: Any, path: Path) -> str:
    from torch_mlir.dialects import torch as torch_d
    from torch_mlir.extras import onnx_importer

    context = _mlir("ir").Context()
    torch_d.register_dialect(context)
    try:
        info = onnx_importer.ModelInfo(model)
        module = info.create_module(context=context).operation
        onnx_importer.NodeImporter.define_function(info.main_graph, module).import_all()
    except Exception as err:  # OnnxImportError and the errors of the bindings
        raise E3neError(f"error: {path}: torch-mlir cannot import the model: {_first_line(err)}") from None
    with context:
        context.emit_error_diagnostics = True
        try:
            _mlir("passmanager").PassManager.parse(ONNX_TO_TORCH).run(module)
        except Exception as err:  # MLIRError, with the failing op's location in its diagnostics
            raise E3neError(f"error: {path}: convert-torch-onnx-to-torch failed: {_diagnostic(err)}") from None
    _check_ops(module, path)
    return module.get_asm(enable_debug_info=True, use_local_scope=True)


def _diagnostic(err: BaseException) -> str:
    diagnostics = getattr(err, "error_diagnostics", None)
    if diagnostics:
        first = diagnostics[0]
        return f"{location_name(str(first.location))}: {first.message}"
    return _first_line(err)


def _check_ops(module: Any, path: Path) -> None:
    """Every op must be one the ``torch`` dialect subset parses: an ONNX node torch-mlir could not
    lower stays a ``torch.operator``, and some lower to ops e3ne has no use for (an LSTM's slicing)."""
    op = first_unknown_op(module)
    if op is None:
        return
    where = location_name(str(op.location))
    if not where.startswith(str(path)):  # an op of a function torch-mlir expanded (its nodes have no names)
        where = f"{path}: {where}" if where else str(path)
    if op.name == "torch.operator":
        what = "torch-mlir's convert-torch-onnx-to-torch has no lowering for it"
    else:
        what = f"torch-mlir lowers it to '{op.name}', which e3ne does not lower"
    raise E3neError(f"{where}: error: not supported: {what}")


def compile_onnx(
    path: str | Path,
    calibration: object,
    *,
    name: str | None = None,
    stage: str = "hw",
    on_stage: Callable[[str], None] | None = None,
    validation: tuple[np.ndarray, np.ndarray | None] | None = None,
    **options: object,
) -> Design:
    """Compile the ONNX model in ``path`` to an e3ne :class:`~e3ne.Design`, as :func:`e3ne.compile`
    compiles a PyTorch model.

    Args:
        path: an ``.onnx`` file.
        calibration: float inputs (N, ...) that choose the scales (required: an ONNX file has no
            example input).
        name: used in file headers and reports (default: the file's stem).
        stage, on_stage, validation, **options: as for :func:`e3ne.compile`.

    Example:
        >>> design = e3ne.compile_onnx("lenet.onnx", calibration, timesteps=4)
        >>> logits = design.predict(calibration[:10])
    """
    from e3ne.design import compile_text

    if calibration is None:
        raise E3neError(f"error: {path}: quantizing needs calibration data (--calibration inputs.npy)")
    text = onnx_to_torch(path)
    return compile_text(
        text,
        str(path),
        np.asarray(calibration),
        name=name or Path(path).stem,
        stage=stage,
        on_stage=on_stage,
        validation=validation,
        **options,
    )


__all__ = ["compile_onnx", "onnx_to_torch"]
