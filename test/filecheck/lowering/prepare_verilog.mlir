// prepare-verilog records the e3ne_core parameters the engine's units, memories and layers imply
// (the engine's params) and packs every ROM into an e3ne_hw.memory_image, after the engine's parts.
// RUN: e3ne-opt %s -p prepare-verilog | filecheck %s
// RUN: e3ne-opt %s -p prepare-verilog,prepare-verilog | filecheck %s
// RUN: e3ne-opt %s -p prepare-verilog --print-op-generic | e3ne-opt | filecheck %s

e3ne_hw.engine "main" {input_shape = array<i64: 1, 8, 8>, input_step = 6.250000e-02 : f64, input_timesteps = 4 : i64, acc_bits = 10 : i64, weight_bits = 3 : i64}
e3ne_hw.act_memory {depth = 8 : i64, row_codes = 8 : i64, code_bits = 4 : i64}
e3ne_hw.conv_unit {units = 2 : i64, cols = 8 : i64, max_kernel = 3 : i64, max_stride = 1 : i64, max_padding = 1 : i64}
e3ne_hw.pool_unit {max_window = 2 : i64}
e3ne_hw.linear_unit {lanes = 16 : i64}
e3ne_hw.weight_memory "conv_weights" {word_bits = 6 : i64, depth = 9 : i64}
e3ne_hw.weight_memory "linear_weights" {word_bits = 48 : i64, depth = 37 : i64}
e3ne_hw.weight_memory "biases" {word_bits = 11 : i64, depth = 10 : i64}
e3ne_hw.weight_memory "program" {word_bits = 32 : i64, depth = 128 : i64}
e3ne_hw.conv_layer "conv1" {weight = dense<3> : tensor<2x1x3x3xi8>, bias = dense<[5, -7]> : tensor<2xi8>, src_bank = 0 : i64, dst_bank = 1 : i64, src_base = 0 : i64, dst_base = 0 : i64, c_in = 1 : i64, h_in = 8 : i64, w_in = 8 : i64, kh = 3 : i64, kw = 3 : i64, sh = 1 : i64, sw = 1 : i64, ph = 1 : i64, pw = 1 : i64, c_out = 2 : i64, h_out = 8 : i64, w_out = 8 : i64, t_in = 4 : i64, t_out = 4 : i64, shift = 3 : i64, pool_mode = #e3ne_hw.pool<max>, pool_size = 2 : i64, w_base = 0 : i64, b_base = 0 : i64, raw = 0 : i64, slots = 1 : i64, weight_bits = 3 : i64, acc_bits = 10 : i64}
e3ne_hw.linear_layer "linear1" {weight = dense<1> : tensor<5x32xi8>, src_bank = 1 : i64, dst_bank = 0 : i64, src_base = 0 : i64, dst_base = 0 : i64, c_in = 32 : i64, in_row_width = 4 : i64, c_out = 5 : i64, t_in = 4 : i64, t_out = 4 : i64, shift = 2 : i64, w_base = 0 : i64, b_base = 2 : i64, raw = 0 : i64, weight_bits = 3 : i64, acc_bits = 10 : i64}
e3ne_hw.linear_layer "linear2" {weight = dense<-4> : tensor<3x5xi8>, src_bank = 0 : i64, dst_bank = 1 : i64, src_base = 0 : i64, dst_base = 0 : i64, c_in = 5 : i64, in_row_width = 8 : i64, c_out = 3 : i64, t_in = 4 : i64, t_out = 4 : i64, shift = 0 : i64, w_base = 32 : i64, b_base = 7 : i64, raw = 1 : i64, weight_bits = 3 : i64, acc_bits = 10 : i64}

// CHECK:      e3ne_hw.engine "main" {{{.*}}, params = {TMAX = 4 : i64, ROWW = 8 : i64, ADEPTH = 8 : i64, COLS = 8 : i64, CU = 2 : i64, SLOTS = 1 : i64, SLOT_SET = 2 : i64, LANES = 16 : i64, WB = 3 : i64, ACC = 10 : i64, KMAX = 3 : i64, SMAX = 1 : i64, PMAX = 1 : i64, PKMAX = 2 : i64, PBANKS = 1 : i64, CWDEPTH = 9 : i64, LWDEPTH = 37 : i64, BDEPTH = 10 : i64, PDEPTH = 128 : i64, HAS_CONV = 1 : i64, HAS_LINEAR = 1 : i64, DW = 7 : i64, KBITS = 8 : i64, HAS_SIGNED = 0 : i64}}
// CHECK:      e3ne_hw.linear_layer "linear2"
// Both units weights 3 (011b): each 6-bit word is 011011b = 27.
// CHECK-NEXT: e3ne_hw.memory_image "conv_weights" {image = dense<27> : tensor<9x1xi8>, word_bits = 6 : i64}
// Lanes 0-4 of group 0 hold weight 1 (001b): 0x249 = 001 001 001 001 001b (3 bits per lane, 6 bytes a word).
// CHECK-NEXT: e3ne_hw.memory_image "linear_weights" {image = dense<"0x491200000000{{.*}}"> : tensor<37x6xi8>, word_bits = 48 : i64}
// Biases b' = b + 2^(k-1): conv1 (k = 3): 5 + 4, -7 + 4 = -3 (0x7fd in 11 bits); linear1 (k = 2): 0 + 2; linear2 (raw): 0.
// CHECK-NEXT: e3ne_hw.memory_image "biases" {image = dense<{{\[}}[9, 0], [-3, 7], [2, 0], [2, 0], [2, 0], [2, 0], [2, 0], [0, 0], [0, 0], [0, 0]]> : tensor<10x2xi8>, word_bits = 11 : i64}
// The program: 3 descriptors and the end, 32 words each; the first word of conv1 is kind = 1 (conv).
// CHECK-NEXT: e3ne_hw.memory_image "program" {image = dense<"0x01000000{{.*}}"> : tensor<128x4xi8>, word_bits = 32 : i64}
// CHECK-NEXT: }
