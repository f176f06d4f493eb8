"""Reading torch values in Python: scalar constants and lists, and the elements of tensor literals.

Weights are ``dense_resource<key>`` attributes: their bytes live in the file's trailing
``{-# dialect_resources: { builtin: { key: "0x<4-byte alignment><little-endian data>" } } #-}``
section, which xDSL stores in the builtin dialect's ``OpAsmDialectInterface`` of the parsing
context. :func:`literal_array` decodes them; the context that parsed a module must be kept to read
its weights.
"""

from __future__ import annotations

import binascii
from typing import TypeAlias, cast

import numpy as np
from xdsl.context import Context
from xdsl.dialect_interfaces.op_asm import OpAsmDialectInterface
from xdsl.dialects.builtin import (
    BFloat16Type,
    BytesAttr,
    DenseIntOrFPElementsAttr,
    DenseResourceAttr,
    Float16Type,
    Float32Type,
    Float64Type,
    IntegerType,
    Signedness,
    TensorType,
)
from xdsl.ir import Attribute, Operation, SSAValue

from e3ne.dialects.torch.ops import (
    ConstantNoneOp,
    ConstantNumberOp,
    PrimListConstructOp,
    ScalarConstantOp,
    TensorLiteralOp,
    VTensorLiteralOp,
    shape_and_dtype,
)
from e3ne.errors import E3neError, op_error

# --------------------------------------------------------------------------- scalars and lists

Scalar: TypeAlias = "int | float | bool | str | list[Scalar] | None"


def scalar_value(value: SSAValue) -> Scalar:
    """The Python value of a ``torch.constant.*`` result, or the list a ``torch.prim.ListConstruct`` builds.

    Raises an :class:`E3neError` that names the producing op when ``value`` is not a constant.
    """
    op = value.owner
    if isinstance(op, ScalarConstantOp):
        return op.python_value()
    if isinstance(op, ConstantNoneOp):
        return None
    if isinstance(op, ConstantNumberOp):
        return op.value.value.data
    if isinstance(op, PrimListConstructOp):
        return [scalar_value(element) for element in op.elements]
    if isinstance(op, Operation):
        raise op_error(op, f"expected a constant (torch.constant.* or a list of them), got {value.type} from this op")
    raise E3neError(f"error: expected a constant (torch.constant.* or a list of them), got block argument {value}")


def int_list(value: SSAValue) -> list[int]:
    """A ``!torch.list<int>`` of constants, e.g. the strides of a convolution."""
    items = scalar_value(value)
    if not isinstance(items, list) or not all(isinstance(i, int) and not isinstance(i, bool) for i in items):
        raise _not_a("list of ints", value, items)
    return cast(list[int], items)


def scalar_int(value: SSAValue) -> int:
    item = scalar_value(value)
    if not isinstance(item, int) or isinstance(item, bool):
        raise _not_a("int", value, item)
    return item


def scalar_float(value: SSAValue) -> float:
    """A ``!torch.float`` (or ``!torch.int``) constant as a float."""
    item = scalar_value(value)
    if not isinstance(item, int | float) or isinstance(item, bool):
        raise _not_a("number", value, item)
    return float(item)


def scalar_bool(value: SSAValue) -> bool:
    item = scalar_value(value)
    if not isinstance(item, bool):
        raise _not_a("bool", value, item)
    return item


def _not_a(what: str, value: SSAValue, got: Scalar) -> E3neError:
    op = value.owner
    assert isinstance(op, Operation)
    return op_error(op, f"expected a constant {what}, got {got!r}")


# --------------------------------------------------------------------------- tensor elements


def numpy_dtype(element_type: Attribute) -> np.dtype:
    """The little-endian numpy dtype of one stored element (``bf16`` is read as ``uint16`` bits)."""
    if isinstance(element_type, Float16Type):
        return np.dtype("<f2")
    if isinstance(element_type, Float32Type):
        return np.dtype("<f4")
    if isinstance(element_type, Float64Type):
        return np.dtype("<f8")
    if isinstance(element_type, BFloat16Type):
        return np.dtype("<u2")
    if isinstance(element_type, IntegerType) and element_type.width.data in (1, 8, 16, 32, 64):
        width = max(8, element_type.width.data)
        kind = "u" if element_type.signedness.data == Signedness.UNSIGNED or width == 1 else "i"
        return np.dtype(f"<{kind}{width // 8}")
    raise ValueError(f"literals of element type {element_type} are not supported")


def _elements(
    data: bytes, dtype: np.dtype, shape: tuple[int, ...], element_type: Attribute, splat: bool
) -> np.ndarray | None:
    """The elements stored in ``data``, or None when it holds neither all of them nor (``splat``) one."""
    if len(data) == int(np.prod(shape)) * dtype.itemsize:
        raw = np.frombuffer(data, dtype).reshape(shape)
    elif splat and len(data) == dtype.itemsize:
        raw = np.broadcast_to(np.frombuffer(data, dtype), shape)
    else:
        return None
    if isinstance(element_type, IntegerType) and element_type.width.data == 1:
        return raw != 0  # i1 is one byte per element (xDSL stores true as 0xFF)
    if isinstance(element_type, BFloat16Type):
        return (raw.astype("<u4") << 16).view("<f4")
    return raw


def resource_blob(ctx: Context, key: str) -> bytes | None:
    """The raw bytes of ``dense_resource<key>`` (without the alignment header), or None if absent."""
    builtin = ctx.get_optional_dialect("builtin")
    interface = None if builtin is None else builtin.get_interface(OpAsmDialectInterface)
    text = None if interface is None else interface.lookup(key)
    if not text:
        return None
    return binascii.unhexlify(text[10:])  # "0x" + 8 hex digits of alignment, then the data


def literal_array(op: VTensorLiteralOp | TensorLiteralOp, ctx: Context) -> np.ndarray:
    """The elements of a tensor literal, shaped as its type (read-only; bf16 becomes f32, i1 bool).

    ``ctx`` is the context that parsed (or built) the module: it holds ``dense_resource`` blobs.
    """
    value = op.value
    shape, element_type = shape_and_dtype(value)
    dtype = numpy_dtype(element_type)
    if isinstance(value, DenseResourceAttr):
        key = value.resource_handle.data
        data = resource_blob(ctx, key)
        if data is None:
            raise op_error(op, f"dense_resource<{key}> has no data (no dialect_resources entry in this context)")
    else:
        data = value.data.data
    array = _elements(data, dtype, shape, element_type, splat=isinstance(value, DenseIntOrFPElementsAttr))
    if array is None:
        needs = int(np.prod(shape)) * dtype.itemsize
        raise op_error(op, f"literal holds {len(data)} bytes, but {list(shape)} x {element_type} needs {needs}")
    return array


_ELEMENT_TYPES: dict[str, Attribute] = {
    "f2": Float16Type(),
    "f4": Float32Type(),
    "f8": Float64Type(),
    "b1": IntegerType(1),
    "u1": IntegerType(8, Signedness.UNSIGNED),
    **{f"i{n}": IntegerType(8 * n, Signedness.SIGNED) for n in (1, 2, 4, 8)},
}
"""numpy dtype (kind and size) -> the torch element type that stores it."""


def dense_elements(array: np.ndarray) -> DenseIntOrFPElementsAttr:
    """Dense elements holding ``array`` exactly, in the torch element type of its dtype (f64 stays f64).

    :func:`dense_array` reads them back with the same dtype.
    """
    element_type = _ELEMENT_TYPES.get(f"{array.dtype.kind}{array.dtype.itemsize}")
    if element_type is None:
        raise ValueError(f"no torch element type stores numpy {array.dtype}")
    raw = np.ascontiguousarray(array, dtype=numpy_dtype(element_type)).tobytes()
    tensor_type = TensorType(element_type, list(array.shape))
    return DenseIntOrFPElementsAttr(tensor_type, BytesAttr(raw))  # pyright: ignore[reportArgumentType]


def dense_array(value: DenseIntOrFPElementsAttr) -> np.ndarray:
    """The elements of builtin dense elements of a torch element type (read-only; i1 becomes bool)."""
    shape, element_type = shape_and_dtype(value)
    array = _elements(value.data.data, numpy_dtype(element_type), shape, element_type, splat=True)
    if array is None:
        raise ValueError(f"{value.type} does not match its {len(value.data.data)} bytes")
    return array
