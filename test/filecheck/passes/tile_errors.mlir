// What tile cannot map is one line naming the op (or the option).
// RUN: e3ne-opt %s --split-input-file --verify-diagnostics -p tile 2>&1 | filecheck %s
// RUN: not e3ne-opt %s --split-input-file -p 'tile{cols=-2}' 2>&1 | filecheck %s --check-prefix=OPTION

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

// OPTION: e3ne-opt: error: tile: cols must be >= 1 (or 0: the pass chooses), got -2
