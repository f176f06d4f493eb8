// A tiny float-stage network (conv + batch norm + relu + pool + linear), as convert-torch-to-snn
// produces it. `./dev.sh compile` runs it through the passes that exist today.
func.func @main(%x: tensor<1x1x8x8xf32>) -> tensor<1x3xf32> {
  %c = snn.conv2d %x {weight = dense<0.5> : tensor<2x1x3x3xf32>, bias = dense<[0.25, -0.5]> : tensor<2xf32>, strides = array<i64: 1, 1>, padding = array<i64: 1, 1>} : tensor<1x1x8x8xf32> -> tensor<1x2x8x8xf32>
  %bn = snn.batch_norm %c {scale = dense<[2.0, 0.5]> : tensor<2xf32>, shift = dense<[0.0, 1.0]> : tensor<2xf32>} : tensor<1x2x8x8xf32>
  %r = snn.relu %bn : tensor<1x2x8x8xf32>
  %m = snn.max_pool2d %r {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, padding = array<i64: 0, 0>} : tensor<1x2x8x8xf32> -> tensor<1x2x4x4xf32>
  %f = snn.flatten %m : tensor<1x2x4x4xf32> -> tensor<1x32xf32>
  %l = snn.linear %f {weight = dense<0.125> : tensor<3x32xf32>} : tensor<1x32xf32> -> tensor<1x3xf32>
  func.return %l : tensor<1x3xf32>
}
