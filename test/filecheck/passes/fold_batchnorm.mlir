// fold-batchnorm folds every batch norm into the conv2d/linear before it, in every function,
// in float64: (W*x + b)*scale + shift = (W*scale)*x + (b*scale + shift).
// RUN: e3ne-opt %s -p fold-batchnorm | filecheck %s
// RUN: xdsl-opt %s -p fold-batchnorm | filecheck %s

func.func @conv(%x: tensor<1x1x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %0 = snn.conv2d %x {weight = dense<1.0> : tensor<2x1x3x3xf32>, strides = array<i64: 1, 1>, padding = array<i64: 1, 1>} : tensor<1x1x4x4xf32> -> tensor<1x2x4x4xf32>
  %1 = snn.batch_norm %0 {scale = dense<[2.0, 3.0]> : tensor<2xf32>, shift = dense<[0.5, 1.5]> : tensor<2xf32>} : tensor<1x2x4x4xf32>
  func.return %1 : tensor<1x2x4x4xf32>
}

func.func @linear(%x: tensor<1x3xf32>) -> tensor<1x2xf32> {
  %0 = snn.linear %x {weight = dense<[[1.0, 2.0, 3.0], [-1.0, 0.5, 0.25]]> : tensor<2x3xf32>, bias = dense<[1.0, -2.0]> : tensor<2xf32>} : tensor<1x3xf32> -> tensor<1x2xf32>
  %1 = snn.batch_norm %0 {scale = dense<[0.5, 4.0]> : tensor<2xf32>, shift = dense<[0.25, 1.0]> : tensor<2xf32>} : tensor<1x2xf32>
  func.return %1 : tensor<1x2xf32>
}

// CHECK:      func.func @conv
// CHECK-NEXT:   %0 = snn.conv2d %x {weight = dense<{{\[\[\[}}[2.000000e+00, 2.000000e+00, 2.000000e+00], [2.000000e+00, 2.000000e+00, 2.000000e+00], [2.000000e+00, 2.000000e+00, 2.000000e+00]]], {{\[\[}}[3.000000e+00, 3.000000e+00, 3.000000e+00], [3.000000e+00, 3.000000e+00, 3.000000e+00], [3.000000e+00, 3.000000e+00, 3.000000e+00]]]]> : tensor<2x1x3x3xf32>, strides = array<i64: 1, 1>, padding = array<i64: 1, 1>, bias = dense<[5.000000e-01, 1.500000e+00]> : tensor<2xf32>}
// CHECK-NEXT:   func.return %0
// CHECK:      func.func @linear
// CHECK-NEXT:   %0 = snn.linear %x {weight = dense<{{\[}}[5.000000e-01, 1.000000e+00, 1.500000e+00], [-4.000000e+00, 2.000000e+00, 1.000000e+00]]> : tensor<2x3xf32>, bias = dense<[7.500000e-01, -7.000000e+00]> : tensor<2xf32>}
// CHECK-NEXT:   func.return %0
// CHECK-NOT:  snn.batch_norm
