// A conv2d/linear with no ReLU whose output feeds another one (a linear bottleneck) writes signed
// codes si<T> (docs/numerics.md 2.4): calibrate records min and mse_signed_frac on it, quantize
// gives it a radix_neuron with an si4 result that the next layer reads; the last layer stays raw.
// RUN: e3ne-opt %s -p 'calibrate{calibration="%S/inputs/calib_8x8.npy"}' | filecheck %s --check-prefix=CAL
// RUN: e3ne-opt %s -p 'quantize{timesteps=4 weight_bits=4 calibration="%S/inputs/calib_8x8.npy"}' | filecheck %s
// RUN: e3ne-opt %s -p 'quantize{timesteps=4 weight_bits=4 calibration="%S/inputs/calib_8x8.npy"},fuse-layers,tile{units=2 cols=8},convert-snn-to-hw' | filecheck %s --check-prefix=HW
// RUN: not e3ne-opt %s -p 'quantize{timesteps=1 calibration="%S/inputs/calib_8x8.npy"}' 2>&1 | filecheck %s --check-prefix=ONE
// RUN: not e3ne-opt %s -p 'quantize{timesteps=8 calibration="%S/inputs/calib_8x8.npy" encoding="rate"}' 2>&1 | filecheck %s --check-prefix=RATE

func.func @main(%x: tensor<1x1x8x8xf32>) -> tensor<1x3xf32> {
  %c = snn.conv2d %x {weight = dense<[[[[0.5, -0.25, 0.125], [0.5, 0.75, -0.5], [0.25, 0.0, 0.5]]], [[[-0.5, 0.25, 0.5], [0.125, -0.75, 0.5], [0.0, 0.25, -0.25]]]]> : tensor<2x1x3x3xf32>, bias = dense<[0.25, -0.5]> : tensor<2xf32>, strides = array<i64: 1, 1>, padding = array<i64: 1, 1>} : tensor<1x1x8x8xf32> -> tensor<1x2x8x8xf32>
  %p = snn.conv2d %c {weight = dense<[[[[0.5]], [[-0.75]]], [[[0.25]], [[0.5]]]]> : tensor<2x2x1x1xf32>, strides = array<i64: 1, 1>, padding = array<i64: 0, 0>} : tensor<1x2x8x8xf32> -> tensor<1x2x8x8xf32>
  %r = snn.relu %p : tensor<1x2x8x8xf32>
  %f = snn.flatten %r : tensor<1x2x8x8xf32> -> tensor<1x128xf32>
  %l = snn.linear %f {weight = dense<0.125> : tensor<3x128xf32>} : tensor<1x128xf32> -> tensor<1x3xf32>
  func.return %l : tensor<1x3xf32>
}

// CAL:      %c = snn.conv2d %x {snn.calibration = {max = {{.*}}, percentile = {{.*}}, mse_frac = array<i64: {{.*}}>, min = -{{[0-9.e+-]+}} : f64, mse_signed_frac = array<i64: {{.*}}>}
// CAL-NEXT: %p = snn.conv2d %c {snn.calibration = {max = {{.*}}, percentile = {{.*}}, mse_frac = array<i64: {{[-0-9, ]+}}>}, weight

// CHECK:      %[[E:.*]] = snn.encode %x {{.*}} -> tensor<1x1x8x8xui4, #snn.radix<4, frac = 4>>
// CHECK-NEXT: %[[C:.*]] = snn.conv2d %[[E]] {{.*}} -> tensor<1x2x8x8x{{si[0-9]+}}, #snn.fixed<frac = {{[0-9]+}}>>
// CHECK-NEXT: %[[S:.*]] = snn.radix_neuron %[[C]] {shift = {{-?[0-9]+}} : i64} : {{.*}} -> tensor<1x2x8x8xsi4, #snn.radix<4, frac = [[FS:-?[0-9]+]]>>
// CHECK-NEXT: %[[P:.*]] = snn.conv2d %[[S]] {{.*}} : tensor<1x2x8x8xsi4, #snn.radix<4, frac = [[FS]]>> -> tensor<1x2x8x8x{{si[0-9]+}}, #snn.fixed<frac = {{-?[0-9]+}}>>
// CHECK-NEXT: %[[N:.*]] = snn.radix_neuron %[[P]] {{.*}} -> tensor<1x2x8x8xui4, #snn.radix<4, frac = {{-?[0-9]+}}>>
// CHECK-NEXT: %[[F:.*]] = snn.flatten %[[N]]
// CHECK-NEXT: %[[L:.*]] = snn.linear %[[F]] {{.*}} -> tensor<1x3x{{si[0-9]+}}, #snn.fixed<frac = {{-?[0-9]+}}>>

// HW:      e3ne_hw.conv_layer "conv1" {{{.*}}out_signed = 1 : i64{{.*}}}
// HW-NEXT: e3ne_hw.conv_layer "conv2" {{{.*}}in_signed = 1 : i64{{.*}}}
// HW-NOT:  out_signed

// ONE: quantize_signed_hidden.mlir:[[# @LINE - 23]]:3: error: 'snn.conv2d': not supported: signed hidden codes of 1 timestep (a conv2d/linear without ReLU needs T >= 2)
// RATE: quantize_signed_hidden.mlir:[[# @LINE - 24]]:3: error: 'snn.conv2d': not supported: a hidden conv2d/linear without ReLU with rate encoding (rate spikes are unsigned)
