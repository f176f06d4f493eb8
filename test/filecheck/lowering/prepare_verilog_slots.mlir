// prepare-verilog with channel slots: a conv layer of 2 slots (3 channels of 4 columns side by side
// in 8 lanes) packs its weights into words of CU*SLOTS fields and its biases a whole group at a time;
// a layer whose output row does not fit a slot is an error that names it.
// RUN: e3ne-opt %s -p prepare-verilog | filecheck %s
// RUN: sed 's/slots = 2/slots = 4/' %s | not e3ne-opt -p prepare-verilog 2>&1 | filecheck %s --check-prefix=ERR

e3ne_hw.engine "main" {input_shape = array<i64: 1, 4, 4>, input_step = 6.250000e-02 : f64, input_timesteps = 4 : i64, acc_bits = 10 : i64, weight_bits = 3 : i64}
e3ne_hw.act_memory {depth = 8 : i64, row_codes = 4 : i64, code_bits = 4 : i64}
e3ne_hw.conv_unit {units = 2 : i64, cols = 8 : i64, max_kernel = 3 : i64, max_stride = 1 : i64, max_padding = 1 : i64}
e3ne_hw.pool_unit {max_window = 2 : i64}
e3ne_hw.linear_unit {lanes = 16 : i64}
e3ne_hw.weight_memory "conv_weights" {word_bits = 12 : i64, depth = 9 : i64}
e3ne_hw.weight_memory "linear_weights" {word_bits = 48 : i64, depth = 17 : i64}
e3ne_hw.weight_memory "biases" {word_bits = 11 : i64, depth = 12 : i64}
e3ne_hw.weight_memory "program" {word_bits = 32 : i64, depth = 128 : i64}
e3ne_hw.conv_layer "conv1" {weight = dense<[[[[1, 1, 1], [1, 1, 1], [1, 1, 1]]], [[[2, 2, 2], [2, 2, 2], [2, 2, 2]]], [[[3, 3, 3], [3, 3, 3], [3, 3, 3]]]]> : tensor<3x1x3x3xi8>, bias = dense<[5, -7, 1]> : tensor<3xi8>, src_bank = 0 : i64, dst_bank = 1 : i64, src_base = 0 : i64, dst_base = 0 : i64, c_in = 1 : i64, h_in = 4 : i64, w_in = 4 : i64, kh = 3 : i64, kw = 3 : i64, sh = 1 : i64, sw = 1 : i64, ph = 1 : i64, pw = 1 : i64, c_out = 3 : i64, h_out = 4 : i64, w_out = 4 : i64, t_in = 4 : i64, t_out = 4 : i64, shift = 3 : i64, pool_mode = #e3ne_hw.pool<max>, pool_size = 2 : i64, w_base = 0 : i64, b_base = 0 : i64, raw = 0 : i64, slots = 2 : i64, weight_bits = 3 : i64, acc_bits = 10 : i64}
e3ne_hw.linear_layer "linear1" {weight = dense<1> : tensor<5x12xi8>, src_bank = 1 : i64, dst_bank = 0 : i64, src_base = 0 : i64, dst_base = 0 : i64, c_in = 12 : i64, in_row_width = 2 : i64, c_out = 5 : i64, t_in = 4 : i64, t_out = 4 : i64, shift = 2 : i64, w_base = 0 : i64, b_base = 4 : i64, raw = 0 : i64, weight_bits = 3 : i64, acc_bits = 10 : i64}
e3ne_hw.linear_layer "linear2" {weight = dense<-4> : tensor<3x5xi8>, src_bank = 0 : i64, dst_bank = 1 : i64, src_base = 0 : i64, dst_base = 0 : i64, c_in = 5 : i64, in_row_width = 4 : i64, c_out = 3 : i64, t_in = 4 : i64, t_out = 4 : i64, shift = 0 : i64, w_base = 12 : i64, b_base = 9 : i64, raw = 1 : i64, weight_bits = 3 : i64, acc_bits = 10 : i64}

// CHECK:      e3ne_hw.engine "main" {{{.*}}, params = {TMAX = 4 : i64, ROWW = 4 : i64, ADEPTH = 8 : i64, COLS = 8 : i64, CU = 2 : i64, SLOTS = 2 : i64, SLOT_SET = 4 : i64,
// Group 0 holds channels 0, 1 (slot 0) and 2 (slot 1, unit 0) in fields 0 .. 2 of 3 bits; field 3
// (channel 3) is 0: 001 | 010 << 3 | 011 << 6 = 209, every tap alike.
// CHECK:      e3ne_hw.memory_image "conv_weights" {image = dense<{{\[}}[-47, 0], [-47, 0], [-47, 0], [-47, 0], [-47, 0], [-47, 0], [-47, 0], [-47, 0], [-47, 0]]> : tensor<9x2xi8>, word_bits = 12 : i64}
// Biases b' = b + 2^(k-1) (k = 3) of the group's CU*S = 4 channels: 9, -3 (0x7fd), 5 and, past c_out, 4.
// CHECK:      e3ne_hw.memory_image "biases" {image = dense<{{\[}}[9, 0], [-3, 7], [5, 0], [4, 0], [2, 0],
// The program: conv1's 30 fields, 4 bytes each, little-endian; the last two are slots = 2 and
// slot_width = 4 (groups = 1, col_tiles = 1, h_store = 2 before them).
// CHECK:      e3ne_hw.memory_image "program" {image = dense<"0x010000000000000001000000000000000000000001000000040000000400000003000000030000000100000001000000010000000100000003000000040000000400000004000000040000000300000001000000020000000000000000000000000000000100000001000000020000000200000004000000

// ERR: {{.*}}:16:1: error: 'e3ne_hw.conv_layer': w_out 4 does not fit a slot of 2 lanes (4 slots)
