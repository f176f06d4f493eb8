// Every e3ne_hw verifier a user can trip gives a one-line diagnostic naming the op, its position
// and the value. Ranges and types of properties come from the engine schema (e3ne.engine.schema).
// RUN: e3ne-opt %s --split-input-file --verify-diagnostics --parsing-diagnostics | filecheck %s

// A property outside its range names the op and the property.
e3ne_hw.engine "tiny" {input_shape = array<i64: 1, 4, 4>, input_step = 6.250000e-02 : f64, input_timesteps = 4 : i64, acc_bits = 9 : i64, weight_bits = 3 : i64}
e3ne_hw.act_memory {depth = 4 : i64, row_codes = 4 : i64, code_bits = 4 : i64}
// CHECK: e3ne_hw_verify.mlir:[[# @LINE + 2]]:1
// CHECK: 'e3ne_hw.conv_unit': units: expected an integer in [1, 256], got 0
e3ne_hw.conv_unit {units = 0 : i64, cols = 4 : i64, max_kernel = 1 : i64, max_stride = 1 : i64, max_padding = 0 : i64}
e3ne_hw.pool_unit {max_window = 2 : i64}
e3ne_hw.linear_unit {lanes = 16 : i64}
e3ne_hw.weight_memory "conv_weights" {word_bits = 6 : i64, depth = 1 : i64}
e3ne_hw.weight_memory "linear_weights" {word_bits = 48 : i64, depth = 4 : i64}
e3ne_hw.weight_memory "biases" {word_bits = 10 : i64, depth = 4 : i64}
e3ne_hw.weight_memory "program" {word_bits = 32 : i64, depth = 96 : i64}
e3ne_hw.conv_layer "conv1" {weight = dense<1> : tensor<1x1x1x1xi8>, bias = dense<3> : tensor<1xi8>, src_bank = 0 : i64, dst_bank = 1 : i64, src_base = 0 : i64, dst_base = 0 : i64, c_in = 1 : i64, h_in = 4 : i64, w_in = 4 : i64, kh = 1 : i64, kw = 1 : i64, sh = 1 : i64, sw = 1 : i64, ph = 0 : i64, pw = 0 : i64, c_out = 1 : i64, h_out = 4 : i64, w_out = 4 : i64, t_in = 4 : i64, t_out = 4 : i64, shift = 0 : i64, pool_mode = #e3ne_hw.pool<max>, pool_size = 2 : i64, w_base = 0 : i64, b_base = 0 : i64, raw = 0 : i64, slots = 1 : i64, weight_bits = 3 : i64, acc_bits = 6 : i64}
e3ne_hw.linear_layer "linear1" {weight = dense<[[1, -1, 2, -2], [3, 0, 0, -4]]> : tensor<2x4xi8>, src_bank = 1 : i64, dst_bank = 0 : i64, src_base = 0 : i64, dst_base = 0 : i64, c_in = 4 : i64, in_row_width = 2 : i64, c_out = 2 : i64, t_in = 4 : i64, t_out = 4 : i64, shift = 0 : i64, w_base = 0 : i64, b_base = 2 : i64, raw = 1 : i64, weight_bits = 3 : i64, acc_bits = 9 : i64}

// -----

// Properties are typed.
e3ne_hw.engine "tiny" {input_shape = array<i64: 1, 4, 4>, input_step = 6.250000e-02 : f64, input_timesteps = 4 : i64, acc_bits = 9 : i64, weight_bits = 3 : i64}
e3ne_hw.act_memory {depth = 4 : i64, row_codes = 4 : i64, code_bits = 4 : i64}
e3ne_hw.conv_unit {units = 2 : i64, cols = 4 : i64, max_kernel = 1 : i64, max_stride = 1 : i64, max_padding = 0 : i64}
e3ne_hw.pool_unit {max_window = 2 : i64}
e3ne_hw.linear_unit {lanes = 16 : i64}
e3ne_hw.weight_memory "conv_weights" {word_bits = 6 : i64, depth = 1 : i64}
e3ne_hw.weight_memory "linear_weights" {word_bits = 48 : i64, depth = 4 : i64}
e3ne_hw.weight_memory "biases" {word_bits = 10 : i64, depth = 4 : i64}
e3ne_hw.weight_memory "program" {word_bits = 32 : i64, depth = 96 : i64}
// CHECK: e3ne_hw_verify.mlir:[[# @LINE + 2]]:1
// CHECK: 'e3ne_hw.conv_layer': src_bank: Expected attribute i64 but got i32
e3ne_hw.conv_layer "conv1" {weight = dense<1> : tensor<1x1x1x1xi8>, bias = dense<3> : tensor<1xi8>, src_bank = 0 : i32, dst_bank = 1 : i64, src_base = 0 : i64, dst_base = 0 : i64, c_in = 1 : i64, h_in = 4 : i64, w_in = 4 : i64, kh = 1 : i64, kw = 1 : i64, sh = 1 : i64, sw = 1 : i64, ph = 0 : i64, pw = 0 : i64, c_out = 1 : i64, h_out = 4 : i64, w_out = 4 : i64, t_in = 4 : i64, t_out = 4 : i64, shift = 0 : i64, pool_mode = #e3ne_hw.pool<max>, pool_size = 2 : i64, w_base = 0 : i64, b_base = 0 : i64, raw = 0 : i64, slots = 1 : i64, weight_bits = 3 : i64, acc_bits = 6 : i64}
e3ne_hw.linear_layer "linear1" {weight = dense<[[1, -1, 2, -2], [3, 0, 0, -4]]> : tensor<2x4xi8>, src_bank = 1 : i64, dst_bank = 0 : i64, src_base = 0 : i64, dst_base = 0 : i64, c_in = 4 : i64, in_row_width = 2 : i64, c_out = 2 : i64, t_in = 4 : i64, t_out = 4 : i64, shift = 0 : i64, w_base = 0 : i64, b_base = 2 : i64, raw = 1 : i64, weight_bits = 3 : i64, acc_bits = 9 : i64}

// -----

// The pool mode is an enum.
e3ne_hw.engine "tiny" {input_shape = array<i64: 1, 4, 4>, input_step = 6.250000e-02 : f64, input_timesteps = 4 : i64, acc_bits = 9 : i64, weight_bits = 3 : i64}
e3ne_hw.act_memory {depth = 4 : i64, row_codes = 4 : i64, code_bits = 4 : i64}
e3ne_hw.conv_unit {units = 2 : i64, cols = 4 : i64, max_kernel = 1 : i64, max_stride = 1 : i64, max_padding = 0 : i64}
e3ne_hw.pool_unit {max_window = 2 : i64}
e3ne_hw.linear_unit {lanes = 16 : i64}
e3ne_hw.weight_memory "conv_weights" {word_bits = 6 : i64, depth = 1 : i64}
e3ne_hw.weight_memory "linear_weights" {word_bits = 48 : i64, depth = 4 : i64}
e3ne_hw.weight_memory "biases" {word_bits = 10 : i64, depth = 4 : i64}
e3ne_hw.weight_memory "program" {word_bits = 32 : i64, depth = 96 : i64}
// CHECK: e3ne_hw_verify.mlir:[[# @LINE + 2]]:448
// CHECK: pool mode must be one of none, max, avg, got 'maximum'
e3ne_hw.conv_layer "conv1" {weight = dense<1> : tensor<1x1x1x1xi8>, bias = dense<3> : tensor<1xi8>, src_bank = 0 : i64, dst_bank = 1 : i64, src_base = 0 : i64, dst_base = 0 : i64, c_in = 1 : i64, h_in = 4 : i64, w_in = 4 : i64, kh = 1 : i64, kw = 1 : i64, sh = 1 : i64, sw = 1 : i64, ph = 0 : i64, pw = 0 : i64, c_out = 1 : i64, h_out = 4 : i64, w_out = 4 : i64, t_in = 4 : i64, t_out = 4 : i64, shift = 0 : i64, pool_mode = #e3ne_hw.pool<maximum>, pool_size = 2 : i64, w_base = 0 : i64, b_base = 0 : i64, raw = 0 : i64, slots = 1 : i64, weight_bits = 3 : i64, acc_bits = 6 : i64}
e3ne_hw.linear_layer "linear1" {weight = dense<[[1, -1, 2, -2], [3, 0, 0, -4]]> : tensor<2x4xi8>, src_bank = 1 : i64, dst_bank = 0 : i64, src_base = 0 : i64, dst_base = 0 : i64, c_in = 4 : i64, in_row_width = 2 : i64, c_out = 2 : i64, t_in = 4 : i64, t_out = 4 : i64, shift = 0 : i64, w_base = 0 : i64, b_base = 2 : i64, raw = 1 : i64, weight_bits = 3 : i64, acc_bits = 9 : i64}

// -----

// A descriptor field that is not a pool mode.
e3ne_hw.engine "tiny" {input_shape = array<i64: 1, 4, 4>, input_step = 6.250000e-02 : f64, input_timesteps = 4 : i64, acc_bits = 9 : i64, weight_bits = 3 : i64}
e3ne_hw.act_memory {depth = 4 : i64, row_codes = 4 : i64, code_bits = 4 : i64}
e3ne_hw.conv_unit {units = 2 : i64, cols = 4 : i64, max_kernel = 1 : i64, max_stride = 1 : i64, max_padding = 0 : i64}
e3ne_hw.pool_unit {max_window = 2 : i64}
e3ne_hw.linear_unit {lanes = 16 : i64}
e3ne_hw.weight_memory "conv_weights" {word_bits = 6 : i64, depth = 1 : i64}
e3ne_hw.weight_memory "linear_weights" {word_bits = 48 : i64, depth = 4 : i64}
e3ne_hw.weight_memory "biases" {word_bits = 10 : i64, depth = 4 : i64}
e3ne_hw.weight_memory "program" {word_bits = 32 : i64, depth = 96 : i64}
// CHECK: e3ne_hw_verify.mlir:[[# @LINE + 2]]:1
// CHECK: 'e3ne_hw.conv_layer': pool_mode: 1 : i64 should be of base attribute e3ne_hw.pool
e3ne_hw.conv_layer "conv1" {weight = dense<1> : tensor<1x1x1x1xi8>, bias = dense<3> : tensor<1xi8>, src_bank = 0 : i64, dst_bank = 1 : i64, src_base = 0 : i64, dst_base = 0 : i64, c_in = 1 : i64, h_in = 4 : i64, w_in = 4 : i64, kh = 1 : i64, kw = 1 : i64, sh = 1 : i64, sw = 1 : i64, ph = 0 : i64, pw = 0 : i64, c_out = 1 : i64, h_out = 4 : i64, w_out = 4 : i64, t_in = 4 : i64, t_out = 4 : i64, shift = 0 : i64, pool_mode = 1 : i64, pool_size = 2 : i64, w_base = 0 : i64, b_base = 0 : i64, raw = 0 : i64, slots = 1 : i64, weight_bits = 3 : i64, acc_bits = 6 : i64}
e3ne_hw.linear_layer "linear1" {weight = dense<[[1, -1, 2, -2], [3, 0, 0, -4]]> : tensor<2x4xi8>, src_bank = 1 : i64, dst_bank = 0 : i64, src_base = 0 : i64, dst_base = 0 : i64, c_in = 4 : i64, in_row_width = 2 : i64, c_out = 2 : i64, t_in = 4 : i64, t_out = 4 : i64, shift = 0 : i64, w_base = 0 : i64, b_base = 2 : i64, raw = 1 : i64, weight_bits = 3 : i64, acc_bits = 9 : i64}

// -----

// The ROMs are named.
e3ne_hw.engine "tiny" {input_shape = array<i64: 1, 4, 4>, input_step = 6.250000e-02 : f64, input_timesteps = 4 : i64, acc_bits = 9 : i64, weight_bits = 3 : i64}
e3ne_hw.act_memory {depth = 4 : i64, row_codes = 4 : i64, code_bits = 4 : i64}
e3ne_hw.conv_unit {units = 2 : i64, cols = 4 : i64, max_kernel = 1 : i64, max_stride = 1 : i64, max_padding = 0 : i64}
e3ne_hw.pool_unit {max_window = 2 : i64}
e3ne_hw.linear_unit {lanes = 16 : i64}
// CHECK: e3ne_hw_verify.mlir:[[# @LINE + 2]]:1
// CHECK: 'e3ne_hw.weight_memory': memory: Expected one of "biases", "conv_weights", "linear_weights", "program", but got "weights"
e3ne_hw.weight_memory "weights" {word_bits = 6 : i64, depth = 1 : i64}
e3ne_hw.weight_memory "linear_weights" {word_bits = 48 : i64, depth = 4 : i64}
e3ne_hw.weight_memory "biases" {word_bits = 10 : i64, depth = 4 : i64}
e3ne_hw.weight_memory "program" {word_bits = 32 : i64, depth = 96 : i64}
e3ne_hw.conv_layer "conv1" {weight = dense<1> : tensor<1x1x1x1xi8>, bias = dense<3> : tensor<1xi8>, src_bank = 0 : i64, dst_bank = 1 : i64, src_base = 0 : i64, dst_base = 0 : i64, c_in = 1 : i64, h_in = 4 : i64, w_in = 4 : i64, kh = 1 : i64, kw = 1 : i64, sh = 1 : i64, sw = 1 : i64, ph = 0 : i64, pw = 0 : i64, c_out = 1 : i64, h_out = 4 : i64, w_out = 4 : i64, t_in = 4 : i64, t_out = 4 : i64, shift = 0 : i64, pool_mode = #e3ne_hw.pool<max>, pool_size = 2 : i64, w_base = 0 : i64, b_base = 0 : i64, raw = 0 : i64, slots = 1 : i64, weight_bits = 3 : i64, acc_bits = 6 : i64}
e3ne_hw.linear_layer "linear1" {weight = dense<[[1, -1, 2, -2], [3, 0, 0, -4]]> : tensor<2x4xi8>, src_bank = 1 : i64, dst_bank = 0 : i64, src_base = 0 : i64, dst_base = 0 : i64, c_in = 4 : i64, in_row_width = 2 : i64, c_out = 2 : i64, t_in = 4 : i64, t_out = 4 : i64, shift = 0 : i64, w_base = 0 : i64, b_base = 2 : i64, raw = 1 : i64, weight_bits = 3 : i64, acc_bits = 9 : i64}

// -----

// A layer may read and write one bank, but never the words it reads.
e3ne_hw.engine "tiny" {input_shape = array<i64: 1, 4, 4>, input_step = 6.250000e-02 : f64, input_timesteps = 4 : i64, acc_bits = 9 : i64, weight_bits = 3 : i64}
e3ne_hw.act_memory {depth = 4 : i64, row_codes = 4 : i64, code_bits = 4 : i64}
e3ne_hw.conv_unit {units = 2 : i64, cols = 4 : i64, max_kernel = 1 : i64, max_stride = 1 : i64, max_padding = 0 : i64}
e3ne_hw.pool_unit {max_window = 2 : i64}
e3ne_hw.linear_unit {lanes = 16 : i64}
e3ne_hw.weight_memory "conv_weights" {word_bits = 6 : i64, depth = 1 : i64}
e3ne_hw.weight_memory "linear_weights" {word_bits = 48 : i64, depth = 4 : i64}
e3ne_hw.weight_memory "biases" {word_bits = 10 : i64, depth = 4 : i64}
e3ne_hw.weight_memory "program" {word_bits = 32 : i64, depth = 96 : i64}
// CHECK: e3ne_hw_verify.mlir:[[# @LINE + 1]]:1: error: 'e3ne_hw.conv_layer': reads words [0, 4) and writes words [0, 2) of bank 0: a layer never writes the words it reads
e3ne_hw.conv_layer "conv1" {weight = dense<1> : tensor<1x1x1x1xi8>, bias = dense<3> : tensor<1xi8>, src_bank = 0 : i64, dst_bank = 0 : i64, src_base = 0 : i64, dst_base = 0 : i64, c_in = 1 : i64, h_in = 4 : i64, w_in = 4 : i64, kh = 1 : i64, kw = 1 : i64, sh = 1 : i64, sw = 1 : i64, ph = 0 : i64, pw = 0 : i64, c_out = 1 : i64, h_out = 4 : i64, w_out = 4 : i64, t_in = 4 : i64, t_out = 4 : i64, shift = 0 : i64, pool_mode = #e3ne_hw.pool<max>, pool_size = 2 : i64, w_base = 0 : i64, b_base = 0 : i64, raw = 0 : i64, slots = 1 : i64, weight_bits = 3 : i64, acc_bits = 6 : i64}
e3ne_hw.linear_layer "linear1" {weight = dense<[[1, -1, 2, -2], [3, 0, 0, -4]]> : tensor<2x4xi8>, src_bank = 1 : i64, dst_bank = 0 : i64, src_base = 0 : i64, dst_base = 0 : i64, c_in = 4 : i64, in_row_width = 2 : i64, c_out = 2 : i64, t_in = 4 : i64, t_out = 4 : i64, shift = 0 : i64, w_base = 0 : i64, b_base = 2 : i64, raw = 1 : i64, weight_bits = 3 : i64, acc_bits = 9 : i64}

// -----

// What a layer reads and writes lies inside the activation memory.
e3ne_hw.engine "tiny" {input_shape = array<i64: 1, 4, 4>, input_step = 6.250000e-02 : f64, input_timesteps = 4 : i64, acc_bits = 9 : i64, weight_bits = 3 : i64}
e3ne_hw.act_memory {depth = 4 : i64, row_codes = 4 : i64, code_bits = 4 : i64}
e3ne_hw.conv_unit {units = 2 : i64, cols = 4 : i64, max_kernel = 1 : i64, max_stride = 1 : i64, max_padding = 0 : i64}
e3ne_hw.pool_unit {max_window = 2 : i64}
e3ne_hw.linear_unit {lanes = 16 : i64}
e3ne_hw.weight_memory "conv_weights" {word_bits = 6 : i64, depth = 1 : i64}
e3ne_hw.weight_memory "linear_weights" {word_bits = 48 : i64, depth = 4 : i64}
e3ne_hw.weight_memory "biases" {word_bits = 10 : i64, depth = 4 : i64}
e3ne_hw.weight_memory "program" {word_bits = 32 : i64, depth = 96 : i64}
// CHECK: e3ne_hw_verify.mlir:[[# @LINE + 1]]:1: error: 'e3ne_hw.conv_layer': writes words [3, 5), past the activation memory's depth 4
e3ne_hw.conv_layer "conv1" {weight = dense<1> : tensor<1x1x1x1xi8>, bias = dense<3> : tensor<1xi8>, src_bank = 0 : i64, dst_bank = 1 : i64, src_base = 0 : i64, dst_base = 3 : i64, c_in = 1 : i64, h_in = 4 : i64, w_in = 4 : i64, kh = 1 : i64, kw = 1 : i64, sh = 1 : i64, sw = 1 : i64, ph = 0 : i64, pw = 0 : i64, c_out = 1 : i64, h_out = 4 : i64, w_out = 4 : i64, t_in = 4 : i64, t_out = 4 : i64, shift = 0 : i64, pool_mode = #e3ne_hw.pool<max>, pool_size = 2 : i64, w_base = 0 : i64, b_base = 0 : i64, raw = 0 : i64, slots = 1 : i64, weight_bits = 3 : i64, acc_bits = 6 : i64}
e3ne_hw.linear_layer "linear1" {weight = dense<[[1, -1, 2, -2], [3, 0, 0, -4]]> : tensor<2x4xi8>, src_bank = 1 : i64, dst_bank = 0 : i64, src_base = 0 : i64, dst_base = 0 : i64, c_in = 4 : i64, in_row_width = 2 : i64, c_out = 2 : i64, t_in = 4 : i64, t_out = 4 : i64, shift = 0 : i64, w_base = 0 : i64, b_base = 2 : i64, raw = 1 : i64, weight_bits = 3 : i64, acc_bits = 9 : i64}

// -----

// The conv output size follows from the input, kernel, stride and padding.
e3ne_hw.engine "tiny" {input_shape = array<i64: 1, 4, 4>, input_step = 6.250000e-02 : f64, input_timesteps = 4 : i64, acc_bits = 9 : i64, weight_bits = 3 : i64}
e3ne_hw.act_memory {depth = 4 : i64, row_codes = 4 : i64, code_bits = 4 : i64}
e3ne_hw.conv_unit {units = 2 : i64, cols = 4 : i64, max_kernel = 1 : i64, max_stride = 1 : i64, max_padding = 0 : i64}
e3ne_hw.pool_unit {max_window = 2 : i64}
e3ne_hw.linear_unit {lanes = 16 : i64}
e3ne_hw.weight_memory "conv_weights" {word_bits = 6 : i64, depth = 1 : i64}
e3ne_hw.weight_memory "linear_weights" {word_bits = 48 : i64, depth = 4 : i64}
e3ne_hw.weight_memory "biases" {word_bits = 10 : i64, depth = 4 : i64}
e3ne_hw.weight_memory "program" {word_bits = 32 : i64, depth = 96 : i64}
// CHECK: e3ne_hw_verify.mlir:[[# @LINE + 1]]:1: error: 'e3ne_hw.conv_layer': h_out, w_out must be 4, 4, got [3, 4]
e3ne_hw.conv_layer "conv1" {weight = dense<1> : tensor<1x1x1x1xi8>, bias = dense<3> : tensor<1xi8>, src_bank = 0 : i64, dst_bank = 1 : i64, src_base = 0 : i64, dst_base = 0 : i64, c_in = 1 : i64, h_in = 4 : i64, w_in = 4 : i64, kh = 1 : i64, kw = 1 : i64, sh = 1 : i64, sw = 1 : i64, ph = 0 : i64, pw = 0 : i64, c_out = 1 : i64, h_out = 3 : i64, w_out = 4 : i64, t_in = 4 : i64, t_out = 4 : i64, shift = 0 : i64, pool_mode = #e3ne_hw.pool<max>, pool_size = 2 : i64, w_base = 0 : i64, b_base = 0 : i64, raw = 0 : i64, slots = 1 : i64, weight_bits = 3 : i64, acc_bits = 6 : i64}
e3ne_hw.linear_layer "linear1" {weight = dense<[[1, -1, 2, -2], [3, 0, 0, -4]]> : tensor<2x4xi8>, src_bank = 1 : i64, dst_bank = 0 : i64, src_base = 0 : i64, dst_base = 0 : i64, c_in = 4 : i64, in_row_width = 2 : i64, c_out = 2 : i64, t_in = 4 : i64, t_out = 4 : i64, shift = 0 : i64, w_base = 0 : i64, b_base = 2 : i64, raw = 1 : i64, weight_bits = 3 : i64, acc_bits = 9 : i64}

// -----

// Weights fit weight_bits.
e3ne_hw.engine "tiny" {input_shape = array<i64: 1, 4, 4>, input_step = 6.250000e-02 : f64, input_timesteps = 4 : i64, acc_bits = 9 : i64, weight_bits = 3 : i64}
e3ne_hw.act_memory {depth = 4 : i64, row_codes = 4 : i64, code_bits = 4 : i64}
e3ne_hw.conv_unit {units = 2 : i64, cols = 4 : i64, max_kernel = 1 : i64, max_stride = 1 : i64, max_padding = 0 : i64}
e3ne_hw.pool_unit {max_window = 2 : i64}
e3ne_hw.linear_unit {lanes = 16 : i64}
e3ne_hw.weight_memory "conv_weights" {word_bits = 6 : i64, depth = 1 : i64}
e3ne_hw.weight_memory "linear_weights" {word_bits = 48 : i64, depth = 4 : i64}
e3ne_hw.weight_memory "biases" {word_bits = 10 : i64, depth = 4 : i64}
e3ne_hw.weight_memory "program" {word_bits = 32 : i64, depth = 96 : i64}
e3ne_hw.conv_layer "conv1" {weight = dense<1> : tensor<1x1x1x1xi8>, bias = dense<3> : tensor<1xi8>, src_bank = 0 : i64, dst_bank = 1 : i64, src_base = 0 : i64, dst_base = 0 : i64, c_in = 1 : i64, h_in = 4 : i64, w_in = 4 : i64, kh = 1 : i64, kw = 1 : i64, sh = 1 : i64, sw = 1 : i64, ph = 0 : i64, pw = 0 : i64, c_out = 1 : i64, h_out = 4 : i64, w_out = 4 : i64, t_in = 4 : i64, t_out = 4 : i64, shift = 0 : i64, pool_mode = #e3ne_hw.pool<max>, pool_size = 2 : i64, w_base = 0 : i64, b_base = 0 : i64, raw = 0 : i64, slots = 1 : i64, weight_bits = 3 : i64, acc_bits = 6 : i64}
// CHECK: e3ne_hw_verify.mlir:[[# @LINE + 1]]:1: error: 'e3ne_hw.linear_layer': weights [-5, 3] exceed weight_bits 3
e3ne_hw.linear_layer "linear1" {weight = dense<[[1, -1, 2, -2], [3, 0, 0, -5]]> : tensor<2x4xi8>, src_bank = 1 : i64, dst_bank = 0 : i64, src_base = 0 : i64, dst_base = 0 : i64, c_in = 4 : i64, in_row_width = 2 : i64, c_out = 2 : i64, t_in = 4 : i64, t_out = 4 : i64, shift = 0 : i64, w_base = 0 : i64, b_base = 2 : i64, raw = 1 : i64, weight_bits = 3 : i64, acc_bits = 9 : i64}

// -----

// Only the last layer is raw.
// CHECK: e3ne_hw_verify.mlir:[[# @LINE + 1]]:1: error: 'e3ne_hw.engine': exactly the last layer must be raw (1, or 3 with its ReLU: it emits the logits)
e3ne_hw.engine "tiny" {input_shape = array<i64: 1, 4, 4>, input_step = 6.250000e-02 : f64, input_timesteps = 4 : i64, acc_bits = 9 : i64, weight_bits = 3 : i64}
e3ne_hw.act_memory {depth = 4 : i64, row_codes = 4 : i64, code_bits = 4 : i64}
e3ne_hw.conv_unit {units = 2 : i64, cols = 4 : i64, max_kernel = 1 : i64, max_stride = 1 : i64, max_padding = 0 : i64}
e3ne_hw.pool_unit {max_window = 2 : i64}
e3ne_hw.linear_unit {lanes = 16 : i64}
e3ne_hw.weight_memory "conv_weights" {word_bits = 6 : i64, depth = 1 : i64}
e3ne_hw.weight_memory "linear_weights" {word_bits = 48 : i64, depth = 4 : i64}
e3ne_hw.weight_memory "biases" {word_bits = 10 : i64, depth = 4 : i64}
e3ne_hw.weight_memory "program" {word_bits = 32 : i64, depth = 96 : i64}
e3ne_hw.conv_layer "conv1" {weight = dense<1> : tensor<1x1x1x1xi8>, bias = dense<3> : tensor<1xi8>, src_bank = 0 : i64, dst_bank = 1 : i64, src_base = 0 : i64, dst_base = 0 : i64, c_in = 1 : i64, h_in = 4 : i64, w_in = 4 : i64, kh = 1 : i64, kw = 1 : i64, sh = 1 : i64, sw = 1 : i64, ph = 0 : i64, pw = 0 : i64, c_out = 1 : i64, h_out = 4 : i64, w_out = 4 : i64, t_in = 4 : i64, t_out = 4 : i64, shift = 0 : i64, pool_mode = #e3ne_hw.pool<max>, pool_size = 2 : i64, w_base = 0 : i64, b_base = 0 : i64, raw = 0 : i64, slots = 1 : i64, weight_bits = 3 : i64, acc_bits = 6 : i64}
e3ne_hw.linear_layer "linear1" {weight = dense<[[1, -1, 2, -2], [3, 0, 0, -4]]> : tensor<2x4xi8>, src_bank = 1 : i64, dst_bank = 0 : i64, src_base = 0 : i64, dst_base = 0 : i64, c_in = 4 : i64, in_row_width = 2 : i64, c_out = 2 : i64, t_in = 4 : i64, t_out = 4 : i64, shift = 0 : i64, w_base = 0 : i64, b_base = 2 : i64, raw = 0 : i64, weight_bits = 3 : i64, acc_bits = 9 : i64}

// -----

// Layers fit the units.
// CHECK: e3ne_hw_verify.mlir:[[# @LINE + 1]]:1: error: 'e3ne_hw.engine': conv layer 'conv1' pools over 2 > max_window
e3ne_hw.engine "tiny" {input_shape = array<i64: 1, 4, 4>, input_step = 6.250000e-02 : f64, input_timesteps = 4 : i64, acc_bits = 9 : i64, weight_bits = 3 : i64}
e3ne_hw.act_memory {depth = 4 : i64, row_codes = 4 : i64, code_bits = 4 : i64}
e3ne_hw.conv_unit {units = 2 : i64, cols = 4 : i64, max_kernel = 1 : i64, max_stride = 1 : i64, max_padding = 0 : i64}
e3ne_hw.pool_unit {max_window = 1 : i64}
e3ne_hw.linear_unit {lanes = 16 : i64}
e3ne_hw.weight_memory "conv_weights" {word_bits = 6 : i64, depth = 1 : i64}
e3ne_hw.weight_memory "linear_weights" {word_bits = 48 : i64, depth = 4 : i64}
e3ne_hw.weight_memory "biases" {word_bits = 10 : i64, depth = 4 : i64}
e3ne_hw.weight_memory "program" {word_bits = 32 : i64, depth = 96 : i64}
e3ne_hw.conv_layer "conv1" {weight = dense<1> : tensor<1x1x1x1xi8>, bias = dense<3> : tensor<1xi8>, src_bank = 0 : i64, dst_bank = 1 : i64, src_base = 0 : i64, dst_base = 0 : i64, c_in = 1 : i64, h_in = 4 : i64, w_in = 4 : i64, kh = 1 : i64, kw = 1 : i64, sh = 1 : i64, sw = 1 : i64, ph = 0 : i64, pw = 0 : i64, c_out = 1 : i64, h_out = 4 : i64, w_out = 4 : i64, t_in = 4 : i64, t_out = 4 : i64, shift = 0 : i64, pool_mode = #e3ne_hw.pool<max>, pool_size = 2 : i64, w_base = 0 : i64, b_base = 0 : i64, raw = 0 : i64, slots = 1 : i64, weight_bits = 3 : i64, acc_bits = 6 : i64}
e3ne_hw.linear_layer "linear1" {weight = dense<[[1, -1, 2, -2], [3, 0, 0, -4]]> : tensor<2x4xi8>, src_bank = 1 : i64, dst_bank = 0 : i64, src_base = 0 : i64, dst_base = 0 : i64, c_in = 4 : i64, in_row_width = 2 : i64, c_out = 2 : i64, t_in = 4 : i64, t_out = 4 : i64, shift = 0 : i64, w_base = 0 : i64, b_base = 2 : i64, raw = 1 : i64, weight_bits = 3 : i64, acc_bits = 9 : i64}

// -----

// Average pooling over power-of-two windows.
e3ne_hw.engine "tiny" {input_shape = array<i64: 1, 4, 4>, input_step = 6.250000e-02 : f64, input_timesteps = 4 : i64, acc_bits = 9 : i64, weight_bits = 3 : i64}
e3ne_hw.act_memory {depth = 4 : i64, row_codes = 4 : i64, code_bits = 4 : i64}
e3ne_hw.conv_unit {units = 2 : i64, cols = 4 : i64, max_kernel = 1 : i64, max_stride = 1 : i64, max_padding = 0 : i64}
e3ne_hw.pool_unit {max_window = 4 : i64}
e3ne_hw.linear_unit {lanes = 16 : i64}
e3ne_hw.weight_memory "conv_weights" {word_bits = 6 : i64, depth = 1 : i64}
e3ne_hw.weight_memory "linear_weights" {word_bits = 48 : i64, depth = 4 : i64}
e3ne_hw.weight_memory "biases" {word_bits = 10 : i64, depth = 4 : i64}
e3ne_hw.weight_memory "program" {word_bits = 32 : i64, depth = 96 : i64}
// CHECK: e3ne_hw_verify.mlir:[[# @LINE + 1]]:1: error: 'e3ne_hw.conv_layer': average pooling needs a power-of-two window, got 3
e3ne_hw.conv_layer "conv1" {weight = dense<1> : tensor<1x1x1x1xi8>, bias = dense<3> : tensor<1xi8>, src_bank = 0 : i64, dst_bank = 1 : i64, src_base = 0 : i64, dst_base = 0 : i64, c_in = 1 : i64, h_in = 4 : i64, w_in = 4 : i64, kh = 1 : i64, kw = 1 : i64, sh = 1 : i64, sw = 1 : i64, ph = 0 : i64, pw = 0 : i64, c_out = 1 : i64, h_out = 4 : i64, w_out = 4 : i64, t_in = 4 : i64, t_out = 4 : i64, shift = 0 : i64, pool_mode = #e3ne_hw.pool<avg>, pool_size = 3 : i64, w_base = 0 : i64, b_base = 0 : i64, raw = 0 : i64, slots = 1 : i64, weight_bits = 3 : i64, acc_bits = 6 : i64}
e3ne_hw.linear_layer "linear1" {weight = dense<[[1, -1, 2, -2], [3, 0, 0, -4]]> : tensor<2x4xi8>, src_bank = 1 : i64, dst_bank = 0 : i64, src_base = 0 : i64, dst_base = 0 : i64, c_in = 4 : i64, in_row_width = 2 : i64, c_out = 2 : i64, t_in = 4 : i64, t_out = 4 : i64, shift = 0 : i64, w_base = 0 : i64, b_base = 2 : i64, raw = 1 : i64, weight_bits = 3 : i64, acc_bits = 9 : i64}

// -----

// Units, memories and layers belong to the engine before them.
// CHECK: e3ne_hw_verify.mlir:[[# @LINE + 1]]:1: error: 'e3ne_hw.act_memory': must follow an e3ne_hw.engine in the same block (the engine it belongs to)
e3ne_hw.act_memory {depth = 4 : i64, row_codes = 4 : i64, code_bits = 4 : i64}
e3ne_hw.conv_unit {units = 2 : i64, cols = 4 : i64, max_kernel = 1 : i64, max_stride = 1 : i64, max_padding = 0 : i64}
e3ne_hw.pool_unit {max_window = 2 : i64}
e3ne_hw.linear_unit {lanes = 16 : i64}
e3ne_hw.weight_memory "conv_weights" {word_bits = 6 : i64, depth = 1 : i64}
e3ne_hw.weight_memory "linear_weights" {word_bits = 48 : i64, depth = 4 : i64}
e3ne_hw.weight_memory "biases" {word_bits = 10 : i64, depth = 4 : i64}
e3ne_hw.weight_memory "program" {word_bits = 32 : i64, depth = 96 : i64}
e3ne_hw.conv_layer "conv1" {weight = dense<1> : tensor<1x1x1x1xi8>, bias = dense<3> : tensor<1xi8>, src_bank = 0 : i64, dst_bank = 1 : i64, src_base = 0 : i64, dst_base = 0 : i64, c_in = 1 : i64, h_in = 4 : i64, w_in = 4 : i64, kh = 1 : i64, kw = 1 : i64, sh = 1 : i64, sw = 1 : i64, ph = 0 : i64, pw = 0 : i64, c_out = 1 : i64, h_out = 4 : i64, w_out = 4 : i64, t_in = 4 : i64, t_out = 4 : i64, shift = 0 : i64, pool_mode = #e3ne_hw.pool<max>, pool_size = 2 : i64, w_base = 0 : i64, b_base = 0 : i64, raw = 0 : i64, slots = 1 : i64, weight_bits = 3 : i64, acc_bits = 6 : i64}
e3ne_hw.linear_layer "linear1" {weight = dense<[[1, -1, 2, -2], [3, 0, 0, -4]]> : tensor<2x4xi8>, src_bank = 1 : i64, dst_bank = 0 : i64, src_base = 0 : i64, dst_base = 0 : i64, c_in = 4 : i64, in_row_width = 2 : i64, c_out = 2 : i64, t_in = 4 : i64, t_out = 4 : i64, shift = 0 : i64, w_base = 0 : i64, b_base = 2 : i64, raw = 1 : i64, weight_bits = 3 : i64, acc_bits = 9 : i64}

// -----

// The recorded core parameters agree with the units.
// CHECK: e3ne_hw_verify.mlir:[[# @LINE + 1]]:1: error: 'e3ne_hw.engine': params CU = 3, but the units, memories and layers need 2
e3ne_hw.engine "tiny" {input_shape = array<i64: 1, 4, 4>, input_step = 6.250000e-02 : f64, input_timesteps = 4 : i64, acc_bits = 9 : i64, weight_bits = 3 : i64, params = {TMAX = 4 : i64, ROWW = 4 : i64, ADEPTH = 4 : i64, COLS = 4 : i64, CU = 3 : i64, SLOTS = 1 : i64, SLOT_SET = 2 : i64, LANES = 16 : i64, WB = 3 : i64, ACC = 9 : i64, KMAX = 1 : i64, SMAX = 1 : i64, PMAX = 0 : i64, PKMAX = 2 : i64, PBANKS = 1 : i64, CWDEPTH = 2 : i64, LWDEPTH = 4 : i64, BDEPTH = 4 : i64, PDEPTH = 96 : i64, HAS_CONV = 1 : i64, HAS_LINEAR = 1 : i64, DW = 4 : i64, KBITS = 8 : i64, HAS_SIGNED = 0 : i64}}
e3ne_hw.act_memory {depth = 4 : i64, row_codes = 4 : i64, code_bits = 4 : i64}
e3ne_hw.conv_unit {units = 2 : i64, cols = 4 : i64, max_kernel = 1 : i64, max_stride = 1 : i64, max_padding = 0 : i64}
e3ne_hw.pool_unit {max_window = 2 : i64}
e3ne_hw.linear_unit {lanes = 16 : i64}
e3ne_hw.weight_memory "conv_weights" {word_bits = 6 : i64, depth = 1 : i64}
e3ne_hw.weight_memory "linear_weights" {word_bits = 48 : i64, depth = 4 : i64}
e3ne_hw.weight_memory "biases" {word_bits = 10 : i64, depth = 4 : i64}
e3ne_hw.weight_memory "program" {word_bits = 32 : i64, depth = 96 : i64}
e3ne_hw.conv_layer "conv1" {weight = dense<1> : tensor<1x1x1x1xi8>, bias = dense<3> : tensor<1xi8>, src_bank = 0 : i64, dst_bank = 1 : i64, src_base = 0 : i64, dst_base = 0 : i64, c_in = 1 : i64, h_in = 4 : i64, w_in = 4 : i64, kh = 1 : i64, kw = 1 : i64, sh = 1 : i64, sw = 1 : i64, ph = 0 : i64, pw = 0 : i64, c_out = 1 : i64, h_out = 4 : i64, w_out = 4 : i64, t_in = 4 : i64, t_out = 4 : i64, shift = 0 : i64, pool_mode = #e3ne_hw.pool<max>, pool_size = 2 : i64, w_base = 0 : i64, b_base = 0 : i64, raw = 0 : i64, slots = 1 : i64, weight_bits = 3 : i64, acc_bits = 6 : i64}
e3ne_hw.linear_layer "linear1" {weight = dense<[[1, -1, 2, -2], [3, 0, 0, -4]]> : tensor<2x4xi8>, src_bank = 1 : i64, dst_bank = 0 : i64, src_base = 0 : i64, dst_base = 0 : i64, c_in = 4 : i64, in_row_width = 2 : i64, c_out = 2 : i64, t_in = 4 : i64, t_out = 4 : i64, shift = 0 : i64, w_base = 0 : i64, b_base = 2 : i64, raw = 1 : i64, weight_bits = 3 : i64, acc_bits = 9 : i64}

// -----

// Every core parameter is recorded.
// CHECK: e3ne_hw_verify.mlir:[[# @LINE + 1]]:1: error: 'e3ne_hw.engine': params must name exactly the core parameters (missing ['HAS_SIGNED', 'KBITS'], unknown [])
e3ne_hw.engine "tiny" {input_shape = array<i64: 1, 4, 4>, input_step = 6.250000e-02 : f64, input_timesteps = 4 : i64, acc_bits = 9 : i64, weight_bits = 3 : i64, params = {TMAX = 4 : i64, ROWW = 4 : i64, ADEPTH = 4 : i64, COLS = 4 : i64, CU = 2 : i64, SLOTS = 1 : i64, SLOT_SET = 2 : i64, LANES = 16 : i64, WB = 3 : i64, ACC = 9 : i64, KMAX = 1 : i64, SMAX = 1 : i64, PMAX = 0 : i64, PKMAX = 2 : i64, PBANKS = 1 : i64, CWDEPTH = 2 : i64, LWDEPTH = 4 : i64, BDEPTH = 4 : i64, PDEPTH = 96 : i64, HAS_CONV = 1 : i64, HAS_LINEAR = 1 : i64, DW = 4 : i64}}
e3ne_hw.act_memory {depth = 4 : i64, row_codes = 4 : i64, code_bits = 4 : i64}
e3ne_hw.conv_unit {units = 2 : i64, cols = 4 : i64, max_kernel = 1 : i64, max_stride = 1 : i64, max_padding = 0 : i64}
e3ne_hw.pool_unit {max_window = 2 : i64}
e3ne_hw.linear_unit {lanes = 16 : i64}
e3ne_hw.weight_memory "conv_weights" {word_bits = 6 : i64, depth = 1 : i64}
e3ne_hw.weight_memory "linear_weights" {word_bits = 48 : i64, depth = 4 : i64}
e3ne_hw.weight_memory "biases" {word_bits = 10 : i64, depth = 4 : i64}
e3ne_hw.weight_memory "program" {word_bits = 32 : i64, depth = 96 : i64}
e3ne_hw.conv_layer "conv1" {weight = dense<1> : tensor<1x1x1x1xi8>, bias = dense<3> : tensor<1xi8>, src_bank = 0 : i64, dst_bank = 1 : i64, src_base = 0 : i64, dst_base = 0 : i64, c_in = 1 : i64, h_in = 4 : i64, w_in = 4 : i64, kh = 1 : i64, kw = 1 : i64, sh = 1 : i64, sw = 1 : i64, ph = 0 : i64, pw = 0 : i64, c_out = 1 : i64, h_out = 4 : i64, w_out = 4 : i64, t_in = 4 : i64, t_out = 4 : i64, shift = 0 : i64, pool_mode = #e3ne_hw.pool<max>, pool_size = 2 : i64, w_base = 0 : i64, b_base = 0 : i64, raw = 0 : i64, slots = 1 : i64, weight_bits = 3 : i64, acc_bits = 6 : i64}
e3ne_hw.linear_layer "linear1" {weight = dense<[[1, -1, 2, -2], [3, 0, 0, -4]]> : tensor<2x4xi8>, src_bank = 1 : i64, dst_bank = 0 : i64, src_base = 0 : i64, dst_base = 0 : i64, c_in = 4 : i64, in_row_width = 2 : i64, c_out = 2 : i64, t_in = 4 : i64, t_out = 4 : i64, shift = 0 : i64, w_base = 0 : i64, b_base = 2 : i64, raw = 1 : i64, weight_bits = 3 : i64, acc_bits = 9 : i64}

// -----

// A raw conv layer emits V + b by output channel: it needs one output position and no pooling.
e3ne_hw.engine "tiny" {input_shape = array<i64: 1, 4, 4>, input_step = 6.250000e-02 : f64, input_timesteps = 4 : i64, acc_bits = 9 : i64, weight_bits = 3 : i64}
e3ne_hw.act_memory {depth = 4 : i64, row_codes = 4 : i64, code_bits = 4 : i64}
e3ne_hw.conv_unit {units = 2 : i64, cols = 4 : i64, max_kernel = 1 : i64, max_stride = 1 : i64, max_padding = 0 : i64}
e3ne_hw.pool_unit {max_window = 2 : i64}
e3ne_hw.weight_memory "conv_weights" {word_bits = 6 : i64, depth = 1 : i64}
e3ne_hw.weight_memory "biases" {word_bits = 10 : i64, depth = 2 : i64}
e3ne_hw.weight_memory "program" {word_bits = 32 : i64, depth = 64 : i64}
// CHECK: e3ne_hw_verify.mlir:[[# @LINE + 1]]:1: error: 'e3ne_hw.conv_layer': a raw conv layer needs one output position and no pooling (its V + b go out by output channel), got h_out, w_out [4, 4] and pool_mode max
e3ne_hw.conv_layer "conv1" {weight = dense<1> : tensor<1x1x1x1xi8>, src_bank = 0 : i64, dst_bank = 1 : i64, src_base = 0 : i64, dst_base = 0 : i64, c_in = 1 : i64, h_in = 4 : i64, w_in = 4 : i64, kh = 1 : i64, kw = 1 : i64, sh = 1 : i64, sw = 1 : i64, ph = 0 : i64, pw = 0 : i64, c_out = 1 : i64, h_out = 4 : i64, w_out = 4 : i64, t_in = 4 : i64, t_out = 4 : i64, shift = 0 : i64, pool_mode = #e3ne_hw.pool<max>, pool_size = 2 : i64, w_base = 0 : i64, b_base = 0 : i64, raw = 1 : i64, slots = 1 : i64, weight_bits = 3 : i64, acc_bits = 6 : i64}

// -----

// An engine without a linear unit runs only conv layers.
// CHECK: e3ne_hw_verify.mlir:[[# @LINE + 1]]:1: error: 'e3ne_hw.engine': linear layer 'linear1' needs an e3ne_hw.linear_unit
e3ne_hw.engine "tiny" {input_shape = array<i64: 1, 4, 4>, input_step = 6.250000e-02 : f64, input_timesteps = 4 : i64, acc_bits = 9 : i64, weight_bits = 3 : i64}
e3ne_hw.act_memory {depth = 4 : i64, row_codes = 4 : i64, code_bits = 4 : i64}
e3ne_hw.conv_unit {units = 2 : i64, cols = 4 : i64, max_kernel = 1 : i64, max_stride = 1 : i64, max_padding = 0 : i64}
e3ne_hw.weight_memory "conv_weights" {word_bits = 6 : i64, depth = 1 : i64}
e3ne_hw.weight_memory "biases" {word_bits = 10 : i64, depth = 4 : i64}
e3ne_hw.weight_memory "program" {word_bits = 32 : i64, depth = 96 : i64}
e3ne_hw.conv_layer "conv1" {weight = dense<1> : tensor<1x1x1x1xi8>, bias = dense<3> : tensor<1xi8>, src_bank = 0 : i64, dst_bank = 1 : i64, src_base = 0 : i64, dst_base = 0 : i64, c_in = 1 : i64, h_in = 4 : i64, w_in = 4 : i64, kh = 1 : i64, kw = 1 : i64, sh = 1 : i64, sw = 1 : i64, ph = 0 : i64, pw = 0 : i64, c_out = 1 : i64, h_out = 4 : i64, w_out = 4 : i64, t_in = 4 : i64, t_out = 4 : i64, shift = 0 : i64, pool_mode = #e3ne_hw.pool<none>, pool_size = 1 : i64, w_base = 0 : i64, b_base = 0 : i64, raw = 0 : i64, slots = 1 : i64, weight_bits = 3 : i64, acc_bits = 6 : i64}
e3ne_hw.linear_layer "linear1" {weight = dense<[[1, -1, 2, -2], [3, 0, 0, -4]]> : tensor<2x4xi8>, src_bank = 1 : i64, dst_bank = 0 : i64, src_base = 0 : i64, dst_base = 0 : i64, c_in = 4 : i64, in_row_width = 2 : i64, c_out = 2 : i64, t_in = 4 : i64, t_out = 4 : i64, shift = 0 : i64, w_base = 0 : i64, b_base = 2 : i64, raw = 1 : i64, weight_bits = 3 : i64, acc_bits = 9 : i64}
