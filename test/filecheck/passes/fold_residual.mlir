// fold-residual folds add(conv(h), skip) into one convolution over concat(h, skip): the conv's
// weights on h's channels, the shortcut's at the centre tap of the others (docs/numerics.md 2.7).
// RUN: e3ne-opt %s -p fold-residual | filecheck %s
// RUN: xdsl-opt %s -p fold-residual | filecheck %s
// RUN: e3ne-opt %s -p fold-residual --print-op-generic | e3ne-opt | filecheck %s

// Identity shortcut: the identity at the centre tap (1.0), the conv's bias kept, the add's name.
func.func @identity(%x: tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %s = snn.conv2d %x {weight = dense<0.5> : tensor<2x2x1x1xf32>, strides = array<i64: 1, 1>, padding = array<i64: 0, 0>} : tensor<1x2x4x4xf32> -> tensor<1x2x4x4xf32>
  %r = snn.relu %s : tensor<1x2x4x4xf32>
  %h0 = snn.conv2d %r {weight = dense<0.5> : tensor<3x2x1x1xf32>, strides = array<i64: 1, 1>, padding = array<i64: 0, 0>} : tensor<1x2x4x4xf32> -> tensor<1x3x4x4xf32>
  %h = snn.relu %h0 : tensor<1x3x4x4xf32>
  %c = snn.conv2d %h {snn.layer_name = "block.conv2", weight = dense<0.25> : tensor<2x3x3x3xf32>, bias = dense<[1.0, 2.0]> : tensor<2xf32>, strides = array<i64: 1, 1>, padding = array<i64: 1, 1>} : tensor<1x3x4x4xf32> -> tensor<1x2x4x4xf32>
  %sum = snn.add %r, %c : tensor<1x2x4x4xf32>
  %y = snn.relu %sum : tensor<1x2x4x4xf32>
  func.return %y : tensor<1x2x4x4xf32>
}

// CHECK-LABEL: func.func @identity
// CHECK:         %[[H:.*]] = snn.relu %h0
// CHECK-NEXT:    %[[J:.*]] = snn.concat %[[H]], %r : tensor<1x3x4x4xf32>, tensor<1x2x4x4xf32> -> tensor<1x5x4x4xf32>
// CHECK-NEXT:    %sum = snn.conv2d %[[J]] {snn.layer_name = "block.conv2", snn.weight_range = 1.000000e+00 : f64, weight = dense<{{\[\[}}[
// CHECK-SAME:      [0.000000e+00, 0.000000e+00, 0.000000e+00], [0.000000e+00, 1.000000e+00, 0.000000e+00], [0.000000e+00, 0.000000e+00, 0.000000e+00]], {{\[\[}}0.000000e+00, 0.000000e+00, 0.000000e+00], [0.000000e+00, 0.000000e+00, 0.000000e+00], [0.000000e+00, 0.000000e+00, 0.000000e+00]]],
// CHECK-SAME:      : tensor<2x5x3x3xf32>, bias = dense<[1.000000e+00, 2.000000e+00]> : tensor<2xf32>, strides = array<i64: 1, 1>, padding = array<i64: 1, 1>} : tensor<1x5x4x4xf32> -> tensor<1x2x4x4xf32>
// CHECK-NEXT:    %y = snn.relu %sum
// CHECK-NOT:     snn.add

// Strided projection (option B): x subsampled by an identity 1x1 stride-2 conv (+ ReLU), the
// projection's weights (0.75) at the centre tap, the two biases summed.
func.func @projection(%x: tensor<1x1x4x4xf32>) -> tensor<1x2x2x2xf32> {
  %s = snn.conv2d %x {weight = dense<0.5> : tensor<2x1x1x1xf32>, strides = array<i64: 1, 1>, padding = array<i64: 0, 0>} : tensor<1x1x4x4xf32> -> tensor<1x2x4x4xf32>
  %r = snn.relu %s : tensor<1x2x4x4xf32>
  %h0 = snn.conv2d %r {weight = dense<0.5> : tensor<2x2x3x3xf32>, strides = array<i64: 2, 2>, padding = array<i64: 1, 1>} : tensor<1x2x4x4xf32> -> tensor<1x2x2x2xf32>
  %h = snn.relu %h0 : tensor<1x2x2x2xf32>
  %c = snn.conv2d %h {weight = dense<0.25> : tensor<2x2x3x3xf32>, bias = dense<[1.0, 2.0]> : tensor<2xf32>, strides = array<i64: 1, 1>, padding = array<i64: 1, 1>} : tensor<1x2x2x2xf32> -> tensor<1x2x2x2xf32>
  %d = snn.conv2d %r {snn.layer_name = "block.downsample.0", weight = dense<0.75> : tensor<2x2x1x1xf32>, bias = dense<[0.5, 0.5]> : tensor<2xf32>, strides = array<i64: 2, 2>, padding = array<i64: 0, 0>} : tensor<1x2x4x4xf32> -> tensor<1x2x2x2xf32>
  %sum = snn.add %c, %d : tensor<1x2x2x2xf32>
  %y = snn.relu %sum : tensor<1x2x2x2xf32>
  func.return %y : tensor<1x2x2x2xf32>
}

// CHECK-LABEL: func.func @projection
// CHECK:         %[[H:.*]] = snn.relu %h0
// CHECK-NEXT:    %[[S:.*]] = snn.conv2d %r {snn.layer_name = "block.downsample.0.subsample", snn.weight_range = 1.000000e+00 : f64, weight = dense<{{\[\[\[\[}}1.000000e+00]], {{\[\[}}0.000000e+00]]], {{\[\[\[}}0.000000e+00]], {{\[\[}}1.000000e+00]]]]> : tensor<2x2x1x1xf32>, strides = array<i64: 2, 2>, padding = array<i64: 0, 0>} : tensor<1x2x4x4xf32> -> tensor<1x2x2x2xf32>
// CHECK-NEXT:    %[[SR:.*]] = snn.relu %[[S]]
// CHECK-NEXT:    %[[J:.*]] = snn.concat %[[H]], %[[SR]] : tensor<1x2x2x2xf32>, tensor<1x2x2x2xf32> -> tensor<1x4x2x2xf32>
// CHECK-NEXT:    %sum = snn.conv2d %[[J]] {snn.weight_range = 7.500000e-01 : f64, weight = dense<
// CHECK-SAME:      [0.000000e+00, 7.500000e-01, 0.000000e+00]
// CHECK-SAME:      bias = dense<[1.500000e+00, 2.500000e+00]> : tensor<2xf32>, strides = array<i64: 1, 1>, padding = array<i64: 1, 1>} : tensor<1x4x2x2xf32> -> tensor<1x2x2x2xf32>
// CHECK-NEXT:    %y = snn.relu %sum
// CHECK-NOT:     snn.add
