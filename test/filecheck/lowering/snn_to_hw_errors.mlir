// What the engine cannot run stops with one line naming the snn op.
// RUN: e3ne-opt %s --split-input-file --verify-diagnostics -p fuse-layers,tile,convert-snn-to-hw 2>&1 | filecheck %s

func.func @rate(%x: tensor<1x1x4x4xf32>) -> tensor<1x2xsi10, #snn.fixed<frac = 0>> {
  // CHECK: snn_to_hw_errors.mlir:[[# @LINE + 1]]:3: error: 'snn.encode': not supported: rate encoding in hardware (the E3NE engine is radix only); use encoding=radix
  %e = snn.encode %x {step = 0.0625 : f64, code_bits = 4 : i64} : tensor<1x1x4x4xf32> -> tensor<1x1x4x4xi1, #snn.rate<8>>
  %f = snn.flatten %e : tensor<1x1x4x4xi1, #snn.rate<8>> -> tensor<1x16xi1, #snn.rate<8>>
  %l = snn.linear %f {weight = dense<1> : tensor<2x16xi8>, weight_quant = #snn.weight_quant<bits = 3, frac = 0>} : tensor<1x16xi1, #snn.rate<8>> -> tensor<1x2xsi6, #snn.rate<8>>
  %v = snn.integrate %l : tensor<1x2xsi6, #snn.rate<8>> -> tensor<1x2xsi10, #snn.fixed<frac = 0>>
  func.return %v : tensor<1x2xsi10, #snn.fixed<frac = 0>>
}

// -----

func.func @pool_stride(%x: tensor<1x1x6x6xf32>) -> tensor<1x2xsi9, #snn.fixed<frac = 4>> {
  %e = snn.encode %x {step = 0.0625 : f64, code_bits = 4 : i64} : tensor<1x1x6x6xf32> -> tensor<1x1x6x6xui4, #snn.radix<4, frac = 4>>
  %c = snn.conv2d %e {weight = dense<1> : tensor<1x1x1x1xi8>, strides = array<i64: 1, 1>, padding = array<i64: 0, 0>, weight_quant = #snn.weight_quant<bits = 3, frac = 0>} : tensor<1x1x6x6xui4, #snn.radix<4, frac = 4>> -> tensor<1x1x6x6xsi6, #snn.fixed<frac = 4>>
  %n = snn.radix_neuron %c {shift = 0 : i64} : tensor<1x1x6x6xsi6, #snn.fixed<frac = 4>> -> tensor<1x1x6x6xui4, #snn.radix<4, frac = 4>>
  // CHECK: snn_to_hw_errors.mlir:[[# @LINE + 1]]:3: error: 'snn.max_pool2d': not supported: snn.max_pool2d with kernel 2x2, stride [3, 3], padding [0, 0] in hardware (the pool unit runs square windows up to 15, max pooling with stride <= window and padding <= window / 2, average pooling with stride = window, no padding and a power-of-two window)
  %m = snn.max_pool2d %n {kernel = array<i64: 2, 2>, strides = array<i64: 3, 3>, padding = array<i64: 0, 0>} : tensor<1x1x6x6xui4, #snn.radix<4, frac = 4>> -> tensor<1x1x2x2xui4, #snn.radix<4, frac = 4>>
  %f = snn.flatten %m : tensor<1x1x2x2xui4, #snn.radix<4, frac = 4>> -> tensor<1x4xui4, #snn.radix<4, frac = 4>>
  %l = snn.linear %f {weight = dense<1> : tensor<2x4xi8>, weight_quant = #snn.weight_quant<bits = 3, frac = 0>} : tensor<1x4xui4, #snn.radix<4, frac = 4>> -> tensor<1x2xsi9, #snn.fixed<frac = 4>>
  func.return %l : tensor<1x2xsi9, #snn.fixed<frac = 4>>
}
