"""The `torch` dialect: the part of torch-mlir's ``torch`` dialect that e3ne imports.

``torch_mlir.fx.export_and_import(model, x)`` prints a module of ``!torch.*`` types,
``torch.constant.*`` scalars, ``torch.prim.ListConstruct`` lists, ``torch.vtensor.literal``
weights and ``torch.aten.*``/``torch.prims.*`` ops. This dialect parses and prints that text
as torch-mlir does (generic form included), so files from torch-mlir load without unregistered
ops. Ops and types follow torch-mlir's definitions; the verifiers only check what the importer
(``convert-torch-to-snn``) relies on.

Weights are ``dense_resource<key>`` attributes whose bytes live in the file's trailing
``dialect_resources`` section (see :mod:`e3ne.dialects.torch.values`): the context that parsed a
module must be kept to read its weights. Printing with ``e3ne-opt`` (or
``print_module(module, ctx=ctx)``) writes the section back for every key the module uses.

The modules: ``types`` (the ``!torch.*`` types), ``syntax`` (what the ops share, and ``AtenOp``,
the format of every ATen op), ``ops`` (constants, literals, lists, ``torch.operator``), ``values``
(reading constants and literals in Python); the ATen ops themselves are defined here, one line
each, from torch-mlir's schemas.
"""

from xdsl.ir import Dialect

from e3ne.dialects.torch.ops import ConstantBoolOp as ConstantBoolOp
from e3ne.dialects.torch.ops import ConstantDeviceOp as ConstantDeviceOp
from e3ne.dialects.torch.ops import ConstantFloatOp as ConstantFloatOp
from e3ne.dialects.torch.ops import ConstantIntOp as ConstantIntOp
from e3ne.dialects.torch.ops import ConstantNoneOp as ConstantNoneOp
from e3ne.dialects.torch.ops import ConstantNumberOp as ConstantNumberOp
from e3ne.dialects.torch.ops import ConstantStrOp as ConstantStrOp
from e3ne.dialects.torch.ops import OperatorOp as OperatorOp
from e3ne.dialects.torch.ops import PrimListConstructOp as PrimListConstructOp
from e3ne.dialects.torch.ops import ScalarConstantOp as ScalarConstantOp
from e3ne.dialects.torch.ops import TensorLiteralOp as TensorLiteralOp
from e3ne.dialects.torch.ops import VTensorLiteralOp as VTensorLiteralOp
from e3ne.dialects.torch.ops import format_float as format_float
from e3ne.dialects.torch.syntax import ATEN_OPS as ATEN_OPS
from e3ne.dialects.torch.syntax import AtenOp as AtenOp
from e3ne.dialects.torch.syntax import TorchOp as TorchOp
from e3ne.dialects.torch.syntax import aten_op
from e3ne.dialects.torch.types import NESTED_TYPES as NESTED_TYPES
from e3ne.dialects.torch.types import TYPES as TYPES
from e3ne.dialects.torch.types import UNKNOWN_SIZE as UNKNOWN_SIZE
from e3ne.dialects.torch.types import AnyType as AnyType
from e3ne.dialects.torch.types import BaseTensorType as BaseTensorType
from e3ne.dialects.torch.types import BoolType as BoolType
from e3ne.dialects.torch.types import DeviceType as DeviceType
from e3ne.dialects.torch.types import FloatType as FloatType
from e3ne.dialects.torch.types import GeneratorType as GeneratorType
from e3ne.dialects.torch.types import IntType as IntType
from e3ne.dialects.torch.types import ListType as ListType
from e3ne.dialects.torch.types import NoneType as NoneType
from e3ne.dialects.torch.types import NonValueTensorType as NonValueTensorType
from e3ne.dialects.torch.types import NumberType as NumberType
from e3ne.dialects.torch.types import OptionalType as OptionalType
from e3ne.dialects.torch.types import StringType as StringType
from e3ne.dialects.torch.types import TorchType as TorchType
from e3ne.dialects.torch.types import TupleType as TupleType
from e3ne.dialects.torch.types import UnionType as UnionType
from e3ne.dialects.torch.types import ValueTensorType as ValueTensorType
from e3ne.dialects.torch.types import is_valid_subtype as is_valid_subtype
from e3ne.dialects.torch.values import Scalar as Scalar
from e3ne.dialects.torch.values import dense_array as dense_array
from e3ne.dialects.torch.values import dense_elements as dense_elements
from e3ne.dialects.torch.values import int_list as int_list
from e3ne.dialects.torch.values import literal_array as literal_array
from e3ne.dialects.torch.values import numpy_dtype as numpy_dtype
from e3ne.dialects.torch.values import resource_blob as resource_blob
from e3ne.dialects.torch.values import scalar_bool as scalar_bool
from e3ne.dialects.torch.values import scalar_float as scalar_float
from e3ne.dialects.torch.values import scalar_int as scalar_int
from e3ne.dialects.torch.values import scalar_value as scalar_value

# --------------------------------------------------------------------------- ATen and prims ops

_CONV = "input weight bias stride padding dilation"
_POOL = "self kernel_size stride padding"

# Arguments from torch-mlir's GeneratedTorchOps.td (the ATen schemas).
AtenConvolutionOp = aten_op("torch.aten.convolution", f"{_CONV} transposed output_padding groups")
AtenConv2dOp = aten_op("torch.aten.conv2d", f"{_CONV} groups")
Aten_ConvolutionOp = aten_op(
    "torch.aten._convolution",
    f"{_CONV} transposed output_padding groups benchmark deterministic cudnn_enabled allow_tf32",
)
AtenLinearOp = aten_op("torch.aten.linear", "input weight bias")
AtenAddmmOp = aten_op("torch.aten.addmm", "self mat1 mat2 beta alpha")
AtenMmOp = aten_op("torch.aten.mm", "self mat2")
AtenBmmOp = aten_op("torch.aten.bmm", "self mat2")
AtenMatmulOp = aten_op("torch.aten.matmul", "self other")
AtenTOp = aten_op("torch.aten.t", "self")
AtenPermuteOp = aten_op("torch.aten.permute", "self dims")
AtenTransposeIntOp = aten_op("torch.aten.transpose.int", "self dim0 dim1")
AtenBatchNormOp = aten_op(
    "torch.aten.batch_norm", "input weight bias running_mean running_var training momentum eps cudnn_enabled"
)
Aten_NativeBatchNormLegitNoTrainingOp = aten_op(
    "torch.aten._native_batch_norm_legit_no_training", "input weight bias running_mean running_var momentum eps", 3
)
AtenNativeBatchNormOp = aten_op(
    "torch.aten.native_batch_norm", "input weight bias running_mean running_var training momentum eps", 3
)
AtenReluOp = aten_op("torch.aten.relu", "self")
AtenRelu_Op = aten_op("torch.aten.relu_", "self")
AtenMaxPool2dOp = aten_op("torch.aten.max_pool2d", f"{_POOL} dilation ceil_mode")
AtenMaxPool2dWithIndicesOp = aten_op("torch.aten.max_pool2d_with_indices", f"{_POOL} dilation ceil_mode", 2)
AtenAvgPool2dOp = aten_op("torch.aten.avg_pool2d", f"{_POOL} ceil_mode count_include_pad divisor_override")
AtenAdaptiveAvgPool2dOp = aten_op("torch.aten.adaptive_avg_pool2d", "self output_size")
Aten_AdaptiveAvgPool2dOp = aten_op("torch.aten._adaptive_avg_pool2d", "self output_size")
AtenFlattenUsingIntsOp = aten_op("torch.aten.flatten.using_ints", "self start_dim end_dim")
AtenViewOp = aten_op("torch.aten.view", "self size")
AtenReshapeOp = aten_op("torch.aten.reshape", "self shape")
Aten_UnsafeViewOp = aten_op("torch.aten._unsafe_view", "self size")
AtenCloneOp = aten_op("torch.aten.clone", "self memory_format")
AtenDropoutOp = aten_op("torch.aten.dropout", "input p train")
AtenNativeDropoutOp = aten_op("torch.aten.native_dropout", "input p train", 2)
AtenDetachOp = aten_op("torch.aten.detach", "self")
AtenContiguousOp = aten_op("torch.aten.contiguous", "self memory_format")
AtenUnsqueezeOp = aten_op("torch.aten.unsqueeze", "self dim")
AtenSqueezeDimOp = aten_op("torch.aten.squeeze.dim", "self dim")
AtenSqueezeOp = aten_op("torch.aten.squeeze", "self")
PrimsSqueezeOp = aten_op("torch.prims.squeeze", "a dimensions")
PrimsCollapseOp = aten_op("torch.prims.collapse", "a start end")  # ONNX Flatten, via convert-torch-onnx-to-torch
AtenAddTensorOp = aten_op("torch.aten.add.Tensor", "self other alpha")
AtenSubTensorOp = aten_op("torch.aten.sub.Tensor", "self other alpha")
AtenMulTensorOp = aten_op("torch.aten.mul.Tensor", "self other")
AtenDivTensorOp = aten_op("torch.aten.div.Tensor", "self other")
AtenAddScalarOp = aten_op("torch.aten.add.Scalar", "self other alpha")
AtenSubScalarOp = aten_op("torch.aten.sub.Scalar", "self other alpha")
AtenMulScalarOp = aten_op("torch.aten.mul.Scalar", "self other")
AtenDivScalarOp = aten_op("torch.aten.div.Scalar", "self other")
AtenSqrtOp = aten_op("torch.aten.sqrt", "self")
AtenRsqrtOp = aten_op("torch.aten.rsqrt", "self")
AtenReciprocalOp = aten_op("torch.aten.reciprocal", "self")
AtenExpOp = aten_op("torch.aten.exp", "self")
AtenLogOp = aten_op("torch.aten.log", "self")
AtenNegOp = aten_op("torch.aten.neg", "self")
AtenSigmoidOp = aten_op("torch.aten.sigmoid", "self")
AtenTanhOp = aten_op("torch.aten.tanh", "self")
AtenHardtanhOp = aten_op("torch.aten.hardtanh", "self min_val max_val")
AtenClampOp = aten_op("torch.aten.clamp", "self min max")
AtenClampMinOp = aten_op("torch.aten.clamp_min", "self min")
AtenClampMaxOp = aten_op("torch.aten.clamp_max", "self max")
AtenClampTensorOp = aten_op("torch.aten.clamp.Tensor", "self min max")
AtenLeakyReluOp = aten_op("torch.aten.leaky_relu", "self negative_slope")
PrimsConvertElementTypeOp = aten_op("torch.prims.convert_element_type", "a dtype")
AtenLogSoftmaxIntOp = aten_op("torch.aten.log_softmax.int", "self dim dtype")
Aten_LogSoftmaxOp = aten_op("torch.aten._log_softmax", "self dim half_to_float")
AtenSoftmaxIntOp = aten_op("torch.aten.softmax.int", "self dim dtype")
Aten_SoftmaxOp = aten_op("torch.aten._softmax", "self dim half_to_float")
AtenAmaxOp = aten_op("torch.aten.amax", "self dim keepdim")
AtenSumDimIntListOp = aten_op("torch.aten.sum.dim_IntList", "self dim keepdim dtype")
AtenMeanDimOp = aten_op("torch.aten.mean.dim", "self dim keepdim dtype")
AtenArgmaxOp = aten_op("torch.aten.argmax", "self dim keepdim")
AtenCatOp = aten_op("torch.aten.cat", "tensors dim")


TORCH = Dialect(
    "torch",
    [
        ConstantIntOp, ConstantFloatOp, ConstantBoolOp, ConstantNoneOp, ConstantStrOp, ConstantDeviceOp,
        ConstantNumberOp, VTensorLiteralOp, TensorLiteralOp, PrimListConstructOp, OperatorOp, *ATEN_OPS.values(),
    ],
    list(TYPES),
)  # fmt: skip
