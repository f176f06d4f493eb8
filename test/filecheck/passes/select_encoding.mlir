// select-encoding chooses radix timesteps per layer on a calibrated float network, records them as
// attributes (snn.input_timesteps on the function, snn.timesteps on each conv2d/linear a neuron
// follows, snn.encoding_search with every trial) and quantize gives each activation its T.
// A budget of 100 points accepts anything: every T goes down to min_timesteps. Without labels the
// score is agreement with the float network's classes.
// RUN: e3ne-opt %s -p 'fold-batchnorm,calibrate{calibration="%S/inputs/calib_8x8.npy"},select-encoding{validation="%S/inputs/calib_8x8.npy" accuracy_budget=100.0 max_timesteps=3 min_timesteps=2}' | filecheck %s
// RUN: e3ne-opt %s -p 'fold-batchnorm,calibrate{calibration="%S/inputs/calib_8x8.npy"},select-encoding{validation="%S/inputs/calib_8x8.npy" accuracy_budget=100.0 max_timesteps=3 min_timesteps=2},quantize' | filecheck %s --check-prefix=QUANT
// The attributes alone reproduce the choice: quantize of the printed float IR gives the same types.
// RUN: e3ne-opt %s -p 'fold-batchnorm,calibrate{calibration="%S/inputs/calib_8x8.npy"},select-encoding{validation="%S/inputs/calib_8x8.npy" accuracy_budget=100.0 max_timesteps=3 min_timesteps=2}' | e3ne-opt -p quantize | filecheck %s --check-prefix=QUANT
// RUN: not e3ne-opt %s -p 'select-encoding{validation="%S/inputs/calib_8x8.npy"}' 2>&1 | filecheck %s --check-prefix=NOCAL
// RUN: not e3ne-opt %s -p 'fold-batchnorm,calibrate{calibration="%S/inputs/calib_8x8.npy"},select-encoding{validation="%S/inputs/calib_8x8.npy" max_timesteps=2 min_timesteps=3}' 2>&1 | filecheck %s --check-prefix=RANGE
// RUN: not e3ne-opt %s -p 'fold-batchnorm,calibrate{calibration="%S/inputs/calib_8x8.npy"},select-encoding' 2>&1 | filecheck %s --check-prefix=NODATA

func.func @main(%x: tensor<1x1x8x8xf32>) -> tensor<1x3xf32> {
  %c = snn.conv2d %x {weight = dense<[[[[0.5, -0.25, 0.125], [0.5, 0.75, -0.5], [0.25, 0.0, 0.5]]], [[[-0.5, 0.25, 0.5], [0.125, -0.75, 0.5], [0.0, 0.25, -0.25]]]]> : tensor<2x1x3x3xf32>, bias = dense<[0.25, -0.5]> : tensor<2xf32>, strides = array<i64: 1, 1>, padding = array<i64: 1, 1>} : tensor<1x1x8x8xf32> -> tensor<1x2x8x8xf32>
  %m = snn.max_pool2d %c {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, padding = array<i64: 0, 0>} : tensor<1x2x8x8xf32> -> tensor<1x2x4x4xf32>
  %r = snn.relu %m : tensor<1x2x4x4xf32>
  %f = snn.flatten %r : tensor<1x2x4x4xf32> -> tensor<1x32xf32>
  %l = snn.linear %f {weight = dense<0.125> : tensor<3x32xf32>} : tensor<1x32xf32> -> tensor<1x3xf32>
  func.return %l : tensor<1x3xf32>
}

// CHECK:      func.func @main(%x: tensor<1x1x8x8xf32>) -> tensor<1x3xf32>
// CHECK-SAME:   snn.input_timesteps = 2 : i64
// CHECK-SAME:   snn.encoding_search = {metric = "agreement", reference = 1.000000e+00 : f64, budget_points = 1.000000e+02 : f64, chosen = array<i64: 2, 2>
// The trials: the start (3, 3), each single step down, then on from the best, to (2, 2).
// Cycles on the engine tile chooses for the start: 468 at (3, 3), 415 at (2, 2).
// CHECK-SAME:   trials = array<i64: 3, 3, 1000000, 468, 1, 2, 3, 1000000, 447, 1, 3, 2, 1000000, 436, 1, 2, 2, 1000000, 415, 1>
// CHECK:        snn.conv2d {{.*}}snn.timesteps = 2 : i64
// The last layer's output is the raw logits: it has no T.
// CHECK:        snn.linear
// CHECK-NOT:    snn.timesteps

// QUANT:      snn.encode %x {{.*}}code_bits = 2 : i64} : tensor<1x1x8x8xf32> -> tensor<1x1x8x8xui2, #snn.radix<2, frac = {{-?[0-9]+}}>>
// QUANT:      snn.conv2d {{.*}}: tensor<1x1x8x8xui2, {{.*}}>> -> tensor<1x2x8x8xsi{{[0-9]+}}
// QUANT:      snn.radix_neuron {{.*}} -> tensor<1x2x8x8xui2, #snn.radix<2, frac = {{-?[0-9]+}}>>
// QUANT:      snn.linear {{.*}}: tensor<1x32xui2,
// QUANT-NOT:  snn.input_timesteps

// NOCAL: error: select-encoding: @main has no calibration statistics (run calibrate{calibration="inputs.npy"} first)
// RANGE: error: select-encoding: need 1 <= min_timesteps <= max_timesteps <= 16, got 3 and 2
// NODATA: error: select-encoding needs calibration data: select-encoding{calibration="inputs.npy" ...}
