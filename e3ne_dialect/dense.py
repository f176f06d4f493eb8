"""numpy <-> builtin dense elements, without going through Python lists.

Weights of real networks have millions of elements; building them element by element
through xDSL attributes would dominate compile time, so we move raw little-endian bytes.
"""

from __future__ import annotations

from typing import cast

import numpy as np
from xdsl.dialects.builtin import (
    BytesAttr,
    DenseIntOrFPElementsAttr,
    Float32Type,
    Float64Type,
    IntegerType,
    Signedness,
    TensorType,
)
from xdsl.ir import Attribute

_INT_DTYPES = {8: "<i1", 16: "<i2", 32: "<i4", 64: "<i8"}


def element_dtype(element_type: Attribute) -> np.dtype:
    """The numpy dtype that stores one element of ``element_type``."""
    if isinstance(element_type, Float32Type):
        return np.dtype("<f4")
    if isinstance(element_type, Float64Type):
        return np.dtype("<f8")
    if isinstance(element_type, IntegerType):
        width = element_type.width.data
        if width not in _INT_DTYPES:
            raise ValueError(f"dense elements of {element_type} are not supported (use i8/i16/i32/i64)")
        return np.dtype(_INT_DTYPES[width])
    raise ValueError(f"dense elements of {element_type} are not supported")


def to_numpy(attr: DenseIntOrFPElementsAttr) -> np.ndarray:
    """The elements of ``attr`` as a numpy array of its shape (a read-only view)."""
    dtype = element_dtype(attr.get_element_type())
    shape = attr.get_shape()
    data = np.frombuffer(attr.data.data, dtype=dtype)
    if data.size == 1 and int(np.prod(shape)) != 1:  # splat
        return np.broadcast_to(data, shape)
    return data.reshape(shape)


def int_storage_type(values: np.ndarray) -> IntegerType:
    """The narrowest byte-aligned signless integer type holding every value."""
    lo = int(values.min()) if values.size else 0
    hi = int(values.max()) if values.size else 0
    for width in (8, 16, 32, 64):
        if -(1 << (width - 1)) <= lo and hi < (1 << (width - 1)):
            return IntegerType(width, Signedness.SIGNLESS)
    raise ValueError(f"integer values out of 64-bit range: [{lo}, {hi}]")


def from_numpy(values: np.ndarray, element_type: Attribute | None = None) -> DenseIntOrFPElementsAttr:
    """A dense elements attribute holding ``values``.

    Integer arrays default to the narrowest byte-aligned type, float arrays to f32.
    """
    values = np.asarray(values)
    if element_type is None:
        is_int = np.issubdtype(values.dtype, np.integer)
        element_type = int_storage_type(values) if is_int else Float32Type()
    dtype = element_dtype(element_type)
    if np.issubdtype(dtype, np.integer) and values.size:
        info = np.iinfo(dtype)
        if values.min() < info.min or values.max() > info.max:
            raise ValueError(f"values [{values.min()}, {values.max()}] do not fit {element_type}")
    raw = np.ascontiguousarray(values, dtype=dtype).tobytes()
    shape = list(values.shape)
    tensor_type = cast(TensorType[IntegerType | Float32Type | Float64Type], TensorType(element_type, shape))
    return DenseIntOrFPElementsAttr(tensor_type, BytesAttr(raw))
