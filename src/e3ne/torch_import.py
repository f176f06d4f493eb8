"""PyTorch models in: ``torch.export`` and torch-mlir's FX importer give the ``torch`` dialect text.

Every op is located at the PyTorch module that produced it: torch.export records the module path
and class of each graph node (``node.meta["nn_module_stack"]``), and the importer writes it as the
op's location, ``loc("features.3 (MaxPool2d)")`` (an op of the top module's own ``forward``:
``loc("Net.forward")``). Diagnostics of every later stage name the module (see
:func:`e3ne.errors.pytorch_module`), and ``convert-torch-to-snn`` names each layer after it.
Importing this module does not import torch or torch-mlir.
"""

from __future__ import annotations

import importlib
import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from e3ne.errors import E3neError, module_location


def _mlir(name: str) -> Any:
    """A module of torch-mlir's compiled bindings (type checkers cannot see into them)."""
    return importlib.import_module(f"torch_mlir.{name}")


def _class_name(cls: object) -> str:
    """``torch.nn.modules.pooling.MaxPool2d`` (torch.export records a qualified name) -> ``MaxPool2d``."""
    name = cls if isinstance(cls, str) else getattr(cls, "__qualname__", str(cls))
    return name.rpartition(".")[2]


def node_module(node: Any) -> tuple[str, str] | None:
    """``(module path, class)`` of the innermost module an FX node ran in (path ``""``: the top module)."""
    stack = node.meta.get("nn_module_stack")
    if not stack:
        return None
    path, cls = list(stack.values())[-1]
    return str(path), _class_name(cls)


def _top_module(program: Any) -> tuple[str, str]:
    for node in program.graph.nodes:
        found = node.meta.get("nn_module_stack")
        if found:
            path, cls = next(iter(found.values()))
            return str(path), _class_name(cls)
    return "", "Module"


def _importer(context: Any, program: Any) -> Any:
    """torch-mlir's FX importer, locating each op at its module (and building weights fast)."""
    from torch_mlir.extras import fx_importer as fxi

    ir = _mlir("ir")
    top = module_location(*_top_module(program))

    class ModuleLocations(fxi.ContextCache):
        def get_node_location(self, node: Any) -> Any:
            found = node_module(node)
            return ir.Location.name(module_location(*found) if found else top, context=self._c)

    importer = fxi.FxImporter(context=context, hooks=_literal_hooks())
    # The importer asks its context cache where each node is (by default: the Python stack trace).
    importer._cc = ModuleLocations(context, py_attr_tracker=importer._py_attr_tracker)
    return importer


def _literal_hooks() -> Any:
    """torch-mlir importer hooks that build weight literals straight from the tensors' buffers.

    torch-mlir's own path converts every weight through ``tensor.tolist()`` (it may run under
    FakeTensorMode, where ``.numpy()`` fails): 7 of the 8 s of importing VGG-11. Real tensors take
    this path instead and give byte-identical output; anything else falls back to torch-mlir's.
    """
    import torch
    from torch_mlir.extras import fx_importer as fxi

    ir = _mlir("ir")

    class BufferLiterals(fxi.FxImporterHooks):
        def resolve_literal(self, gni, literal, info):  # type: ignore[no-untyped-def]
            if not isinstance(literal, torch.Tensor) or literal.numel() <= 1 or literal.dtype == torch.bfloat16:
                return None
            npy_dtype = fxi.TORCH_DTYPE_TO_NPY_TYPE.get(literal.dtype)
            if npy_dtype is None:
                return None
            try:
                array = literal.detach().cpu().contiguous().numpy()
            except Exception:  # a fake tensor: torch-mlir's own path handles it
                return None
            cc = gni._cc
            mapping = cc._py_attr_tracker.track(literal)
            if mapping.is_empty:
                shape = "_".join(str(d) for d in literal.shape)
                mapping.value = ir.DenseResourceElementsAttr.get_from_buffer(
                    array.view(npy_dtype), f"torch_tensor_{shape}_{literal.dtype}", fxi.create_mlir_tensor_type(literal)
                )
            return ir.Operation.create(
                name="torch.vtensor.literal",
                results=[cc.tensor_to_vtensor_type(literal)],
                attributes={"value": mapping.value},
            ).result

    return BufferLiterals()


def first_unknown_op(module: Any) -> Any | None:
    """The first ``torch.*`` op of a torch-mlir module that e3ne's ``torch`` dialect does not define
    (it could not even parse it), or None."""
    from e3ne.universe import DIALECTS

    ir = _mlir("ir")
    known = {op.name for op in DIALECTS["torch"]().operations} - {"torch.operator"}
    unknown: list[Any] = []

    def visit(op: Any) -> Any:
        if op.name.startswith("torch.") and op.name not in known and not unknown:
            unknown.append(op)
        return ir.WalkResult.ADVANCE

    module.walk(visit)
    return unknown[0] if unknown else None


_LOC_NAME = re.compile(r'loc\((?:fused\[)?"([^"]*)"')


def location_name(location: str) -> str:
    """The name of a torch-mlir location's text, ``loc("…")`` (the whole text for any other)."""
    match = _LOC_NAME.search(location)
    return match.group(1) if match else location


@contextmanager
def quiet_torch_logs() -> Iterator[None]:
    """torch logs a failed export or load with its traceback before it raises; e3ne reports the
    exception in one line, so the log stays off meanwhile."""
    previous = logging.root.manager.disable  # torch logs through handlers of its own loggers
    logging.disable(logging.CRITICAL)
    try:
        yield
    finally:
        logging.disable(previous)


def example_tensor(example_input: object) -> Any:
    """The example input as one tensor (e3ne's networks take one input)."""
    import torch

    if isinstance(example_input, torch.Tensor):
        return example_input
    if isinstance(example_input, tuple | list) and any(isinstance(v, torch.Tensor) for v in example_input):
        raise E3neError(
            f"error: the network must take one input tensor, the example input is a {type(example_input).__name__} "
            f"of {len(example_input)}"
        )
    try:
        return torch.as_tensor(example_input)
    except (TypeError, ValueError, RuntimeError) as err:
        raise E3neError(f"error: the example input must be a tensor or an array: {err}") from None


def export_torch(model: object, example_input: object) -> str:
    """torch-mlir's ``torch`` dialect text of ``model`` (an ``nn.Module``, traced on ``example_input``
    in eval mode, or a ``torch.export.ExportedProgram``), every op located at its PyTorch module.

    An op e3ne's ``torch`` dialect does not know is an :class:`E3neError` naming the module:
    ``error: lstm (LSTM): not supported: torch.aten.lstm.input``.
    """
    import torch
    from torch_mlir import fx
    from torch_mlir.dialects import torch as torch_d

    example = example_tensor(example_input)
    try:
        if isinstance(model, torch.export.ExportedProgram):
            program: Any = model  # a loaded .pt2: already traced
        elif isinstance(model, torch.nn.Module):
            with quiet_torch_logs():
                program = torch.export.export(model.eval(), (example.float(),), strict=False)
        else:
            raise E3neError(f"error: expected a torch.nn.Module or an ExportedProgram, got {type(model).__name__}")
        context = _mlir("ir").Context()
        torch_d.register_dialect(context)
        module = fx.export_and_import(program, fx_importer=_importer(context, program)).operation
    except E3neError:
        raise
    except Exception as err:  # torch.export reports untraceable models with many exception types
        first = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
        raise E3neError(f"error: torch-mlir could not export the model: {first}") from None
    text = inline_locations(module.get_asm(enable_debug_info=True))
    unknown = first_unknown_op(module)
    if unknown is not None:
        error = E3neError(f"error: {location_name(str(unknown.location))}: not supported: {unknown.name}")
        error.stages = {"torch": text}  # to open: e3ne's torch dialect cannot parse it
        raise error
    return text


_LOC_ALIAS = re.compile(r"^(#loc\d*) = (loc\(.*\))$", re.MULTILINE)


def inline_locations(text: str) -> str:
    """MLIR's text with its location aliases (``loc(#loc3)``, defined after the module: xDSL does not
    parse forward aliases) written out where they are used."""
    aliases = {m[1]: m[2] for m in _LOC_ALIAS.finditer(text)}
    text = _LOC_ALIAS.sub("", text)
    return re.sub(r"loc\((#loc\d*)\)", lambda m: aliases.get(m[1], m[0]), text).replace("\n\n\n", "\n")


__all__ = ["example_tensor", "export_torch", "first_unknown_op", "location_name", "node_module", "quiet_torch_logs"]
