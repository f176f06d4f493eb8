// What tile cannot map is one line naming the op (or the option).
// RUN: e3ne-opt %s --split-input-file --verify-diagnostics -p tile 2>&1 | filecheck %s
// RUN: e3ne-opt %s --split-input-file --verify-diagnostics -p 'tile{linear=conv}' 2>&1 | filecheck %s --check-prefix=CONV
// RUN: not e3ne-opt %s --split-input-file -p 'tile{cols=-2}' 2>&1 | filecheck %s --check-prefix=OPTION
// RUN: not e3ne-opt %s --split-input-file -p 'tile{linear=lanes}' 2>&1 | filecheck %s --check-prefix=PLACEMENT

func.func @unfused(%x: tensor<1x1x4x4xf32>) -> tensor<1x2xsi9, #snn.fixed<frac = 4>> {
  %e = snn.encode %x {step = 0.0625 : f64, code_bits = 4 : i64} : tensor<1x1x4x4xf32> -> tensor<1x1x4x4xui4, #snn.radix<4, frac = 4>>
  %f = snn.flatten %e : tensor<1x1x4x4xui4, #snn.radix<4, frac = 4>> -> tensor<1x16xui4, #snn.radix<4, frac = 4>>
  // CHECK: tile_errors.mlir:[[# @LINE + 1]]:3: error: 'snn.linear': not supported: an unfused snn.linear in hardware (run fuse-layers first; it fuses a synapse with the radix neuron that is its only user)
  %l = snn.linear %f {weight = dense<1> : tensor<2x16xi8>, weight_quant = #snn.weight_quant<bits = 3, frac = 0>} : tensor<1x16xui4, #snn.radix<4, frac = 4>> -> tensor<1x2xsi9, #snn.fixed<frac = 4>>
  func.return %l : tensor<1x2xsi9, #snn.fixed<frac = 4>>
}

// -----

func.func @rate(%x: tensor<1x1x4x4xf32>) -> tensor<1x2xsi10, #snn.fixed<frac = 0>> {
  // CHECK: tile_errors.mlir:[[# @LINE + 1]]:3: error: 'snn.encode': not supported: rate encoding in hardware (the E3NE engine is radix only); use encoding=radix
  %e = snn.encode %x {step = 0.0625 : f64, code_bits = 4 : i64} : tensor<1x1x4x4xf32> -> tensor<1x1x4x4xi1, #snn.rate<8>>
  %f = snn.flatten %e : tensor<1x1x4x4xi1, #snn.rate<8>> -> tensor<1x16xi1, #snn.rate<8>>
  %l = snn.linear %f {weight = dense<1> : tensor<2x16xi8>, weight_quant = #snn.weight_quant<bits = 3, frac = 0>} : tensor<1x16xi1, #snn.rate<8>> -> tensor<1x2xsi6, #snn.rate<8>>
  %v = snn.integrate %l : tensor<1x2xsi6, #snn.rate<8>> -> tensor<1x2xsi10, #snn.fixed<frac = 0>>
  func.return %v : tensor<1x2xsi10, #snn.fixed<frac = 0>>
}

// -----

// CHECK: error: tile: @float has no fused layer (run fuse-layers first)
func.func @float(%x: tensor<1x4xf32>) -> tensor<1x4xf32> {
  %r = snn.relu %x : tensor<1x4xf32>
  func.return %r : tensor<1x4xf32>
}

// -----

// linear=conv: a linear layer that cannot run on the conv units is an error (linear=auto leaves it on the
// linear unit): one fed by the network input, ...
func.func @from_input(%x: tensor<1x1x4x4xf32>) -> tensor<1x2xsi9, #snn.fixed<frac = 4>> {
  %e = snn.encode %x {step = 0.0625 : f64, code_bits = 4 : i64} : tensor<1x1x4x4xf32> -> tensor<1x1x4x4xui4, #snn.radix<4, frac = 4>>
  // CONV: tile_errors.mlir:[[# @LINE + 1]]:3: error: 'snn.linear_layer': not supported: snn.linear_layer on the conv units (its input is the network input); tile with linear=auto to keep it on the linear unit
  %l = snn.linear_layer %e {weight = dense<1> : tensor<2x16xi8>, weight_quant = #snn.weight_quant<bits = 3, frac = 0>, acc_bits = 9 : i64} : tensor<1x1x4x4xui4, #snn.radix<4, frac = 4>> -> tensor<1x2xsi9, #snn.fixed<frac = 4>>
  func.return %l : tensor<1x2xsi9, #snn.fixed<frac = 4>>
}

// -----

// ... one whose input (its kernel on the conv units) is wider than a kernel ...
func.func @wide(%x: tensor<1x1x2x16xf32>) -> tensor<1x2xsi11, #snn.fixed<frac = 3>> {
  %e = snn.encode %x {step = 0.0625 : f64, code_bits = 4 : i64} : tensor<1x1x2x16xf32> -> tensor<1x1x2x16xui4, #snn.radix<4, frac = 4>>
  %n = snn.conv_layer %e {weight = dense<1> : tensor<1x1x1x1xi8>, strides = array<i64: 1, 1>, padding = array<i64: 0, 0>, weight_quant = #snn.weight_quant<bits = 3, frac = 0>, acc_bits = 5 : i64, shift = 1 : i64} : tensor<1x1x2x16xui4, #snn.radix<4, frac = 4>> -> tensor<1x1x2x16xui4, #snn.radix<4, frac = 3>>
  // CONV: tile_errors.mlir:[[# @LINE + 1]]:3: error: 'snn.linear_layer': not supported: snn.linear_layer on the conv units (its input 1x2x16 is its kernel, and kernels are at most 15x15); tile with linear=auto to keep it on the linear unit
  %l = snn.linear_layer %n {weight = dense<1> : tensor<2x32xi8>, weight_quant = #snn.weight_quant<bits = 3, frac = 0>, acc_bits = 11 : i64} : tensor<1x1x2x16xui4, #snn.radix<4, frac = 3>> -> tensor<1x2xsi11, #snn.fixed<frac = 3>>
  func.return %l : tensor<1x2xsi11, #snn.fixed<frac = 3>>
}

// -----

// ... and one fed by an op that is not a fused layer.
func.func @from_pool(%x: tensor<1x1x4x4xf32>) -> tensor<1x2xsi9, #snn.fixed<frac = 3>> {
  %e = snn.encode %x {step = 0.0625 : f64, code_bits = 4 : i64} : tensor<1x1x4x4xf32> -> tensor<1x1x4x4xui4, #snn.radix<4, frac = 4>>
  %n = snn.conv_layer %e {weight = dense<1> : tensor<1x1x1x1xi8>, strides = array<i64: 1, 1>, padding = array<i64: 0, 0>, weight_quant = #snn.weight_quant<bits = 3, frac = 0>, acc_bits = 5 : i64, shift = 1 : i64} : tensor<1x1x4x4xui4, #snn.radix<4, frac = 4>> -> tensor<1x1x4x4xui4, #snn.radix<4, frac = 3>>
  %p = snn.max_pool2d %n {kernel = array<i64: 2, 2>, strides = array<i64: 1, 1>, padding = array<i64: 0, 0>} : tensor<1x1x4x4xui4, #snn.radix<4, frac = 3>> -> tensor<1x1x3x3xui4, #snn.radix<4, frac = 3>>
  // CONV: tile_errors.mlir:[[# @LINE + 1]]:3: error: 'snn.linear_layer': not supported: snn.linear_layer on the conv units (its input comes from snn.max_pool2d); tile with linear=auto to keep it on the linear unit
  %l = snn.linear_layer %p {weight = dense<1> : tensor<2x9xi8>, weight_quant = #snn.weight_quant<bits = 3, frac = 0>, acc_bits = 9 : i64} : tensor<1x1x3x3xui4, #snn.radix<4, frac = 3>> -> tensor<1x2xsi9, #snn.fixed<frac = 3>>
  func.return %l : tensor<1x2xsi9, #snn.fixed<frac = 3>>
}

// -----

// A conv after a layer on the linear unit (here a conv that sees the whole network input) cannot read its
// feature vector.
func.func @conv_after_unit(%x: tensor<1x1x4x4xf32>) -> tensor<1x2xsi9, #snn.fixed<frac = 2>> {
  %e = snn.encode %x {step = 0.0625 : f64, code_bits = 4 : i64} : tensor<1x1x4x4xf32> -> tensor<1x1x4x4xui4, #snn.radix<4, frac = 4>>
  %n = snn.conv_layer %e {weight = dense<1> : tensor<2x1x4x4xi8>, strides = array<i64: 1, 1>, padding = array<i64: 0, 0>, weight_quant = #snn.weight_quant<bits = 3, frac = 0>, acc_bits = 9 : i64, shift = 1 : i64} : tensor<1x1x4x4xui4, #snn.radix<4, frac = 4>> -> tensor<1x2x1x1xui4, #snn.radix<4, frac = 3>>
  // CHECK: tile_errors.mlir:[[# @LINE + 1]]:3: error: 'snn.conv_layer': not supported: snn.conv_layer after a layer on the linear unit (the linear unit writes a feature vector, which the conv units do not read)
  %m = snn.conv_layer %n {weight = dense<1> : tensor<2x2x3x3xi8>, strides = array<i64: 1, 1>, padding = array<i64: 1, 1>, weight_quant = #snn.weight_quant<bits = 3, frac = 0>, acc_bits = 10 : i64, shift = 1 : i64} : tensor<1x2x1x1xui4, #snn.radix<4, frac = 3>> -> tensor<1x2x1x1xui4, #snn.radix<4, frac = 2>>
  %l = snn.linear_layer %m {weight = dense<1> : tensor<2x2xi8>, weight_quant = #snn.weight_quant<bits = 3, frac = 0>, acc_bits = 9 : i64} : tensor<1x2x1x1xui4, #snn.radix<4, frac = 2>> -> tensor<1x2xsi9, #snn.fixed<frac = 2>>
  func.return %l : tensor<1x2xsi9, #snn.fixed<frac = 2>>
}

// OPTION: e3ne-opt: error: tile: cols must be >= 1 (or 0: the pass chooses), got -2
// PLACEMENT: e3ne-opt: error: tile: linear must be one of auto, unit, conv, got 'lanes'
