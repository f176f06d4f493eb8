// Float-stage snn ops (what convert-torch-to-snn produces) round-trip in pretty and generic form.
// RUN: %roundtrip | filecheck %s
// RUN: %roundtrip-generic | filecheck %s

func.func @float_net(%x: tensor<1x1x8x8xf32>) -> tensor<1xi32> {
  %c = snn.conv2d %x {weight = dense<0.5> : tensor<2x1x3x3xf32>, bias = dense<[0.25, -0.5]> : tensor<2xf32>, strides = array<i64: 1, 1>, padding = array<i64: 1, 1>} : tensor<1x1x8x8xf32> -> tensor<1x2x8x8xf32>
  %bn = snn.batch_norm %c {scale = dense<[2.0, 0.5]> : tensor<2xf32>, shift = dense<[0.0, 1.0]> : tensor<2xf32>} : tensor<1x2x8x8xf32>
  %r0 = snn.relu %bn : tensor<1x2x8x8xf32>
  %s = snn.add %r0, %c : tensor<1x2x8x8xf32>
  %r = snn.relu %s : tensor<1x2x8x8xf32>
  %m = snn.max_pool2d %r {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, padding = array<i64: 0, 0>} : tensor<1x2x8x8xf32> -> tensor<1x2x4x4xf32>
  %a = snn.avg_pool2d %m {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, padding = array<i64: 0, 0>} : tensor<1x2x4x4xf32> -> tensor<1x2x2x2xf32>
  %f = snn.flatten %a : tensor<1x2x2x2xf32> -> tensor<1x8xf32>
  %l = snn.linear %f {weight = dense<0.125> : tensor<3x8xf32>} : tensor<1x8xf32> -> tensor<1x3xf32>
  %k = snn.argmax %l : tensor<1x3xf32> -> tensor<1xi32>
  func.return %k : tensor<1xi32>
}

// CHECK:      func.func @float_net(%x: tensor<1x1x8x8xf32>) -> tensor<1xi32> {
// CHECK-NEXT:   %c = snn.conv2d %x {weight = dense<5.000000e-01> : tensor<2x1x3x3xf32>, bias = dense<[2.500000e-01, -5.000000e-01]> : tensor<2xf32>, strides = array<i64: 1, 1>, padding = array<i64: 1, 1>} : tensor<1x1x8x8xf32> -> tensor<1x2x8x8xf32>
// CHECK-NEXT:   %bn = snn.batch_norm %c {scale = dense<[2.000000e+00, 5.000000e-01]> : tensor<2xf32>, shift = dense<[0.000000e+00, 1.000000e+00]> : tensor<2xf32>} : tensor<1x2x8x8xf32>
// CHECK-NEXT:   %r0 = snn.relu %bn : tensor<1x2x8x8xf32>
// CHECK-NEXT:   %s = snn.add %r0, %c : tensor<1x2x8x8xf32>
// CHECK-NEXT:   %r = snn.relu %s : tensor<1x2x8x8xf32>
// CHECK-NEXT:   %m = snn.max_pool2d %r {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, padding = array<i64: 0, 0>} : tensor<1x2x8x8xf32> -> tensor<1x2x4x4xf32>
// CHECK-NEXT:   %a = snn.avg_pool2d %m {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, padding = array<i64: 0, 0>} : tensor<1x2x4x4xf32> -> tensor<1x2x2x2xf32>
// CHECK-NEXT:   %f = snn.flatten %a : tensor<1x2x2x2xf32> -> tensor<1x8xf32>
// CHECK-NEXT:   %l = snn.linear %f {weight = dense<1.250000e-01> : tensor<3x8xf32>} : tensor<1x8xf32> -> tensor<1x3xf32>
// CHECK-NEXT:   %k = snn.argmax %l : tensor<1x3xf32> -> tensor<1xi32>
// CHECK-NEXT:   func.return %k : tensor<1xi32>
