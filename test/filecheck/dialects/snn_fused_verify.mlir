// Every verifier of the fused layers (snn.conv_layer, snn.linear_layer) and of their tiling attributes gives a
// one-line diagnostic naming the op, its position and the value (the attribute parameters: where they are wrong).
// RUN: e3ne-opt %s --split-input-file --verify-diagnostics --parsing-diagnostics | filecheck %s

func.func @conv_layer_input(%x: tensor<1x1x8x8xsi8, #snn.fixed<frac = 4>>) -> tensor<1x2x8x8xui4, #snn.radix<4, frac = 3>> {
  // CHECK: snn_fused_verify.mlir:[[# @LINE + 1]]:3: error: 'snn.conv_layer': input must be radix codes, got fixed-point values (tensor<1x1x8x8xsi8, #snn.fixed<frac = 4>>)
  %0 = snn.conv_layer %x {weight = dense<3> : tensor<2x1x3x3xi8>, bias = dense<[5, -7]> : tensor<2xi8>, strides = array<i64: 1, 1>, padding = array<i64: 1, 1>, weight_quant = #snn.weight_quant<bits = 3, frac = 2>, acc_bits = 10 : i64, shift = 3 : i64} : tensor<1x1x8x8xsi8, #snn.fixed<frac = 4>> -> tensor<1x2x8x8xui4, #snn.radix<4, frac = 3>>
  func.return %0 : tensor<1x2x8x8xui4, #snn.radix<4, frac = 3>>
}

// -----

func.func @conv_layer_channels(%x: tensor<1x1x8x8xui4, #snn.radix<4, frac = 4>>) -> tensor<1x2x8x8xui4, #snn.radix<4, frac = 3>> {
  // CHECK: snn_fused_verify.mlir:[[# @LINE + 1]]:3: error: 'snn.conv_layer': weight has 3 input channels but the input has 1 (shape [1, 1, 8, 8])
  %0 = snn.conv_layer %x {weight = dense<3> : tensor<2x3x3x3xi8>, bias = dense<[5, -7]> : tensor<2xi8>, strides = array<i64: 1, 1>, padding = array<i64: 1, 1>, weight_quant = #snn.weight_quant<bits = 3, frac = 2>, acc_bits = 10 : i64, shift = 3 : i64} : tensor<1x1x8x8xui4, #snn.radix<4, frac = 4>> -> tensor<1x2x8x8xui4, #snn.radix<4, frac = 3>>
  func.return %0 : tensor<1x2x8x8xui4, #snn.radix<4, frac = 3>>
}

// -----

func.func @conv_layer_weight_range(%x: tensor<1x1x8x8xui4, #snn.radix<4, frac = 4>>) -> tensor<1x2x8x8xui4, #snn.radix<4, frac = 3>> {
  // CHECK: snn_fused_verify.mlir:[[# @LINE + 1]]:3: error: 'snn.conv_layer': weights [4, 4] exceed 3-bit range [-4, 3]
  %0 = snn.conv_layer %x {weight = dense<4> : tensor<2x1x3x3xi8>, bias = dense<[5, -7]> : tensor<2xi8>, strides = array<i64: 1, 1>, padding = array<i64: 1, 1>, weight_quant = #snn.weight_quant<bits = 3, frac = 2>, acc_bits = 10 : i64, shift = 3 : i64} : tensor<1x1x8x8xui4, #snn.radix<4, frac = 4>> -> tensor<1x2x8x8xui4, #snn.radix<4, frac = 3>>
  func.return %0 : tensor<1x2x8x8xui4, #snn.radix<4, frac = 3>>
}

// -----

func.func @conv_layer_weight_quant(%x: tensor<1x1x8x8xui4, #snn.radix<4, frac = 4>>) -> tensor<1x2x8x8xui4, #snn.radix<4, frac = 3>> {
  // CHECK: snn_fused_verify.mlir:[[# @LINE + 1]]:3: error: 'snn.conv_layer': property 'weight_quant' expected in operation 'snn.conv_layer'
  %0 = snn.conv_layer %x {weight = dense<3> : tensor<2x1x3x3xi8>, bias = dense<[5, -7]> : tensor<2xi8>, strides = array<i64: 1, 1>, padding = array<i64: 1, 1>, acc_bits = 10 : i64, shift = 3 : i64} : tensor<1x1x8x8xui4, #snn.radix<4, frac = 4>> -> tensor<1x2x8x8xui4, #snn.radix<4, frac = 3>>
  func.return %0 : tensor<1x2x8x8xui4, #snn.radix<4, frac = 3>>
}

// -----

func.func @conv_layer_bias_shape(%x: tensor<1x1x8x8xui4, #snn.radix<4, frac = 4>>) -> tensor<1x2x8x8xui4, #snn.radix<4, frac = 3>> {
  // CHECK: snn_fused_verify.mlir:[[# @LINE + 1]]:3: error: 'snn.conv_layer': bias must have shape [2] (one per output channel), got [3]
  %0 = snn.conv_layer %x {weight = dense<3> : tensor<2x1x3x3xi8>, bias = dense<[5, -7, 1]> : tensor<3xi8>, strides = array<i64: 1, 1>, padding = array<i64: 1, 1>, weight_quant = #snn.weight_quant<bits = 3, frac = 2>, acc_bits = 10 : i64, shift = 3 : i64} : tensor<1x1x8x8xui4, #snn.radix<4, frac = 4>> -> tensor<1x2x8x8xui4, #snn.radix<4, frac = 3>>
  func.return %0 : tensor<1x2x8x8xui4, #snn.radix<4, frac = 3>>
}

// -----

func.func @conv_layer_acc_bits_narrow(%x: tensor<1x1x8x8xui4, #snn.radix<4, frac = 4>>) -> tensor<1x2x8x8xui4, #snn.radix<4, frac = 3>> {
  // CHECK: snn_fused_verify.mlir:[[# @LINE + 1]]:3: error: 'snn.conv_layer': acc_bits 9 is too narrow: the bit-width bound needs 10
  %0 = snn.conv_layer %x {weight = dense<3> : tensor<2x1x3x3xi8>, bias = dense<[5, -7]> : tensor<2xi8>, strides = array<i64: 1, 1>, padding = array<i64: 1, 1>, weight_quant = #snn.weight_quant<bits = 3, frac = 2>, acc_bits = 9 : i64, shift = 3 : i64} : tensor<1x1x8x8xui4, #snn.radix<4, frac = 4>> -> tensor<1x2x8x8xui4, #snn.radix<4, frac = 3>>
  func.return %0 : tensor<1x2x8x8xui4, #snn.radix<4, frac = 3>>
}

// -----

func.func @conv_layer_acc_bits_range(%x: tensor<1x1x8x8xui4, #snn.radix<4, frac = 4>>) -> tensor<1x2x8x8xui4, #snn.radix<4, frac = 3>> {
  // CHECK: snn_fused_verify.mlir:[[# @LINE + 1]]:3: error: 'snn.conv_layer': acc_bits must be in [2, 64], got 65
  %0 = snn.conv_layer %x {weight = dense<3> : tensor<2x1x3x3xi8>, bias = dense<[5, -7]> : tensor<2xi8>, strides = array<i64: 1, 1>, padding = array<i64: 1, 1>, weight_quant = #snn.weight_quant<bits = 3, frac = 2>, acc_bits = 65 : i64, shift = 3 : i64} : tensor<1x1x8x8xui4, #snn.radix<4, frac = 4>> -> tensor<1x2x8x8xui4, #snn.radix<4, frac = 3>>
  func.return %0 : tensor<1x2x8x8xui4, #snn.radix<4, frac = 3>>
}

// -----

func.func @conv_layer_shift(%x: tensor<1x1x8x8xui4, #snn.radix<4, frac = 4>>) -> tensor<1x2x8x8xui4, #snn.radix<4, frac = 3>> {
  // CHECK: snn_fused_verify.mlir:[[# @LINE + 1]]:3: error: 'snn.conv_layer': result frac must be input frac + weight frac - shift = 4, got 3
  %0 = snn.conv_layer %x {weight = dense<3> : tensor<2x1x3x3xi8>, bias = dense<[5, -7]> : tensor<2xi8>, strides = array<i64: 1, 1>, padding = array<i64: 1, 1>, weight_quant = #snn.weight_quant<bits = 3, frac = 2>, acc_bits = 10 : i64, shift = 2 : i64} : tensor<1x1x8x8xui4, #snn.radix<4, frac = 4>> -> tensor<1x2x8x8xui4, #snn.radix<4, frac = 3>>
  func.return %0 : tensor<1x2x8x8xui4, #snn.radix<4, frac = 3>>
}

// -----

func.func @conv_layer_result_encoding(%x: tensor<1x1x8x8xui4, #snn.radix<4, frac = 4>>) -> tensor<1x2x8x8xsi10, #snn.fixed<frac = 6>> {
  // CHECK: snn_fused_verify.mlir:[[# @LINE + 1]]:3: error: 'snn.conv_layer': result must be radix codes, got fixed-point values (tensor<1x2x8x8xsi10, #snn.fixed<frac = 6>>)
  %0 = snn.conv_layer %x {weight = dense<3> : tensor<2x1x3x3xi8>, bias = dense<[5, -7]> : tensor<2xi8>, strides = array<i64: 1, 1>, padding = array<i64: 1, 1>, weight_quant = #snn.weight_quant<bits = 3, frac = 2>, acc_bits = 10 : i64, shift = 3 : i64} : tensor<1x1x8x8xui4, #snn.radix<4, frac = 4>> -> tensor<1x2x8x8xsi10, #snn.fixed<frac = 6>>
  func.return %0 : tensor<1x2x8x8xsi10, #snn.fixed<frac = 6>>
}

// -----

func.func @conv_layer_result_element(%x: tensor<1x1x8x8xui4, #snn.radix<4, frac = 4>>) -> tensor<1x2x8x8xui3, #snn.radix<4, frac = 3>> {
  // CHECK: snn_fused_verify.mlir:[[# @LINE + 1]]:3: error: 'snn.conv_layer': radix codes with 4 timesteps are stored as ui4, got ui3
  %0 = snn.conv_layer %x {weight = dense<3> : tensor<2x1x3x3xi8>, bias = dense<[5, -7]> : tensor<2xi8>, strides = array<i64: 1, 1>, padding = array<i64: 1, 1>, weight_quant = #snn.weight_quant<bits = 3, frac = 2>, acc_bits = 10 : i64, shift = 3 : i64} : tensor<1x1x8x8xui4, #snn.radix<4, frac = 4>> -> tensor<1x2x8x8xui3, #snn.radix<4, frac = 3>>
  func.return %0 : tensor<1x2x8x8xui3, #snn.radix<4, frac = 3>>
}

// -----

func.func @conv_layer_result_shape(%x: tensor<1x1x8x8xui4, #snn.radix<4, frac = 4>>) -> tensor<1x2x8x8xui4, #snn.radix<4, frac = 3>> {
  // CHECK: snn_fused_verify.mlir:[[# @LINE + 1]]:3: error: 'snn.conv_layer': result shape must be [1, 2, 4, 4], got [1, 2, 8, 8]
  %0 = snn.conv_layer %x {weight = dense<3> : tensor<2x1x3x3xi8>, bias = dense<[5, -7]> : tensor<2xi8>, strides = array<i64: 1, 1>, padding = array<i64: 1, 1>, weight_quant = #snn.weight_quant<bits = 3, frac = 2>, acc_bits = 10 : i64, shift = 3 : i64, pool_mode = "max", pool_kernel = array<i64: 2, 2>, pool_strides = array<i64: 2, 2>, pool_padding = array<i64: 0, 0>} : tensor<1x1x8x8xui4, #snn.radix<4, frac = 4>> -> tensor<1x2x8x8xui4, #snn.radix<4, frac = 3>>
  func.return %0 : tensor<1x2x8x8xui4, #snn.radix<4, frac = 3>>
}

// -----

func.func @conv_layer_pool_partial(%x: tensor<1x1x8x8xui4, #snn.radix<4, frac = 4>>) -> tensor<1x2x4x4xui4, #snn.radix<4, frac = 3>> {
  // CHECK: snn_fused_verify.mlir:[[# @LINE + 1]]:3: error: 'snn.conv_layer': pooling needs pool_mode, pool_kernel, pool_strides and pool_padding together, missing pool_padding
  %0 = snn.conv_layer %x {weight = dense<3> : tensor<2x1x3x3xi8>, bias = dense<[5, -7]> : tensor<2xi8>, strides = array<i64: 1, 1>, padding = array<i64: 1, 1>, weight_quant = #snn.weight_quant<bits = 3, frac = 2>, acc_bits = 10 : i64, shift = 3 : i64, pool_mode = "max", pool_kernel = array<i64: 2, 2>, pool_strides = array<i64: 2, 2>} : tensor<1x1x8x8xui4, #snn.radix<4, frac = 4>> -> tensor<1x2x4x4xui4, #snn.radix<4, frac = 3>>
  func.return %0 : tensor<1x2x4x4xui4, #snn.radix<4, frac = 3>>
}

// -----

func.func @conv_layer_pool_mode(%x: tensor<1x1x8x8xui4, #snn.radix<4, frac = 4>>) -> tensor<1x2x4x4xui4, #snn.radix<4, frac = 3>> {
  // CHECK: snn_fused_verify.mlir:[[# @LINE + 1]]:3: error: 'snn.conv_layer': pool_mode: Expected one of "avg", "max", but got "min"
  %0 = snn.conv_layer %x {weight = dense<3> : tensor<2x1x3x3xi8>, bias = dense<[5, -7]> : tensor<2xi8>, strides = array<i64: 1, 1>, padding = array<i64: 1, 1>, weight_quant = #snn.weight_quant<bits = 3, frac = 2>, acc_bits = 10 : i64, shift = 3 : i64, pool_mode = "min", pool_kernel = array<i64: 2, 2>, pool_strides = array<i64: 2, 2>, pool_padding = array<i64: 0, 0>} : tensor<1x1x8x8xui4, #snn.radix<4, frac = 4>> -> tensor<1x2x4x4xui4, #snn.radix<4, frac = 3>>
  func.return %0 : tensor<1x2x4x4xui4, #snn.radix<4, frac = 3>>
}

// -----

func.func @conv_layer_pool_kernel(%x: tensor<1x1x8x8xui4, #snn.radix<4, frac = 4>>) -> tensor<1x2x4x4xui4, #snn.radix<4, frac = 3>> {
  // CHECK: snn_fused_verify.mlir:[[# @LINE + 1]]:3: error: 'snn.conv_layer': pool_kernel must be >= 1, got [0, 2]
  %0 = snn.conv_layer %x {weight = dense<3> : tensor<2x1x3x3xi8>, bias = dense<[5, -7]> : tensor<2xi8>, strides = array<i64: 1, 1>, padding = array<i64: 1, 1>, weight_quant = #snn.weight_quant<bits = 3, frac = 2>, acc_bits = 10 : i64, shift = 3 : i64, pool_mode = "max", pool_kernel = array<i64: 0, 2>, pool_strides = array<i64: 2, 2>, pool_padding = array<i64: 0, 0>} : tensor<1x1x8x8xui4, #snn.radix<4, frac = 4>> -> tensor<1x2x4x4xui4, #snn.radix<4, frac = 3>>
  func.return %0 : tensor<1x2x4x4xui4, #snn.radix<4, frac = 3>>
}

// -----

func.func @conv_layer_pool_padding(%x: tensor<1x1x8x8xui4, #snn.radix<4, frac = 4>>) -> tensor<1x2x4x4xui4, #snn.radix<4, frac = 3>> {
  // CHECK: snn_fused_verify.mlir:[[# @LINE + 1]]:3: error: 'snn.conv_layer': pool_padding [2, 0] must be at most half the pool_kernel 2x2
  %0 = snn.conv_layer %x {weight = dense<3> : tensor<2x1x3x3xi8>, bias = dense<[5, -7]> : tensor<2xi8>, strides = array<i64: 1, 1>, padding = array<i64: 1, 1>, weight_quant = #snn.weight_quant<bits = 3, frac = 2>, acc_bits = 10 : i64, shift = 3 : i64, pool_mode = "max", pool_kernel = array<i64: 2, 2>, pool_strides = array<i64: 2, 2>, pool_padding = array<i64: 2, 0>} : tensor<1x1x8x8xui4, #snn.radix<4, frac = 4>> -> tensor<1x2x4x4xui4, #snn.radix<4, frac = 3>>
  func.return %0 : tensor<1x2x4x4xui4, #snn.radix<4, frac = 3>>
}

// -----

func.func @conv_layer_avg_window(%x: tensor<1x1x8x8xui4, #snn.radix<4, frac = 4>>) -> tensor<1x2x3x3xui4, #snn.radix<4, frac = 3>> {
  // CHECK: snn_fused_verify.mlir:[[# @LINE + 1]]:3: error: 'snn.conv_layer': radix average pooling needs a power-of-two window, got 3x3 = 9
  %0 = snn.conv_layer %x {weight = dense<3> : tensor<2x1x3x3xi8>, bias = dense<[5, -7]> : tensor<2xi8>, strides = array<i64: 1, 1>, padding = array<i64: 1, 1>, weight_quant = #snn.weight_quant<bits = 3, frac = 2>, acc_bits = 10 : i64, shift = 3 : i64, pool_mode = "avg", pool_kernel = array<i64: 3, 3>, pool_strides = array<i64: 2, 2>, pool_padding = array<i64: 0, 0>} : tensor<1x1x8x8xui4, #snn.radix<4, frac = 4>> -> tensor<1x2x3x3xui4, #snn.radix<4, frac = 3>>
  func.return %0 : tensor<1x2x3x3xui4, #snn.radix<4, frac = 3>>
}

// -----

func.func @conv_layer_avg_padding(%x: tensor<1x1x8x8xui4, #snn.radix<4, frac = 4>>) -> tensor<1x2x5x5xui4, #snn.radix<4, frac = 3>> {
  // CHECK: snn_fused_verify.mlir:[[# @LINE + 1]]:3: error: 'snn.conv_layer': radix average pooling needs zero pool_padding, got [1, 1]
  %0 = snn.conv_layer %x {weight = dense<3> : tensor<2x1x3x3xi8>, bias = dense<[5, -7]> : tensor<2xi8>, strides = array<i64: 1, 1>, padding = array<i64: 1, 1>, weight_quant = #snn.weight_quant<bits = 3, frac = 2>, acc_bits = 10 : i64, shift = 3 : i64, pool_mode = "avg", pool_kernel = array<i64: 2, 2>, pool_strides = array<i64: 2, 2>, pool_padding = array<i64: 1, 1>} : tensor<1x1x8x8xui4, #snn.radix<4, frac = 4>> -> tensor<1x2x5x5xui4, #snn.radix<4, frac = 3>>
  func.return %0 : tensor<1x2x5x5xui4, #snn.radix<4, frac = 3>>
}

// -----

func.func @conv_tiling_slot_width(%x: tensor<1x1x8x8xui4, #snn.radix<4, frac = 4>>) -> tensor<1x2x8x8xui4, #snn.radix<4, frac = 3>> {
  // CHECK: snn_fused_verify.mlir:[[# @LINE + 2]]:3
  // CHECK: 'snn.conv_layer': #snn.conv_tiling slot_width must be cols // slots = 4, got 3
  %0 = snn.conv_layer %x {weight = dense<3> : tensor<2x1x3x3xi8>, bias = dense<[5, -7]> : tensor<2xi8>, strides = array<i64: 1, 1>, padding = array<i64: 1, 1>, weight_quant = #snn.weight_quant<bits = 3, frac = 2>, acc_bits = 10 : i64, shift = 3 : i64, tiling = #snn.conv_tiling<units = 2, cols = 8, slots = 2, slot_width = 3, col_tiles = 1, groups = 1>} : tensor<1x1x8x8xui4, #snn.radix<4, frac = 4>> -> tensor<1x2x8x8xui4, #snn.radix<4, frac = 3>>
  func.return %0 : tensor<1x2x8x8xui4, #snn.radix<4, frac = 3>>
}

// -----

func.func @conv_tiling_slots_and_tiles(%x: tensor<1x1x8x8xui4, #snn.radix<4, frac = 4>>) -> tensor<1x2x8x8xui4, #snn.radix<4, frac = 3>> {
  // CHECK: snn_fused_verify.mlir:[[# @LINE + 2]]:3
  // CHECK: 'snn.conv_layer': #snn.conv_tiling: 2 slots need col_tiles = 1, got 2
  %0 = snn.conv_layer %x {weight = dense<3> : tensor<2x1x3x3xi8>, bias = dense<[5, -7]> : tensor<2xi8>, strides = array<i64: 1, 1>, padding = array<i64: 1, 1>, weight_quant = #snn.weight_quant<bits = 3, frac = 2>, acc_bits = 10 : i64, shift = 3 : i64, tiling = #snn.conv_tiling<units = 1, cols = 8, slots = 2, slot_width = 4, col_tiles = 2, groups = 1>} : tensor<1x1x8x8xui4, #snn.radix<4, frac = 4>> -> tensor<1x2x8x8xui4, #snn.radix<4, frac = 3>>
  func.return %0 : tensor<1x2x8x8xui4, #snn.radix<4, frac = 3>>
}

// -----

func.func @conv_tiling_col_tiles(%x: tensor<1x1x8x8xui4, #snn.radix<4, frac = 4>>) -> tensor<1x2x8x8xui4, #snn.radix<4, frac = 3>> {
  // CHECK: snn_fused_verify.mlir:[[# @LINE + 1]]:3: error: 'snn.conv_layer': tiling col_tiles must be ceil(w_out / slot_width) = ceil(8 / 4) = 2, got 1
  %0 = snn.conv_layer %x {weight = dense<3> : tensor<2x1x3x3xi8>, bias = dense<[5, -7]> : tensor<2xi8>, strides = array<i64: 1, 1>, padding = array<i64: 1, 1>, weight_quant = #snn.weight_quant<bits = 3, frac = 2>, acc_bits = 10 : i64, shift = 3 : i64, tiling = #snn.conv_tiling<units = 2, cols = 4, slots = 1, slot_width = 4, col_tiles = 1, groups = 1>} : tensor<1x1x8x8xui4, #snn.radix<4, frac = 4>> -> tensor<1x2x8x8xui4, #snn.radix<4, frac = 3>>
  func.return %0 : tensor<1x2x8x8xui4, #snn.radix<4, frac = 3>>
}

// -----

func.func @conv_tiling_col_tiles_before_pooling(%x: tensor<1x1x8x8xui4, #snn.radix<4, frac = 4>>) -> tensor<1x2x4x4xui4, #snn.radix<4, frac = 3>> {
  // CHECK: snn_fused_verify.mlir:[[# @LINE + 1]]:3: error: 'snn.conv_layer': tiling col_tiles must be ceil(w_out / slot_width) = ceil(8 / 4) = 2, got 1
  %0 = snn.conv_layer %x {weight = dense<3> : tensor<2x1x3x3xi8>, bias = dense<[5, -7]> : tensor<2xi8>, strides = array<i64: 1, 1>, padding = array<i64: 1, 1>, weight_quant = #snn.weight_quant<bits = 3, frac = 2>, acc_bits = 10 : i64, shift = 3 : i64, pool_mode = "max", pool_kernel = array<i64: 2, 2>, pool_strides = array<i64: 2, 2>, pool_padding = array<i64: 0, 0>, tiling = #snn.conv_tiling<units = 1, cols = 4, slots = 1, slot_width = 4, col_tiles = 1, groups = 2>} : tensor<1x1x8x8xui4, #snn.radix<4, frac = 4>> -> tensor<1x2x4x4xui4, #snn.radix<4, frac = 3>>
  func.return %0 : tensor<1x2x4x4xui4, #snn.radix<4, frac = 3>>
}

// -----

func.func @conv_tiling_groups(%x: tensor<1x1x8x8xui4, #snn.radix<4, frac = 4>>) -> tensor<1x2x8x8xui4, #snn.radix<4, frac = 3>> {
  // CHECK: snn_fused_verify.mlir:[[# @LINE + 1]]:3: error: 'snn.conv_layer': tiling groups must be ceil(c_out / (units * slots)) = ceil(2 / 1) = 2, got 1
  %0 = snn.conv_layer %x {weight = dense<3> : tensor<2x1x3x3xi8>, bias = dense<[5, -7]> : tensor<2xi8>, strides = array<i64: 1, 1>, padding = array<i64: 1, 1>, weight_quant = #snn.weight_quant<bits = 3, frac = 2>, acc_bits = 10 : i64, shift = 3 : i64, tiling = #snn.conv_tiling<units = 1, cols = 8, slots = 1, slot_width = 8, col_tiles = 1, groups = 1>} : tensor<1x1x8x8xui4, #snn.radix<4, frac = 4>> -> tensor<1x2x8x8xui4, #snn.radix<4, frac = 3>>
  func.return %0 : tensor<1x2x8x8xui4, #snn.radix<4, frac = 3>>
}

// -----

func.func @conv_tiling_units_range(%x: tensor<1x1x8x8xui4, #snn.radix<4, frac = 4>>) -> tensor<1x2x8x8xui4, #snn.radix<4, frac = 3>> {
  // CHECK: snn_fused_verify.mlir:[[# @LINE + 2]]:288
  // CHECK: #snn.conv_tiling units must be in [1, 256], got 0
  %0 = snn.conv_layer %x {weight = dense<3> : tensor<2x1x3x3xi8>, bias = dense<[5, -7]> : tensor<2xi8>, strides = array<i64: 1, 1>, padding = array<i64: 1, 1>, weight_quant = #snn.weight_quant<bits = 3, frac = 2>, acc_bits = 10 : i64, shift = 3 : i64, tiling = #snn.conv_tiling<units = 0, cols = 8, slots = 1, slot_width = 8, col_tiles = 1, groups = 1>} : tensor<1x1x8x8xui4, #snn.radix<4, frac = 4>> -> tensor<1x2x8x8xui4, #snn.radix<4, frac = 3>>
  func.return %0 : tensor<1x2x8x8xui4, #snn.radix<4, frac = 3>>
}

// -----

func.func @conv_tiling_kind(%x: tensor<1x1x8x8xui4, #snn.radix<4, frac = 4>>) -> tensor<1x2x8x8xui4, #snn.radix<4, frac = 3>> {
  // CHECK: snn_fused_verify.mlir:[[# @LINE + 1]]:3: error: 'snn.conv_layer': tiling: Unexpected attribute #snn.weight_quant<bits = 3, frac = 2>
  %0 = snn.conv_layer %x {weight = dense<3> : tensor<2x1x3x3xi8>, bias = dense<[5, -7]> : tensor<2xi8>, strides = array<i64: 1, 1>, padding = array<i64: 1, 1>, weight_quant = #snn.weight_quant<bits = 3, frac = 2>, acc_bits = 10 : i64, shift = 3 : i64, tiling = #snn.weight_quant<bits = 3, frac = 2>} : tensor<1x1x8x8xui4, #snn.radix<4, frac = 4>> -> tensor<1x2x8x8xui4, #snn.radix<4, frac = 3>>
  func.return %0 : tensor<1x2x8x8xui4, #snn.radix<4, frac = 3>>
}

// -----

func.func @conv_layer_linear_tiling(%x: tensor<1x1x8x8xui4, #snn.radix<4, frac = 4>>) -> tensor<1x2x8x8xui4, #snn.radix<4, frac = 3>> {
  // CHECK: snn_fused_verify.mlir:[[# @LINE + 1]]:3: error: 'snn.conv_layer': a #snn.linear_tiling needs one output position that sees the whole unpadded input, got kernel 3x3 on a 8x8 input with padding [1, 1]
  %0 = snn.conv_layer %x {weight = dense<3> : tensor<2x1x3x3xi8>, bias = dense<[5, -7]> : tensor<2xi8>, strides = array<i64: 1, 1>, padding = array<i64: 1, 1>, weight_quant = #snn.weight_quant<bits = 3, frac = 2>, acc_bits = 10 : i64, shift = 3 : i64, tiling = #snn.linear_tiling<lanes = 16, groups = 1>} : tensor<1x1x8x8xui4, #snn.radix<4, frac = 4>> -> tensor<1x2x8x8xui4, #snn.radix<4, frac = 3>>
  func.return %0 : tensor<1x2x8x8xui4, #snn.radix<4, frac = 3>>
}

// -----

func.func @conv_layer_linear_tiling_groups(%x: tensor<1x1x8x8xui4, #snn.radix<4, frac = 4>>) -> tensor<1x3x1x1xui4, #snn.radix<4, frac = 0>> {
  // CHECK: snn_fused_verify.mlir:[[# @LINE + 1]]:3: error: 'snn.conv_layer': tiling groups must be ceil(c_out / lanes) = ceil(3 / 2) = 2, got 1
  %0 = snn.conv_layer %x {weight = dense<1> : tensor<3x1x8x8xi8>, strides = array<i64: 1, 1>, padding = array<i64: 0, 0>, weight_quant = #snn.weight_quant<bits = 3, frac = 0>, acc_bits = 12 : i64, shift = 4 : i64, tiling = #snn.linear_tiling<lanes = 2, groups = 1>} : tensor<1x1x8x8xui4, #snn.radix<4, frac = 4>> -> tensor<1x3x1x1xui4, #snn.radix<4, frac = 0>>
  func.return %0 : tensor<1x3x1x1xui4, #snn.radix<4, frac = 0>>
}

// -----

func.func @conv_layer_linear_tiling_pool(%x: tensor<1x1x8x8xui4, #snn.radix<4, frac = 4>>) -> tensor<1x3x1x1xui4, #snn.radix<4, frac = 0>> {
  // CHECK: snn_fused_verify.mlir:[[# @LINE + 1]]:3: error: 'snn.conv_layer': a #snn.linear_tiling runs on the linear unit, which does not pool
  %0 = snn.conv_layer %x {weight = dense<1> : tensor<3x1x8x8xi8>, strides = array<i64: 1, 1>, padding = array<i64: 0, 0>, weight_quant = #snn.weight_quant<bits = 3, frac = 0>, acc_bits = 12 : i64, shift = 4 : i64, pool_mode = "max", pool_kernel = array<i64: 1, 1>, pool_strides = array<i64: 1, 1>, pool_padding = array<i64: 0, 0>, tiling = #snn.linear_tiling<lanes = 4, groups = 1>} : tensor<1x1x8x8xui4, #snn.radix<4, frac = 4>> -> tensor<1x3x1x1xui4, #snn.radix<4, frac = 0>>
  func.return %0 : tensor<1x3x1x1xui4, #snn.radix<4, frac = 0>>
}

// -----

func.func @linear_layer_input_rank(%x: tensor<1x2x4xui4, #snn.radix<4, frac = 3>>) -> tensor<1x3xui4, #snn.radix<4, frac = 2>> {
  // CHECK: snn_fused_verify.mlir:[[# @LINE + 1]]:3: error: 'snn.linear_layer': input must be N x F or N x C x H x W (flattened by the layer), got tensor<1x2x4xui4, #snn.radix<4, frac = 3>>
  %0 = snn.linear_layer %x {weight = dense<-4> : tensor<3x8xi8>, weight_quant = #snn.weight_quant<bits = 3, frac = 1>, acc_bits = 10 : i64, shift = 2 : i64} : tensor<1x2x4xui4, #snn.radix<4, frac = 3>> -> tensor<1x3xui4, #snn.radix<4, frac = 2>>
  func.return %0 : tensor<1x3xui4, #snn.radix<4, frac = 2>>
}

// -----

func.func @linear_layer_relu_with_neuron(%x: tensor<1x8xui4, #snn.radix<4, frac = 3>>) -> tensor<1x3xui4, #snn.radix<4, frac = 2>> {
  // CHECK: snn_fused_verify.mlir:[[# @LINE + 1]]:3: error: 'snn.linear_layer': relu is the ReLU on the raw logits: a layer with a neuron (shift) has none
  %0 = snn.linear_layer %x {weight = dense<-4> : tensor<3x8xi8>, weight_quant = #snn.weight_quant<bits = 3, frac = 1>, acc_bits = 10 : i64, shift = 2 : i64, relu} : tensor<1x8xui4, #snn.radix<4, frac = 3>> -> tensor<1x3xui4, #snn.radix<4, frac = 2>>
  func.return %0 : tensor<1x3xui4, #snn.radix<4, frac = 2>>
}

// -----

func.func @linear_layer_features(%x: tensor<1x2x2x3xui4, #snn.radix<4, frac = 3>>) -> tensor<1x3xui4, #snn.radix<4, frac = 2>> {
  // CHECK: snn_fused_verify.mlir:[[# @LINE + 1]]:3: error: 'snn.linear_layer': weight has 8 input features but the input has 12 (shape [1, 2, 2, 3], flattened)
  %0 = snn.linear_layer %x {weight = dense<-4> : tensor<3x8xi8>, weight_quant = #snn.weight_quant<bits = 3, frac = 1>, acc_bits = 10 : i64, shift = 2 : i64} : tensor<1x2x2x3xui4, #snn.radix<4, frac = 3>> -> tensor<1x3xui4, #snn.radix<4, frac = 2>>
  func.return %0 : tensor<1x3xui4, #snn.radix<4, frac = 2>>
}

// -----

func.func @linear_layer_input(%x: tensor<1x8xi1, #snn.rate<16>>) -> tensor<1x3xui4, #snn.radix<4, frac = 2>> {
  // CHECK: snn_fused_verify.mlir:[[# @LINE + 1]]:3: error: 'snn.linear_layer': input must be radix codes, got rate spikes (tensor<1x8xi1, #snn.rate<16>>)
  %0 = snn.linear_layer %x {weight = dense<-4> : tensor<3x8xi8>, weight_quant = #snn.weight_quant<bits = 3, frac = 1>, acc_bits = 10 : i64, shift = 2 : i64} : tensor<1x8xi1, #snn.rate<16>> -> tensor<1x3xui4, #snn.radix<4, frac = 2>>
  func.return %0 : tensor<1x3xui4, #snn.radix<4, frac = 2>>
}

// -----

func.func @linear_layer_acc_bits(%x: tensor<1x8xui4, #snn.radix<4, frac = 3>>) -> tensor<1x3xui4, #snn.radix<4, frac = 2>> {
  // CHECK: snn_fused_verify.mlir:[[# @LINE + 1]]:3: error: 'snn.linear_layer': acc_bits 9 is too narrow: the bit-width bound needs 10
  %0 = snn.linear_layer %x {weight = dense<-4> : tensor<3x8xi8>, weight_quant = #snn.weight_quant<bits = 3, frac = 1>, acc_bits = 9 : i64, shift = 2 : i64} : tensor<1x8xui4, #snn.radix<4, frac = 3>> -> tensor<1x3xui4, #snn.radix<4, frac = 2>>
  func.return %0 : tensor<1x3xui4, #snn.radix<4, frac = 2>>
}

// -----

func.func @linear_layer_shift(%x: tensor<1x8xui4, #snn.radix<4, frac = 3>>) -> tensor<1x3xui4, #snn.radix<4, frac = 2>> {
  // CHECK: snn_fused_verify.mlir:[[# @LINE + 1]]:3: error: 'snn.linear_layer': result frac must be input frac + weight frac - shift = 3, got 2
  %0 = snn.linear_layer %x {weight = dense<-4> : tensor<3x8xi8>, weight_quant = #snn.weight_quant<bits = 3, frac = 1>, acc_bits = 10 : i64, shift = 1 : i64} : tensor<1x8xui4, #snn.radix<4, frac = 3>> -> tensor<1x3xui4, #snn.radix<4, frac = 2>>
  func.return %0 : tensor<1x3xui4, #snn.radix<4, frac = 2>>
}

// -----

func.func @linear_layer_result_shape(%x: tensor<1x8xui4, #snn.radix<4, frac = 3>>) -> tensor<1x4xui4, #snn.radix<4, frac = 2>> {
  // CHECK: snn_fused_verify.mlir:[[# @LINE + 1]]:3: error: 'snn.linear_layer': result shape must be [1, 3], got [1, 4]
  %0 = snn.linear_layer %x {weight = dense<-4> : tensor<3x8xi8>, weight_quant = #snn.weight_quant<bits = 3, frac = 1>, acc_bits = 10 : i64, shift = 2 : i64} : tensor<1x8xui4, #snn.radix<4, frac = 3>> -> tensor<1x4xui4, #snn.radix<4, frac = 2>>
  func.return %0 : tensor<1x4xui4, #snn.radix<4, frac = 2>>
}

// -----

func.func @linear_layer_raw_encoding(%x: tensor<1x8xui4, #snn.radix<4, frac = 3>>) -> tensor<1x3xui4, #snn.radix<4, frac = 2>> {
  // CHECK: snn_fused_verify.mlir:[[# @LINE + 1]]:3: error: 'snn.linear_layer': without shift the result is the raw potentials (signed fixed point), got tensor<1x3xui4, #snn.radix<4, frac = 2>>
  %0 = snn.linear_layer %x {weight = dense<-4> : tensor<3x8xi8>, weight_quant = #snn.weight_quant<bits = 3, frac = 1>, acc_bits = 10 : i64} : tensor<1x8xui4, #snn.radix<4, frac = 3>> -> tensor<1x3xui4, #snn.radix<4, frac = 2>>
  func.return %0 : tensor<1x3xui4, #snn.radix<4, frac = 2>>
}

// -----

func.func @linear_layer_raw_frac(%x: tensor<1x8xui4, #snn.radix<4, frac = 3>>) -> tensor<1x3xsi10, #snn.fixed<frac = 3>> {
  // CHECK: snn_fused_verify.mlir:[[# @LINE + 1]]:3: error: 'snn.linear_layer': result frac must be input frac + weight frac = 4, got 3
  %0 = snn.linear_layer %x {weight = dense<-4> : tensor<3x8xi8>, weight_quant = #snn.weight_quant<bits = 3, frac = 1>, acc_bits = 10 : i64} : tensor<1x8xui4, #snn.radix<4, frac = 3>> -> tensor<1x3xsi10, #snn.fixed<frac = 3>>
  func.return %0 : tensor<1x3xsi10, #snn.fixed<frac = 3>>
}

// -----

func.func @linear_layer_raw_width(%x: tensor<1x8xui4, #snn.radix<4, frac = 3>>) -> tensor<1x3xsi12, #snn.fixed<frac = 4>> {
  // CHECK: snn_fused_verify.mlir:[[# @LINE + 1]]:3: error: 'snn.linear_layer': result width si12 must be acc_bits = 10
  %0 = snn.linear_layer %x {weight = dense<-4> : tensor<3x8xi8>, weight_quant = #snn.weight_quant<bits = 3, frac = 1>, acc_bits = 10 : i64} : tensor<1x8xui4, #snn.radix<4, frac = 3>> -> tensor<1x3xsi12, #snn.fixed<frac = 4>>
  func.return %0 : tensor<1x3xsi12, #snn.fixed<frac = 4>>
}

// -----

func.func @linear_layer_conv_tiling_groups(%x: tensor<1x8xui4, #snn.radix<4, frac = 3>>) -> tensor<1x3xui4, #snn.radix<4, frac = 2>> {
  // CHECK: snn_fused_verify.mlir:[[# @LINE + 1]]:3: error: 'snn.linear_layer': tiling groups must be ceil(c_out / (units * slots)) = ceil(3 / 2) = 2, got 1
  %0 = snn.linear_layer %x {weight = dense<-4> : tensor<3x8xi8>, weight_quant = #snn.weight_quant<bits = 3, frac = 1>, acc_bits = 10 : i64, shift = 2 : i64, tiling = #snn.conv_tiling<units = 2, cols = 8, slots = 1, slot_width = 8, col_tiles = 1, groups = 1>} : tensor<1x8xui4, #snn.radix<4, frac = 3>> -> tensor<1x3xui4, #snn.radix<4, frac = 2>>
  func.return %0 : tensor<1x3xui4, #snn.radix<4, frac = 2>>
}

// -----

// On the conv units a linear layer has one output position: one column tile.
func.func @linear_layer_conv_tiling_tiles(%x: tensor<1x8xui4, #snn.radix<4, frac = 3>>) -> tensor<1x3xui4, #snn.radix<4, frac = 2>> {
  // CHECK: snn_fused_verify.mlir:[[# @LINE + 1]]:3: error: 'snn.linear_layer': tiling col_tiles must be ceil(w_out / slot_width) = ceil(1 / 8) = 1, got 2
  %0 = snn.linear_layer %x {weight = dense<-4> : tensor<3x8xi8>, weight_quant = #snn.weight_quant<bits = 3, frac = 1>, acc_bits = 10 : i64, shift = 2 : i64, tiling = #snn.conv_tiling<units = 2, cols = 8, slots = 1, slot_width = 8, col_tiles = 2, groups = 2>} : tensor<1x8xui4, #snn.radix<4, frac = 3>> -> tensor<1x3xui4, #snn.radix<4, frac = 2>>
  func.return %0 : tensor<1x3xui4, #snn.radix<4, frac = 2>>
}

// -----

func.func @linear_layer_tiling_groups(%x: tensor<1x8xui4, #snn.radix<4, frac = 3>>) -> tensor<1x3xui4, #snn.radix<4, frac = 2>> {
  // CHECK: snn_fused_verify.mlir:[[# @LINE + 1]]:3: error: 'snn.linear_layer': tiling groups must be ceil(c_out / lanes) = ceil(3 / 2) = 2, got 1
  %0 = snn.linear_layer %x {weight = dense<-4> : tensor<3x8xi8>, weight_quant = #snn.weight_quant<bits = 3, frac = 1>, acc_bits = 10 : i64, shift = 2 : i64, tiling = #snn.linear_tiling<lanes = 2, groups = 1>} : tensor<1x8xui4, #snn.radix<4, frac = 3>> -> tensor<1x3xui4, #snn.radix<4, frac = 2>>
  func.return %0 : tensor<1x3xui4, #snn.radix<4, frac = 2>>
}

// -----

func.func @linear_tiling_lanes_range(%x: tensor<1x8xui4, #snn.radix<4, frac = 3>>) -> tensor<1x3xui4, #snn.radix<4, frac = 2>> {
  // CHECK: snn_fused_verify.mlir:[[# @LINE + 2]]:198
  // CHECK: #snn.linear_tiling lanes must be in [1, 1024], got 1025
  %0 = snn.linear_layer %x {weight = dense<-4> : tensor<3x8xi8>, weight_quant = #snn.weight_quant<bits = 3, frac = 1>, acc_bits = 10 : i64, shift = 2 : i64, tiling = #snn.linear_tiling<lanes = 1025, groups = 1>} : tensor<1x8xui4, #snn.radix<4, frac = 3>> -> tensor<1x3xui4, #snn.radix<4, frac = 2>>
  func.return %0 : tensor<1x3xui4, #snn.radix<4, frac = 2>>
}
