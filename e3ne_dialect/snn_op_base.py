"""What the `snn` ops share: diagnostics that name the op, shape and window checks, base classes."""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

from xdsl.dialects.builtin import DenseArrayBase, IntegerType, Signedness, StringAttr, TensorType, i64
from xdsl.ir import Attribute, Operation, SSAValue
from xdsl.irdl import (
    IRDLOperation,
    MessageConstraint,
    ParsePropInAttrDict,
    operand_def,
    prop_def,
    result_def,
    traits_def,
)
from xdsl.irdl.constraints import VerificationContext
from xdsl.traits import Pure
from xdsl.utils.exceptions import VerifyException

from e3ne.dialects.snn_encoding import RadixEncodingAttr, describe, encoding_of, range_error
from e3ne.engine.schema import pool_output_size

LAYER_NAME = "snn.layer_name"
"""The discardable attribute naming a synapse (conv2d/linear, and the fused layer made of it) after the
PyTorch module it came from (``{snn.layer_name = "features.3"}``); hardware layers take its name."""


def layer_name(op: Operation) -> str | None:
    """The name ``convert-torch-to-snn`` gave a synapse or fused layer, if any."""
    name = op.attributes.get(LAYER_NAME)
    return name.data if isinstance(name, StringAttr) else None


def keep_layer_name(new: Operation, old: Operation) -> None:
    """``new`` (a rewrite of ``old``) keeps ``old``'s layer name."""
    name = old.attributes.get(LAYER_NAME)
    if name is not None:
        new.attributes[LAYER_NAME] = name


def i64_pair(values: Sequence[int] | int) -> DenseArrayBase:
    if isinstance(values, int):
        values = (values, values)
    return DenseArrayBase.from_list(i64, list(values))


def window_output_size(size: int, kernel: int, stride: int, padding: int) -> int:
    """Output extent of a convolution/pooling window (floor mode)."""
    return (size + 2 * padding - kernel) // stride + 1


class Named(MessageConstraint):
    """A property's constraint whose failure names the property, in one line
    (``pool_mode: Expected one of "avg", "max", but got "min"``)."""

    def verify(self, attr: Attribute, constraint_context: VerificationContext) -> None:
        try:
            self.constr.verify(attr, constraint_context)
        except VerifyException as err:
            raise VerifyException(f"{self.message}: {err.args[0]}") from None


class SnnOp(IRDLOperation):
    """Shared diagnostics: every message starts with the op name."""

    def fail(self, message: str) -> VerifyException:
        return VerifyException(f"'{self.name}': {message}")

    def check_range(self, what: str, value: int, lo: int, hi: int) -> None:
        message = range_error(what, value, lo, hi)
        if message:
            raise self.fail(message)

    def shape_of(self, value_type: Attribute, what: str, rank: int) -> tuple[int, ...]:
        if not isinstance(value_type, TensorType):
            raise self.fail(f"{what} must be a ranked tensor, got {value_type}")
        shape = tuple(value_type.get_shape())
        if len(shape) != rank:
            raise self.fail(f"{what} must have rank {rank}, got shape {list(shape)}")
        return shape

    def check_result_shape(self, result_type: Attribute, expected: list[int]) -> None:
        got = list(self.shape_of(result_type, "result", len(expected)))
        if got != expected:
            raise self.fail(f"result shape must be {expected}, got {got}")

    def check_same_encoding(self, in_t: Attribute, out_t: Attribute) -> None:
        """Shape-only ops keep the element type and the encoding."""
        assert isinstance(in_t, TensorType) and isinstance(out_t, TensorType)
        if (in_t.element_type, encoding_of(in_t)) != (out_t.element_type, encoding_of(out_t)):
            raise self.fail(f"result element type and encoding must equal the input's ({in_t}), got {out_t}")

    def check_radix_element(self, t: Attribute, signed_ok: bool = False) -> None:
        """Radix codes of T timesteps are stored as ``ui<T>`` (``si<T>`` where signed codes are allowed)."""
        enc = encoding_of(t)
        assert isinstance(enc, RadixEncodingAttr) and isinstance(t, TensorType)
        want = IntegerType(enc.timesteps.data, Signedness.UNSIGNED)
        if signed_ok and t.element_type == IntegerType(enc.timesteps.data, Signedness.SIGNED):
            if enc.timesteps.data < 2:
                raise self.fail("signed radix codes need at least 2 timesteps (the sign plane and one more), got si1")
            return
        if t.element_type != want:
            raise self.fail(
                f"radix codes with {enc.timesteps.data} timesteps are stored as {want}, got {t.element_type}"
            )

    def pair(self, attr: DenseArrayBase, what: str, minimum: int) -> tuple[int, int]:
        values = tuple(int(v) for v in cast(DenseArrayBase[IntegerType], attr).get_values())
        if len(values) != 2:
            raise self.fail(f"{what} must have 2 values (height, width), got {list(values)}")
        if min(values) < minimum:
            raise self.fail(f"{what} must be >= {minimum}, got {list(values)}")
        return values[0], values[1]

    def window_shape(
        self,
        input_shape: tuple[int, ...],
        channels: int,
        kernel: tuple[int, int],
        stride: tuple[int, int],
        padding: tuple[int, int],
        half_padding: bool,
        prefix: str = "",
        ceil_mode: bool = False,
    ) -> list[int]:
        """[N, channels, H_out, W_out] after checking that padding and kernel fit.

        Padding must be smaller than the kernel (conv2d) or at most half of it (``half_padding``,
        pooling). ``prefix`` names the properties in the messages (``pool_``: ``pool_padding``).
        ``ceil_mode`` (pooling): PyTorch's, one more window where it starts inside the input or the
        left padding.
        """
        n, _, h, w = input_shape
        (kh, kw), (sh, sw), (ph, pw) = kernel, stride, padding
        pad, ker = f"{prefix}padding", f"{prefix}kernel"
        if half_padding and (2 * ph > kh or 2 * pw > kw):
            raise self.fail(f"{pad} {[ph, pw]} must be at most half the {ker} {kh}x{kw}")
        if not half_padding and (ph >= kh or pw >= kw):
            raise self.fail(f"{pad} {[ph, pw]} must be smaller than the {ker} {kh}x{kw}")
        if kh > h + 2 * ph or kw > w + 2 * pw:
            raise self.fail(f"{ker} {kh}x{kw} is larger than the padded input {h + 2 * ph}x{w + 2 * pw}")
        if ceil_mode:
            return [n, channels, pool_output_size(h, kh, sh, ph, True), pool_output_size(w, kw, sw, pw, True)]
        return [n, channels, window_output_size(h, kh, sh, ph), window_output_size(w, kw, sw, pw)]

    def check_radix_average(self, kernel: tuple[int, int], padding: tuple[int, int], prefix: str = "") -> None:
        """Radix average pooling: a power-of-two window (a rounded shift), no padding."""
        (kh, kw), area = kernel, kernel[0] * kernel[1]
        if area & (area - 1):
            raise self.fail(f"radix average pooling needs a power-of-two window, got {kh}x{kw} = {area}")
        if padding != (0, 0):
            raise self.fail(f"radix average pooling needs zero {prefix}padding, got {list(padding)}")


class WindowOp(SnnOp):
    """A window slid over NCHW input (conv2d, pooling): strides and padding per (height, width)."""

    strides = prop_def(DenseArrayBase)
    padding = prop_def(DenseArrayBase)

    def stride_pair(self) -> tuple[int, int]:
        return self.pair(self.strides, "strides", 1)

    def padding_pair(self) -> tuple[int, int]:
        return self.pair(self.padding, "padding", 0)

    def window_result_shape(
        self, input_shape: tuple[int, ...], channels: int, kernel: tuple[int, int], half_padding: bool
    ) -> list[int]:
        """[N, channels, H_out, W_out] of this op's window (see :meth:`SnnOp.window_shape`)."""
        return self.window_shape(input_shape, channels, kernel, self.stride_pair(), self.padding_pair(), half_padding)


class UnaryOp(SnnOp):
    """One tensor in, one tensor out, printed ``%in attrs : type -> type``."""

    input = operand_def(TensorType)
    output = result_def(TensorType)
    traits = traits_def(Pure())
    irdl_options = (ParsePropInAttrDict(),)
    assembly_format = "$input attr-dict `:` type($input) `->` type($output)"

    def __init__(self, input: SSAValue, result_type: Attribute, properties: dict[str, Attribute] | None = None):
        super().__init__(operands=[input], result_types=[result_type], properties=properties or {})


class ElementwiseOp(UnaryOp):
    def check_input(self, ok: bool, what: str) -> None:
        if not ok:
            raise self.fail(f"input must be {what}, got {describe(self.input.type)} ({self.input.type})")

    def same_shape(self) -> None:
        assert isinstance(self.input.type, TensorType) and isinstance(self.output.type, TensorType)
        if self.input.type.get_shape() != self.output.type.get_shape():
            raise self.fail(
                f"result shape {list(self.output.type.get_shape())} must equal input shape "
                f"{list(self.input.type.get_shape())}"
            )
