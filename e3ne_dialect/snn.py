"""The `snn` dialect: spiking networks as dataflow over encoded tensors.

One dialect serves two stages of the flow (docs/dialects.md):

* float stage (after ``convert-torch-to-snn``): ``f32`` tensors without encoding, float
  weights, explicit ``snn.batch_norm`` and ``snn.relu``;
* quantized stage (after ``quantize``): every activation tensor carries its encoding as the
  tensor type's encoding attribute, weights are integers, and neurons are explicit ops.

Dimension 0 of every activation is the batch; IR shapes carry the example batch.

The definitions live in modules by what they are; this one gathers them into the dialect:

* :mod:`e3ne.dialects.snn_encoding`: encoding attributes (``#snn.radix``, ``#snn.rate``,
  ``#snn.fixed``, ``#snn.weight_quant``), the tensor types that carry them, the bit-width bound;
* :mod:`e3ne.dialects.snn_op_base`: diagnostics and shape/window checks the ops share;
* :mod:`e3ne.dialects.snn_synapses`: ``snn.conv2d``, ``snn.linear``;
* :mod:`e3ne.dialects.snn_neurons`: ``snn.encode``, the radix, IF and LIF neurons, ``snn.integrate``;
* :mod:`e3ne.dialects.snn_layers`: ``snn.batch_norm``, ``snn.relu``, pooling, ``snn.flatten``,
  ``snn.concat``, ``snn.argmax``;
* :mod:`e3ne.dialects.snn_fused`: the fused layers ``snn.conv_layer`` and ``snn.linear_layer``
  (made by ``fuse-layers``) and their tilings ``#snn.conv_tiling``, ``#snn.linear_tiling``.
"""

from __future__ import annotations

from xdsl.ir import Dialect

from e3ne.dialects.snn_encoding import (
    MAX_ACCUMULATOR_BITS,
    MAX_RADIX_TIMESTEPS,
    MAX_RATE_TIMESTEPS,
    MAX_WEIGHT_BITS,
    Encoding,
    FixedPointAttr,
    IntField,
    IntParamsAttr,
    RadixEncodingAttr,
    RateEncodingAttr,
    WeightQuantAttr,
    accumulator_width,
    code_range,
    describe,
    element_width,
    encoding_of,
    fixed_type,
    is_fixed,
    is_float_tensor,
    is_radix,
    is_rate_currents,
    is_rate_spikes,
    is_signed_radix,
    max_abs_code,
    radix_type,
    rate_current_type,
    rate_spike_type,
    signed_bits_for,
)
from e3ne.dialects.snn_fused import (
    POOL_MODES,
    ConvLayerOp,
    ConvTilingAttr,
    LinearLayerOp,
    LinearTilingAttr,
    PoolWindow,
)
from e3ne.dialects.snn_layers import AddOp, ArgmaxOp, AvgPool2dOp, BatchNormOp, ConcatOp, FlattenOp, MaxPool2dOp, ReluOp
from e3ne.dialects.snn_neurons import EncodeOp, IFNeuronOp, IntegrateOp, LIFNeuronOp, RadixNeuronOp
from e3ne.dialects.snn_op_base import LAYER_NAME, i64_pair, keep_layer_name, layer_name, window_output_size
from e3ne.dialects.snn_synapses import Conv2dOp, LinearOp

SNN = Dialect(
    "snn",
    [
        EncodeOp,
        Conv2dOp,
        LinearOp,
        BatchNormOp,
        ReluOp,
        AddOp,
        RadixNeuronOp,
        IFNeuronOp,
        LIFNeuronOp,
        IntegrateOp,
        MaxPool2dOp,
        AvgPool2dOp,
        FlattenOp,
        ConcatOp,
        ArgmaxOp,
        ConvLayerOp,
        LinearLayerOp,
    ],
    [RadixEncodingAttr, RateEncodingAttr, FixedPointAttr, WeightQuantAttr, ConvTilingAttr, LinearTilingAttr],
)

__all__ = [
    "LAYER_NAME",
    "MAX_ACCUMULATOR_BITS",
    "MAX_RADIX_TIMESTEPS",
    "MAX_RATE_TIMESTEPS",
    "MAX_WEIGHT_BITS",
    "POOL_MODES",
    "SNN",
    "AddOp",
    "ArgmaxOp",
    "AvgPool2dOp",
    "BatchNormOp",
    "ConcatOp",
    "Conv2dOp",
    "ConvLayerOp",
    "ConvTilingAttr",
    "EncodeOp",
    "Encoding",
    "FixedPointAttr",
    "FlattenOp",
    "IFNeuronOp",
    "IntField",
    "IntParamsAttr",
    "IntegrateOp",
    "LIFNeuronOp",
    "LinearLayerOp",
    "LinearOp",
    "LinearTilingAttr",
    "MaxPool2dOp",
    "PoolWindow",
    "RadixEncodingAttr",
    "RadixNeuronOp",
    "RateEncodingAttr",
    "ReluOp",
    "WeightQuantAttr",
    "accumulator_width",
    "code_range",
    "describe",
    "element_width",
    "encoding_of",
    "fixed_type",
    "i64_pair",
    "is_fixed",
    "is_float_tensor",
    "is_radix",
    "is_rate_currents",
    "is_rate_spikes",
    "is_signed_radix",
    "keep_layer_name",
    "layer_name",
    "max_abs_code",
    "radix_type",
    "rate_current_type",
    "rate_spike_type",
    "signed_bits_for",
    "window_output_size",
]
