// Every e3ne_hw op round-trips in pretty and generic form: an engine, its units and memories,
// its layer program and the memory images and params prepare-verilog adds.
// RUN: %roundtrip | filecheck %s
// RUN: %roundtrip-generic | filecheck %s
// RUN: e3ne-opt %s --print-op-generic | filecheck %s --check-prefix=GENERIC

e3ne_hw.engine "tiny" {input_shape = array<i64: 1, 4, 4>, input_step = 6.250000e-02 : f64, input_timesteps = 4 : i64, acc_bits = 9 : i64, weight_bits = 3 : i64, params = {TMAX = 4 : i64, ROWW = 4 : i64, ADEPTH = 4 : i64, COLS = 4 : i64, CU = 2 : i64, SLOTS = 1 : i64, SLOT_SET = 2 : i64, LANES = 16 : i64, WB = 3 : i64, ACC = 9 : i64, KMAX = 1 : i64, SMAX = 1 : i64, PMAX = 0 : i64, PKMAX = 2 : i64, PBANKS = 1 : i64, CWDEPTH = 2 : i64, LWDEPTH = 4 : i64, BDEPTH = 4 : i64, PDEPTH = 96 : i64, HAS_CONV = 1 : i64, HAS_LINEAR = 1 : i64, DW = 4 : i64, KBITS = 8 : i64, HAS_SIGNED = 0 : i64}}
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
e3ne_hw.memory_image "conv_weights" {image = dense<1> : tensor<1x1xi8>, word_bits = 6 : i64}
e3ne_hw.memory_image "linear_weights" {image = dense<[[25, 0, 0, 0, 0, 0], [7, 0, 0, 0, 0, 0], [2, 0, 0, 0, 0, 0], [38, 0, 0, 0, 0, 0]]> : tensor<4x6xi8>, word_bits = 48 : i64}
e3ne_hw.memory_image "biases" {image = dense<[[3, 0], [0, 0], [0, 0], [0, 0]]> : tensor<4x2xi8>, word_bits = 10 : i64}
e3ne_hw.memory_image "program" {image = dense<"0x010000000000000001000000000000000000000001000000040000000400000001000000010000000100000001000000000000000000000001000000040000000400000004000000040000000000000001000000020000000000000000000000000000000100000001000000020000000000000000000000000000000000000002000000010000000000000000000000000000000400000000000000020000000000000000000000000000000000000000000000000000000200000000000000000000000400000004000000000000000000000000000000000000000200000001000000010000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"> : tensor<96x4xi8>, word_bits = 32 : i64}

// CHECK:      e3ne_hw.engine "tiny" {input_shape = array<i64: 1, 4, 4>, input_step = 6.250000e-02 : f64, input_timesteps = 4 : i64, acc_bits = 9 : i64, weight_bits = 3 : i64, params = {TMAX = 4 : i64, ROWW = 4 : i64, ADEPTH = 4 : i64, COLS = 4 : i64, CU = 2 : i64, SLOTS = 1 : i64, SLOT_SET = 2 : i64, LANES = 16 : i64, WB = 3 : i64, ACC = 9 : i64, KMAX = 1 : i64, SMAX = 1 : i64, PMAX = 0 : i64, PKMAX = 2 : i64, PBANKS = 1 : i64, CWDEPTH = 2 : i64, LWDEPTH = 4 : i64, BDEPTH = 4 : i64, PDEPTH = 96 : i64, HAS_CONV = 1 : i64, HAS_LINEAR = 1 : i64, DW = 4 : i64, KBITS = 8 : i64, HAS_SIGNED = 0 : i64}}
// CHECK-NEXT: e3ne_hw.act_memory {depth = 4 : i64, row_codes = 4 : i64, code_bits = 4 : i64}
// CHECK-NEXT: e3ne_hw.conv_unit {units = 2 : i64, cols = 4 : i64, max_kernel = 1 : i64, max_stride = 1 : i64, max_padding = 0 : i64}
// CHECK-NEXT: e3ne_hw.pool_unit {max_window = 2 : i64}
// CHECK-NEXT: e3ne_hw.linear_unit {lanes = 16 : i64}
// CHECK-NEXT: e3ne_hw.weight_memory "conv_weights" {word_bits = 6 : i64, depth = 1 : i64}
// CHECK-NEXT: e3ne_hw.weight_memory "linear_weights" {word_bits = 48 : i64, depth = 4 : i64}
// CHECK-NEXT: e3ne_hw.weight_memory "biases" {word_bits = 10 : i64, depth = 4 : i64}
// CHECK-NEXT: e3ne_hw.weight_memory "program" {word_bits = 32 : i64, depth = 96 : i64}
// CHECK-NEXT: e3ne_hw.conv_layer "conv1" {weight = dense<1> : tensor<1x1x1x1xi8>, bias = dense<3> : tensor<1xi8>, src_bank = 0 : i64, dst_bank = 1 : i64, src_base = 0 : i64, dst_base = 0 : i64, c_in = 1 : i64, h_in = 4 : i64, w_in = 4 : i64, kh = 1 : i64, kw = 1 : i64, sh = 1 : i64, sw = 1 : i64, ph = 0 : i64, pw = 0 : i64, c_out = 1 : i64, h_out = 4 : i64, w_out = 4 : i64, t_in = 4 : i64, t_out = 4 : i64, shift = 0 : i64, pool_mode = #e3ne_hw.pool<max>, pool_size = 2 : i64, w_base = 0 : i64, b_base = 0 : i64, raw = 0 : i64, slots = 1 : i64, weight_bits = 3 : i64, acc_bits = 6 : i64}
// CHECK-NEXT: e3ne_hw.linear_layer "linear1" {weight = dense<{{\[}}[1, -1, 2, -2], [3, 0, 0, -4]]> : tensor<2x4xi8>, src_bank = 1 : i64, dst_bank = 0 : i64, src_base = 0 : i64, dst_base = 0 : i64, c_in = 4 : i64, in_row_width = 2 : i64, c_out = 2 : i64, t_in = 4 : i64, t_out = 4 : i64, shift = 0 : i64, w_base = 0 : i64, b_base = 2 : i64, raw = 1 : i64, weight_bits = 3 : i64, acc_bits = 9 : i64}
// CHECK-NEXT: e3ne_hw.memory_image "conv_weights" {image = dense<1> : tensor<1x1xi8>, word_bits = 6 : i64}
// CHECK-NEXT: e3ne_hw.memory_image "linear_weights" {image = dense<{{\[}}[25, 0, 0, 0, 0, 0], [7, 0, 0, 0, 0, 0], [2, 0, 0, 0, 0, 0], [38, 0, 0, 0, 0, 0]]> : tensor<4x6xi8>, word_bits = 48 : i64}
// CHECK-NEXT: e3ne_hw.memory_image "biases" {image = dense<{{\[}}[3, 0], [0, 0], [0, 0], [0, 0]]> : tensor<4x2xi8>, word_bits = 10 : i64}
// CHECK-NEXT: e3ne_hw.memory_image "program" {image = dense<"0x01000000{{.*}}"> : tensor<96x4xi8>, word_bits = 32 : i64}

// The generic form spells the pool mode as a string (what upstream MLIR parses through IRDL).
// GENERIC: "e3ne_hw.conv_layer"() <{{{.*}}pool_mode = #e3ne_hw.pool<"max">{{.*}}}> : () -> ()
