// What fold-residual cannot fold is one line naming the add.
// RUN: e3ne-opt %s --split-input-file --verify-diagnostics -p fold-residual 2>&1 | filecheck %s

func.func @no_main_path(%x: tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %s = snn.conv2d %x {weight = dense<0.5> : tensor<2x2x1x1xf32>, strides = array<i64: 1, 1>, padding = array<i64: 0, 0>} : tensor<1x2x4x4xf32> -> tensor<1x2x4x4xf32>
  %r = snn.relu %s : tensor<1x2x4x4xf32>
  %p = snn.max_pool2d %r {kernel = array<i64: 1, 1>, strides = array<i64: 1, 1>, padding = array<i64: 0, 0>} : tensor<1x2x4x4xf32> -> tensor<1x2x4x4xf32>
  // CHECK: fold_residual_errors.mlir:[[# @LINE + 1]]:3: error: 'snn.add': not supported: a residual add neither of whose operands is a convolution with stride 1 and 'same' padding used only by the add (the main path the shortcut folds into)
  %sum = snn.add %r, %p : tensor<1x2x4x4xf32>
  func.return %sum : tensor<1x2x4x4xf32>
}

// -----

func.func @strided_signed_shortcut(%x: tensor<1x2x4x4xf32>) -> tensor<1x2x2x2xf32> {
  %s = snn.conv2d %x {weight = dense<0.5> : tensor<2x2x1x1xf32>, strides = array<i64: 1, 1>, padding = array<i64: 0, 0>} : tensor<1x2x4x4xf32> -> tensor<1x2x4x4xf32>
  %r = snn.relu %s : tensor<1x2x4x4xf32>
  %h = snn.conv2d %r {weight = dense<0.25> : tensor<2x2x3x3xf32>, strides = array<i64: 2, 2>, padding = array<i64: 1, 1>} : tensor<1x2x4x4xf32> -> tensor<1x2x2x2xf32>
  %hr = snn.relu %h : tensor<1x2x2x2xf32>
  %c = snn.conv2d %hr {weight = dense<0.25> : tensor<2x2x3x3xf32>, strides = array<i64: 1, 1>, padding = array<i64: 1, 1>} : tensor<1x2x2x2xf32> -> tensor<1x2x2x2xf32>
  %p = snn.conv2d %s {weight = dense<0.5> : tensor<2x2x1x1xf32>, strides = array<i64: 2, 2>, padding = array<i64: 0, 0>} : tensor<1x2x4x4xf32> -> tensor<1x2x2x2xf32>
  // CHECK: fold_residual_errors.mlir:[[# @LINE + 1]]:3: error: 'snn.add': not supported: a strided residual shortcut of signed codes (a conv2d without ReLU before it: the subsampling convolution of option B needs codes >= 0)
  %sum = snn.add %c, %p : tensor<1x2x2x2xf32>
  func.return %sum : tensor<1x2x2x2xf32>
}

// -----

func.func @strided_main_path(%x: tensor<1x2x4x4xf32>) -> tensor<1x2x2x2xf32> {
  %s = snn.conv2d %x {weight = dense<0.5> : tensor<2x2x1x1xf32>, strides = array<i64: 1, 1>, padding = array<i64: 0, 0>} : tensor<1x2x4x4xf32> -> tensor<1x2x4x4xf32>
  %r = snn.relu %s : tensor<1x2x4x4xf32>
  %c = snn.conv2d %r {weight = dense<0.25> : tensor<2x2x3x3xf32>, strides = array<i64: 2, 2>, padding = array<i64: 1, 1>} : tensor<1x2x4x4xf32> -> tensor<1x2x2x2xf32>
  %p = snn.max_pool2d %r {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, padding = array<i64: 0, 0>} : tensor<1x2x4x4xf32> -> tensor<1x2x2x2xf32>
  // CHECK: fold_residual_errors.mlir:[[# @LINE + 1]]:3: error: 'snn.add': not supported: a residual add neither of whose operands is a convolution with stride 1 and 'same' padding
  %sum = snn.add %c, %p : tensor<1x2x2x2xf32>
  func.return %sum : tensor<1x2x2x2xf32>
}
