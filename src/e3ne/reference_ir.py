"""Conversions between quantized ``snn`` IR and the reference's plain network description.

``network_from_module`` lets the reference check what the compiler produced;
``module_from_network`` turns a (random) reference network into IR, so property tests can
start from networks the compiler would never choose (extreme weights, odd shapes).
"""

from __future__ import annotations

import numpy as np
from xdsl.builder import Builder
from xdsl.dialects import func
from xdsl.dialects.builtin import Float32Type, ModuleOp, TensorType
from xdsl.ir import Block, Region, SSAValue
from xdsl.rewriter import InsertPoint

from e3ne import reference as ref
from e3ne.dialects import snn
from e3ne.dialects.dense import from_numpy
from e3ne.engine.schema import pool_output_size
from e3ne.errors import not_supported
from e3ne.ir import main_function


def network_from_module(module: ModuleOp) -> ref.Network:
    """The reference description of a quantized module's main function."""
    encode: ref.Encode | None = None
    layers: list[ref.Layer] = []
    index: dict[SSAValue, int] = {}  # the reference value (-1: the encoded input) of each snn value
    for op in main_function(module).body.block.ops:
        if isinstance(op, snn.EncodeOp):
            rate = snn.encoding_of(op.output.type)
            steps = rate.timesteps.data if isinstance(rate, snn.RateEncodingAttr) else None
            signed = snn.is_signed_radix(op.output.type)
            encode = ref.Encode(op.step.value.data, op.code_bits.value.data, steps, signed)
            index[op.output] = -1
            continue
        if isinstance(op, func.ReturnOp | snn.ArgmaxOp):
            continue
        if isinstance(op, snn.ConcatOp):
            layers.append(ref.Concat(tuple(index[v] for v in op.inputs)))
            index[op.output] = len(layers) - 1
            continue
        if op.operands and op.operands[0] in index and index[op.operands[0]] != len(layers) - 1:
            layers.append(ref.Branch(index[op.operands[0]]))  # it reads a value other than the last one
        if isinstance(op, snn.Conv2dOp):
            layers.append(ref.Conv2d(op.weights().astype(np.int64), _bias(op), op.stride_pair(), op.padding_pair()))
        elif isinstance(op, snn.LinearOp):
            layers.append(ref.Linear(op.weights().astype(np.int64), _bias(op)))
        elif isinstance(op, snn.RadixNeuronOp):
            enc = snn.encoding_of(op.output.type)
            assert isinstance(enc, snn.RadixEncodingAttr)
            layers.append(ref.RadixNeuron(op.shift.value.data, enc.timesteps.data, snn.is_signed_radix(op.output.type)))
        elif isinstance(op, snn.ConvLayerOp | snn.LinearLayerOp):
            layers.extend(_fused_layers(op))
        elif isinstance(op, snn.IFNeuronOp):
            layers.append(ref.IFNeuron(op.threshold.value.data))
        elif isinstance(op, snn.LIFNeuronOp):
            layers.append(ref.IFNeuron(op.threshold.value.data, op.leak_shift.value.data))
        elif isinstance(op, snn.IntegrateOp):
            layers.append(ref.Integrate())
        elif isinstance(op, snn.MaxPool2dOp):
            layers.append(ref.MaxPool2d(op.kernel_pair(), op.stride_pair(), op.padding_pair(), op.is_ceil_mode()))
        elif isinstance(op, snn.AvgPool2dOp):
            layers.append(ref.AvgPool2d(op.kernel_pair(), op.stride_pair()))
        elif isinstance(op, snn.FlattenOp):
            layers.append(ref.Flatten())
        elif isinstance(op, snn.ReluOp):
            layers.append(ref.Relu())
        else:
            raise not_supported(f"{op.name} in the integer reference (quantize the module first)", op)
        index[op.results[0]] = len(layers) - 1
    if encode is None:
        raise ValueError("the module has no snn.encode: quantize it first")
    return ref.Network(encode, layers)


def _fused_layers(op: snn.ConvLayerOp | snn.LinearLayerOp) -> list[ref.Layer]:
    """The reference layers a fused layer stands for: [flatten,] synapse, [neuron,] [pooling]."""
    codes, shift = snn.encoding_of(op.output.type), op.neuron_shift()
    neuron: list[ref.Layer] = []
    if shift is not None:
        assert isinstance(codes, snn.RadixEncodingAttr)
        neuron.append(ref.RadixNeuron(shift, codes.timesteps.data, snn.is_signed_radix(op.output.type)))
    if isinstance(op, snn.LinearLayerOp):
        assert isinstance(op.input.type, TensorType)
        flatten: list[ref.Layer] = [ref.Flatten()] if op.input.type.get_shape()[2:] else []
        relu: list[ref.Layer] = [ref.Relu()] if op.has_relu() else []
        return [*flatten, ref.Linear(op.weights().astype(np.int64), _bias(op)), *neuron, *relu]
    conv = ref.Conv2d(op.weights().astype(np.int64), _bias(op), op.stride_pair(), op.padding_pair())
    pool = op.pool()
    if pool is None:
        return [conv, *neuron]
    if pool.mode == "max":
        return [conv, *neuron, ref.MaxPool2d(pool.kernel, pool.strides, pool.padding, pool.ceil_mode)]
    return [conv, *neuron, ref.AvgPool2d(pool.kernel, pool.strides)]


def _bias(op: snn.Conv2dOp | snn.LinearOp | snn.ConvLayerOp | snn.LinearLayerOp) -> np.ndarray | None:
    bias = op.biases()
    return None if bias is None else bias.astype(np.int64)


def module_from_network(network: ref.Network, input_shape: tuple[int, ...], weight_bits: int) -> ModuleOp:
    """IR for a reference network on float inputs of ``input_shape`` (batch first).

    Scales (``frac``) are arbitrary but consistent: the input has frac 0, so has every radix
    code (the weight frac of a synapse a radix neuron follows is that neuron's shift; other weight
    fracs are 0), so the IR verifies, concatenations included; integer semantics do not depend on them.
    """
    x_type = TensorType(Float32Type(), list(input_shape))
    block = Block(arg_types=[x_type])
    builder = Builder(InsertPoint.at_end(block))
    enc = network.encode
    steps = enc.rate_timesteps
    if steps is None:
        value_type = snn.radix_type(input_shape, enc.code_bits, 0, enc.signed)
    else:
        value_type = snn.rate_spike_type(input_shape, steps)
    value: SSAValue = builder.insert(snn.EncodeOp(block.args[0], value_type, enc.step, enc.code_bits)).output
    shape = tuple(input_shape)
    start = (value, shape)
    values: list[tuple[SSAValue, tuple[int, ...]]] = []
    for at, layer in enumerate(network.layers):
        if isinstance(layer, ref.Branch):
            value, shape = start if layer.source == -1 else values[layer.source]
        elif isinstance(layer, ref.Concat):
            parts = [start if i == -1 else values[i] for i in layer.sources]
            shape = (parts[0][1][0], sum(s[1] for _, s in parts), *parts[0][1][2:])
            t = parts[0][0].type
            assert isinstance(t, TensorType)
            out_type = TensorType(t.element_type, list(shape), t.encoding)
            value = builder.insert(snn.ConcatOp([v for v, _ in parts], out_type)).output
        else:
            after = network.layers[at + 1] if at + 1 < len(network.layers) else None
            shift = after.shift if isinstance(after, ref.RadixNeuron) else None
            value, shape = _emit(builder, layer, value, shape, weight_bits, shift)
        values.append((value, shape))
    builder.insert(func.ReturnOp(value))
    main = func.FuncOp("main", ([x_type], [value.type]), Region(block))
    return ModuleOp([main])


def _emit(
    b: Builder, layer: ref.Layer, value: SSAValue, shape: tuple[int, ...], weight_bits: int, next_shift: int | None
) -> tuple[SSAValue, tuple[int, ...]]:
    t = value.type
    assert isinstance(t, TensorType)
    enc = snn.encoding_of(t)
    if isinstance(layer, ref.Conv2d | ref.Linear):
        weight = np.asarray(layer.weight, dtype=np.int64)
        bias = None if layer.bias is None else np.asarray(layer.bias, dtype=np.int64)
        if isinstance(layer, ref.Conv2d):
            n, _, h, w = shape
            o, _, kh, kw = weight.shape
            oh = snn.window_output_size(h, kh, layer.stride[0], layer.padding[0])
            ow = snn.window_output_size(w, kw, layer.stride[1], layer.padding[1])
            out_shape: tuple[int, ...] = (n, o, oh, ow)
        else:
            out_shape = (shape[0], weight.shape[0])
        frac_in = enc.frac.data if isinstance(enc, snn.RadixEncodingAttr) else 0
        quant = snn.WeightQuantAttr(weight_bits, 0 if next_shift is None else next_shift - frac_in)
        if isinstance(enc, snn.RadixEncodingAttr):
            width = snn.accumulator_width(weight, bias, snn.max_abs_code(t))
            out_type = snn.fixed_type(out_shape, width, enc.frac.data + quant.frac.data)
        else:
            assert isinstance(enc, snn.RateEncodingAttr)
            out_type = snn.rate_current_type(out_shape, enc.timesteps.data, snn.accumulator_width(weight, bias, 1))
        w_attr, b_attr = from_numpy(weight), None if bias is None else from_numpy(bias)
        if isinstance(layer, ref.Conv2d):
            op = snn.Conv2dOp(value, out_type, w_attr, b_attr, layer.stride, layer.padding, quant)
        else:
            op = snn.LinearOp(value, out_type, w_attr, b_attr, quant)
        return b.insert(op).output, out_shape
    if isinstance(layer, ref.RadixNeuron):
        assert isinstance(enc, snn.FixedPointAttr)
        out_type = snn.radix_type(shape, layer.timesteps, enc.frac.data - layer.shift, layer.signed)
        return b.insert(snn.RadixNeuronOp(value, out_type, layer.shift)).output, shape
    if isinstance(layer, ref.IFNeuron):
        assert isinstance(enc, snn.RateEncodingAttr)
        spikes = snn.rate_spike_type(shape, enc.timesteps.data)
        if layer.leak_shift is None:
            return b.insert(snn.IFNeuronOp(value, spikes, layer.threshold)).output, shape
        return b.insert(snn.LIFNeuronOp(value, spikes, layer.threshold, layer.leak_shift)).output, shape
    if isinstance(layer, ref.Integrate):
        assert isinstance(enc, snn.RateEncodingAttr)
        width = snn.element_width(t) + enc.timesteps.data.bit_length()
        return b.insert(snn.IntegrateOp(value, snn.fixed_type(shape, width, 0))).output, shape
    if isinstance(layer, ref.MaxPool2d | ref.AvgPool2d):
        n, c, h, w = shape
        padding = layer.padding if isinstance(layer, ref.MaxPool2d) else (0, 0)
        ceil = isinstance(layer, ref.MaxPool2d) and layer.ceil_mode
        oh = pool_output_size(h, layer.kernel[0], layer.stride[0], padding[0], ceil)
        ow = pool_output_size(w, layer.kernel[1], layer.stride[1], padding[1], ceil)
        out_shape = (n, c, oh, ow)
        out_type = TensorType(t.element_type, list(out_shape), t.encoding)
        cls = snn.MaxPool2dOp if isinstance(layer, ref.MaxPool2d) else snn.AvgPool2dOp
        return b.insert(cls(value, out_type, layer.kernel, layer.stride, padding, ceil)).output, out_shape
    if isinstance(layer, ref.Flatten):
        out_shape = (shape[0], int(np.prod(shape[1:])))
        return b.insert(snn.FlattenOp(value, TensorType(t.element_type, list(out_shape), t.encoding))).output, out_shape
    if isinstance(layer, ref.Relu):  # max(V, 0) of the raw last layer's potentials
        return b.insert(snn.ReluOp(value)).output, shape
    raise ValueError(f"unknown layer {layer!r}")
