// fold-batchnorm then quantize (radix, T=4, 3-bit weights) from a pass pipeline with options.
// RUN: e3ne-opt %s -p 'fold-batchnorm,quantize{timesteps=4 weight_bits=3 calibration="%S/inputs/calib_8x8.npy"}' | filecheck %s
// RUN: e3ne-opt %s -p 'fold-batchnorm,quantize{timesteps=8 weight-bits=4 calibration="%S/inputs/calib_8x8.npy" encoding="rate"}' | filecheck %s --check-prefix=RATE
// RUN: not e3ne-opt %s -p 'quantize{calibration="%S/inputs/calib_8x8.npy"}' 2>&1 | filecheck %s --check-prefix=NOFOLD
// RUN: not e3ne-opt %s -p 'fold-batchnorm,quantize' 2>&1 | filecheck %s --check-prefix=NOCAL

func.func @main(%x: tensor<1x1x8x8xf32>) -> tensor<1x3xf32> {
  %c = snn.conv2d %x {weight = dense<[[[[0.5, -0.25, 0.125], [0.5, 0.75, -0.5], [0.25, 0.0, 0.5]]], [[[-0.5, 0.25, 0.5], [0.125, -0.75, 0.5], [0.0, 0.25, -0.25]]]]> : tensor<2x1x3x3xf32>, bias = dense<[0.25, -0.5]> : tensor<2xf32>, strides = array<i64: 1, 1>, padding = array<i64: 1, 1>} : tensor<1x1x8x8xf32> -> tensor<1x2x8x8xf32>
  %bn = snn.batch_norm %c {scale = dense<[2.0, 0.5]> : tensor<2xf32>, shift = dense<[0.0, 1.0]> : tensor<2xf32>} : tensor<1x2x8x8xf32>
  %m = snn.max_pool2d %bn {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, padding = array<i64: 0, 0>} : tensor<1x2x8x8xf32> -> tensor<1x2x4x4xf32>
  %r = snn.relu %m : tensor<1x2x4x4xf32>
  %f = snn.flatten %r : tensor<1x2x4x4xf32> -> tensor<1x32xf32>
  %l = snn.linear %f {weight = dense<0.125> : tensor<3x32xf32>} : tensor<1x32xf32> -> tensor<1x3xf32>
  func.return %l : tensor<1x3xf32>
}

// CHECK:      func.func @main(%x: tensor<1x1x8x8xf32>) -> tensor<1x3x[[LOGITS:si[0-9]+, #snn.fixed<frac = [0-9]+>]]> {
// CHECK-NEXT:   %[[E:.*]] = snn.encode %x {step = 0.0666{{[0-9]*}} : f64, code_bits = 4 : i64} : tensor<1x1x8x8xf32> -> tensor<1x1x8x8xui4, #snn.radix<4, frac = 4>>
// CHECK-NEXT:   %[[C:.*]] = snn.conv2d %[[E]] {weight = dense<{{.*}}> : tensor<2x1x3x3xi8>, bias = dense<{{.*}}> : tensor<2xi8>, {{.*}}weight_quant = #snn.weight_quant<bits = 3, frac = [[SW:[0-9]+]]>} : tensor<1x1x8x8xui4, #snn.radix<4, frac = 4>> -> tensor<1x2x8x8x{{si[0-9]+}}, #snn.fixed<frac = [[ACC:[0-9]+]]>>
// The neuron moves above the max pool (they commute), so the pool works on codes.
// CHECK-NEXT:   %[[N:.*]] = snn.radix_neuron %[[C]] {shift = {{[0-9]+}} : i64} : {{.*}} -> tensor<1x2x8x8xui4, #snn.radix<4, frac = [[FO:-?[0-9]+]]>>
// CHECK-NEXT:   %[[M:.*]] = snn.max_pool2d %[[N]] {{.*}} -> tensor<1x2x4x4xui4, #snn.radix<4, frac = [[FO]]>>
// CHECK-NEXT:   %[[F:.*]] = snn.flatten %[[M]] : {{.*}} -> tensor<1x32xui4, #snn.radix<4, frac = [[FO]]>>
// CHECK-NEXT:   %[[L:.*]] = snn.linear %[[F]] {{.*}} -> tensor<1x3x[[LOGITS]]>
// CHECK-NEXT:   func.return %[[L]]

// RATE:      snn.encode %x {{.*}}code_bits = 8 : i64} : tensor<1x1x8x8xf32> -> tensor<1x1x8x8xi1, #snn.rate<8>>
// RATE:      snn.if_neuron {{.*}} -> tensor<1x2x8x8xi1, #snn.rate<8>>
// RATE:      snn.max_pool2d {{.*}} -> tensor<1x2x4x4xi1, #snn.rate<8>>
// RATE:      snn.integrate {{.*}} -> tensor<1x3x{{si[0-9]+}}, #snn.fixed<frac = {{-?[0-9]+}}>>

// NOFOLD: quantize.mlir:[[# @LINE - 23]]:3: error: 'snn.batch_norm': quantize needs batch norms folded first: run fold-batchnorm before quantize
// NOCAL: e3ne-opt: error: quantize needs calibration data for @main: quantize{calibration="inputs.npy" ...}, or run calibrate first
