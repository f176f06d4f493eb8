// calibrate runs the float network on calibration inputs and records what quantize's scale rules
// need as attributes, changing no op; quantize then needs no calibration data of its own.
// RUN: e3ne-opt %s -p 'fold-batchnorm,calibrate{calibration="%S/inputs/calib_8x8.npy"}' | filecheck %s
// RUN: e3ne-opt %s -p 'fold-batchnorm,calibrate{calibration="%S/inputs/calib_8x8.npy"},quantize{timesteps=4 weight_bits=3}' > %t.two
// RUN: e3ne-opt %s -p 'fold-batchnorm,quantize{timesteps=4 weight_bits=3 calibration="%S/inputs/calib_8x8.npy"}' | diff %t.two -
// RUN: not e3ne-opt %s -p 'calibrate{calibration="%S/inputs/calib_8x8.npy"}' 2>&1 | filecheck %s --check-prefix=NOFOLD
// RUN: not e3ne-opt %s -p 'fold-batchnorm,calibrate{calibration="%S/../lowering/inputs/calib_6x6.npy"}' 2>&1 | filecheck %s --check-prefix=SHAPE
// RUN: not e3ne-opt %s -p 'fold-batchnorm,calibrate' 2>&1 | filecheck %s --check-prefix=NOCAL
// RUN: not e3ne-opt %s -p 'fold-batchnorm,calibrate{calibration="%S/inputs/missing.npy"}' 2>&1 | filecheck %s --check-prefix=MISSING

func.func @main(%x: tensor<1x1x8x8xf32>) -> tensor<1x3xf32> {
  %c = snn.conv2d %x {weight = dense<[[[[0.5, -0.25, 0.125], [0.5, 0.75, -0.5], [0.25, 0.0, 0.5]]], [[[-0.5, 0.25, 0.5], [0.125, -0.75, 0.5], [0.0, 0.25, -0.25]]]]> : tensor<2x1x3x3xf32>, bias = dense<[0.25, -0.5]> : tensor<2xf32>, strides = array<i64: 1, 1>, padding = array<i64: 1, 1>} : tensor<1x1x8x8xf32> -> tensor<1x2x8x8xf32>
  %bn = snn.batch_norm %c {scale = dense<[2.0, 0.5]> : tensor<2xf32>, shift = dense<[0.0, 1.0]> : tensor<2xf32>} : tensor<1x2x8x8xf32>
  %r = snn.relu %bn : tensor<1x2x8x8xf32>
  %m = snn.max_pool2d %r {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, padding = array<i64: 0, 0>} : tensor<1x2x8x8xf32> -> tensor<1x2x4x4xf32>
  %f = snn.flatten %m : tensor<1x2x4x4xf32> -> tensor<1x32xf32>
  %l = snn.linear %f {weight = dense<0.125> : tensor<3x32xf32>} : tensor<1x32xf32> -> tensor<1x3xf32>
  func.return %l : tensor<1x3xf32>
}

// The largest calibration input, and per layer: the largest pre-ReLU output, its 99.9th percentile,
// and the mse rule's output scale for T = 1 ... 16 (E3NE's f = T - ceil(log2 max) or up to 3 finer).
// CHECK:      func.func @main(%x: tensor<1x1x8x8xf32>) -> tensor<1x3xf32> attributes {snn.input_max = {{[0-9.e+-]+}} : f64, snn.input_min = {{[0-9.e+-]+}} : f64} {
// Here every T keeps E3NE's scale: max 3.95 -> f = T - 2.
// CHECK-NEXT:   %c = snn.conv2d %x {snn.calibration = {max = 3.953125 : f64, percentile = 3.953125 : f64, mse_frac = array<i64: -1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14>}, weight
// CHECK-NEXT:   %r = snn.relu %c
// CHECK:        %l = snn.linear %f {snn.calibration = {max = {{.*}}, percentile = {{.*}}, mse_frac = array<i64: {{.*}}>}, weight

// NOFOLD:  calibrate.mlir:13:3: error: 'snn.batch_norm': calibrate needs batch norms folded first: run fold-batchnorm before calibrate
// SHAPE:   e3ne-opt: error: calibrate: calibration data for @main must have shape (N, 1, 8, 8), got (16, 1, 6, 6)
// NOCAL:   e3ne-opt: error: calibrate needs calibration data: calibrate{calibration="inputs.npy" ...}
// MISSING: e3ne-opt: error: calibrate: calibration file not found: {{.*}}missing.npy
