// convert-snn-to-hw translates fused, tiled IR and decides nothing: run before fuse-layers or tile,
// it names the first op that is not ready, in one line.
// RUN: not e3ne-opt %s -p convert-snn-to-hw 2>&1 | filecheck %s --check-prefix=UNFUSED
// RUN: not e3ne-opt %s -p fuse-layers,convert-snn-to-hw 2>&1 | filecheck %s --check-prefix=UNTILED
// RUN: e3ne-opt %s -p fuse-layers,tile,convert-snn-to-hw | filecheck %s

func.func @main(%x: tensor<1x1x4x4xf32>) -> tensor<1x2xsi9, #snn.fixed<frac = 4>> {
  %e = snn.encode %x {step = 0.0625 : f64, code_bits = 4 : i64} : tensor<1x1x4x4xf32> -> tensor<1x1x4x4xui4, #snn.radix<4, frac = 4>>
  %c = snn.conv2d %e {weight = dense<1> : tensor<1x1x1x1xi8>, strides = array<i64: 1, 1>, padding = array<i64: 0, 0>, weight_quant = #snn.weight_quant<bits = 3, frac = 0>} : tensor<1x1x4x4xui4, #snn.radix<4, frac = 4>> -> tensor<1x1x4x4xsi6, #snn.fixed<frac = 4>>
  %n = snn.radix_neuron %c {shift = 0 : i64} : tensor<1x1x4x4xsi6, #snn.fixed<frac = 4>> -> tensor<1x1x4x4xui4, #snn.radix<4, frac = 4>>
  %f = snn.flatten %n : tensor<1x1x4x4xui4, #snn.radix<4, frac = 4>> -> tensor<1x16xui4, #snn.radix<4, frac = 4>>
  %l = snn.linear %f {weight = dense<1> : tensor<2x16xi8>, weight_quant = #snn.weight_quant<bits = 3, frac = 0>} : tensor<1x16xui4, #snn.radix<4, frac = 4>> -> tensor<1x2xsi9, #snn.fixed<frac = 4>>
  func.return %l : tensor<1x2xsi9, #snn.fixed<frac = 4>>
}

// UNFUSED: snn_to_hw_order.mlir:9:3: error: 'snn.conv2d': not supported: snn.conv2d in hardware (the engine runs what fuse-layers fuses: conv2d + neuron [+ pooling], [flatten +] linear [+ neuron])
// UNTILED: snn_to_hw_order.mlir:9:3: error: 'snn.conv_layer': has no tiling: run tile before convert-snn-to-hw
// CHECK:      e3ne_hw.engine "main"
// CHECK:      e3ne_hw.conv_layer "conv1"
// The linear layer runs on the conv units (tile's default): a conv whose kernel is its whole 1x4x4 input.
// CHECK:      e3ne_hw.conv_layer "linear1" {{.*}}c_in = 1 : i64, h_in = 4 : i64, w_in = 4 : i64, kh = 4 : i64, kw = 4 : i64
