// Branches and concatenations: convert-snn-to-hw places every stored tensor with the allocator
// (e3ne.engine.allocate). The parts of an snn.concat are stored channel block after channel block
// (cat(%b2, %a): %b2's block first), so the layer after it reads one map; the stem lives until its
// last reader (b1), so nothing written meanwhile lands on it; b2 reads and writes bank 0 apart.
// RUN: e3ne-opt %s -p 'fuse-layers,tile{units=1 cols=4 lanes=4},convert-snn-to-hw' | filecheck %s


func.func @main(%x: tensor<1x1x4x4xf32>) -> tensor<1x3xsi10, #snn.fixed<frac = 0>> {
  %1 = snn.encode %x {step = 0.066666666666666666 : f64, code_bits = 4 : i64} : tensor<1x1x4x4xf32> -> tensor<1x1x4x4xui4, #snn.radix<4, frac = 0>>
  %2 = snn.conv2d %1 {weight = dense<1> : tensor<2x1x1x1xi8>, strides = array<i64: 1, 1>, padding = array<i64: 0, 0>, weight_quant = #snn.weight_quant<bits = 3, frac = 1>} : tensor<1x1x4x4xui4, #snn.radix<4, frac = 0>> -> tensor<1x2x4x4xsi5, #snn.fixed<frac = 1>>
  %3 = snn.radix_neuron %2 {shift = 1 : i64} : tensor<1x2x4x4xsi5, #snn.fixed<frac = 1>> -> tensor<1x2x4x4xui4, #snn.radix<4, frac = 0>>
  %4 = snn.conv2d %3 {weight = dense<1> : tensor<1x2x1x1xi8>, strides = array<i64: 1, 1>, padding = array<i64: 0, 0>, weight_quant = #snn.weight_quant<bits = 3, frac = 1>} : tensor<1x2x4x4xui4, #snn.radix<4, frac = 0>> -> tensor<1x1x4x4xsi6, #snn.fixed<frac = 1>>
  %5 = snn.radix_neuron %4 {shift = 1 : i64} : tensor<1x1x4x4xsi6, #snn.fixed<frac = 1>> -> tensor<1x1x4x4xui4, #snn.radix<4, frac = 0>>
  %6 = snn.conv2d %3 {weight = dense<1> : tensor<1x2x1x1xi8>, strides = array<i64: 1, 1>, padding = array<i64: 0, 0>, weight_quant = #snn.weight_quant<bits = 3, frac = 1>} : tensor<1x2x4x4xui4, #snn.radix<4, frac = 0>> -> tensor<1x1x4x4xsi6, #snn.fixed<frac = 1>>
  %7 = snn.radix_neuron %6 {shift = 1 : i64} : tensor<1x1x4x4xsi6, #snn.fixed<frac = 1>> -> tensor<1x1x4x4xui4, #snn.radix<4, frac = 0>>
  %8 = snn.conv2d %7 {weight = dense<1> : tensor<1x1x1x1xi8>, strides = array<i64: 1, 1>, padding = array<i64: 0, 0>, weight_quant = #snn.weight_quant<bits = 3, frac = 0>} : tensor<1x1x4x4xui4, #snn.radix<4, frac = 0>> -> tensor<1x1x4x4xsi5, #snn.fixed<frac = 0>>
  %9 = snn.radix_neuron %8 {shift = 0 : i64} : tensor<1x1x4x4xsi5, #snn.fixed<frac = 0>> -> tensor<1x1x4x4xui4, #snn.radix<4, frac = 0>>
  %10 = snn.concat %9, %5 : tensor<1x1x4x4xui4, #snn.radix<4, frac = 0>>, tensor<1x1x4x4xui4, #snn.radix<4, frac = 0>> -> tensor<1x2x4x4xui4, #snn.radix<4, frac = 0>>
  %11 = snn.flatten %10 : tensor<1x2x4x4xui4, #snn.radix<4, frac = 0>> -> tensor<1x32xui4, #snn.radix<4, frac = 0>>
  %12 = snn.linear %11 {weight = dense<1> : tensor<3x32xi8>, weight_quant = #snn.weight_quant<bits = 3, frac = 0>} : tensor<1x32xui4, #snn.radix<4, frac = 0>> -> tensor<1x3xsi10, #snn.fixed<frac = 0>>
  func.return %12 : tensor<1x3xsi10, #snn.fixed<frac = 0>>
}

// CHECK:      e3ne_hw.act_memory {depth = 12 : i64, row_codes = 4 : i64, code_bits = 4 : i64}
// the stem: input at bank 0, base 0 (the host loads it there), stem rows 0-7 of bank 1
// CHECK:      e3ne_hw.conv_layer "conv1" {{.*}}src_bank = 0 : i64, dst_bank = 1 : i64, src_base = 0 : i64, dst_base = 0 : i64
// a: the second block of the concatenation (bank 0, rows 4-7)
// CHECK-NEXT: e3ne_hw.conv_layer "conv2" {{.*}}src_bank = 1 : i64, dst_bank = 0 : i64, src_base = 0 : i64, dst_base = 4 : i64
// b1: reads the stem again; rows 8-11 of bank 0, beside the concatenation that is live meanwhile
// CHECK-NEXT: e3ne_hw.conv_layer "conv3" {{.*}}src_bank = 1 : i64, dst_bank = 0 : i64, src_base = 0 : i64, dst_base = 8 : i64
// b2: the first block (rows 0-3), read from and written to bank 0
// CHECK-NEXT: e3ne_hw.conv_layer "conv4" {{.*}}src_bank = 0 : i64, dst_bank = 0 : i64, src_base = 8 : i64, dst_base = 0 : i64
// the linear layer reads the concatenation as one 2 x 4 x 4 map
// CHECK-NEXT: e3ne_hw.conv_layer "linear1" {{.*}}src_bank = 0 : i64, dst_bank = 1 : i64, src_base = 0 : i64, dst_base = 0 : i64, c_in = 2 : i64, h_in = 4 : i64
