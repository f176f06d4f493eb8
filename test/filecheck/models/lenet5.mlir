// LeNet-5 (E3NE paper shapes: 1x32x32, 3-bit weights, T = 4) through torch-mlir and the three passes.
// RUN: %python -m e3ne.tools.export_torch lenet5 -o %t.mlir --calibration-out %t.npy
// RUN: e3ne-opt %t.mlir --elide-elements-above 1 | filecheck %s --check-prefix=TORCH
// RUN: e3ne-opt %t.mlir -p 'convert-torch-to-snn,fold-batchnorm,quantize{timesteps=4 weight_bits=3 calibration="%t.npy"}' --elide-elements-above 1 --print-between-passes 2>&1 | filecheck %s
// The quantized network fused into the engine's layers and tiled for 2 conv units and 32 linear lanes, the
// layers the linear unit can run on the conv units (linear=auto) and on the linear unit (linear=unit):
// RUN: e3ne-opt %t.mlir -p 'convert-torch-to-snn,fold-batchnorm,quantize{timesteps=4 weight_bits=3 calibration="%t.npy"},fuse-layers,tile{units=2 lanes=32}' --elide-elements-above 1 | filecheck %s --check-prefix=TILED
// RUN: e3ne-opt %t.mlir -p 'convert-torch-to-snn,fold-batchnorm,quantize{timesteps=4 weight_bits=3 calibration="%t.npy"},fuse-layers,tile{units=2 lanes=32 linear=unit}' --elide-elements-above 1 | filecheck %s --check-prefix=UNIT
// RUN: e3ne-opt %t.mlir -p 'convert-torch-to-snn,fold-batchnorm,quantize{timesteps=4 weight_bits=3 calibration="%t.npy"},fuse-layers,tile{units=1 cols=84},convert-snn-to-hw,prepare-verilog' | e3ne-opt | filecheck %s --check-prefix=WIDE
// RUN: e3ne-opt %t.mlir -p 'convert-torch-to-snn,fold-batchnorm,quantize{timesteps=4 weight_bits=3 calibration="%t.npy"},fuse-layers,tile{units=1 cols=84},convert-snn-to-hw,prepare-verilog' -t verilog | filecheck %s --check-prefix=WIDE-V

// torch-mlir's own output parses without unregistered ops.
// TORCH: func.func @main(%arg0: !torch.vtensor<[1,1,32,32],f32>) -> !torch.vtensor<[1,10],f32>
// TORCH: torch.vtensor.literal(dense_resource<torch_tensor_6_1_5_5_torch.float32> : tensor<6x1x5x5xf32>) : !torch.vtensor<[6,1,5,5],f32>
// TORCH: torch.aten.convolution
// TORCH: torch.aten.max_pool2d_with_indices
// TORCH: torch.aten.mm

// CHECK-LABEL: IR after convert-torch-to-snn
// CHECK:      snn.conv2d %arg0 {{.*}} : tensor<1x1x32x32xf32> -> tensor<1x6x28x28xf32>
// CHECK-NEXT: snn.relu
// CHECK-NEXT: snn.max_pool2d {{.*}} -> tensor<1x6x14x14xf32>
// CHECK:      snn.conv2d {{.*}} -> tensor<1x16x10x10xf32>
// CHECK:      snn.conv2d {{.*}} -> tensor<1x120x1x1xf32>
// CHECK:      snn.flatten {{.*}} -> tensor<1x120xf32>
// CHECK:      snn.linear {{.*}} -> tensor<1x84xf32>
// CHECK:      snn.linear {{.*}} -> tensor<1x10xf32>

// CHECK-LABEL: func.func @main(%arg0: tensor<1x1x32x32xf32>) -> tensor<1x{{[0-9]+}}xsi
// CHECK:      snn.encode %arg0 {{.*}}code_bits = 4 : i64} : tensor<1x1x32x32xf32> -> tensor<1x1x32x32xui4, #snn.radix<4, frac = 4>>
// CHECK-NEXT: snn.conv2d {{.*}}weight_quant = #snn.weight_quant<bits = 3, frac = {{-?[0-9]+}}>} : tensor<1x1x32x32xui4, #snn.radix<4, frac = 4>> -> tensor<1x6x28x28xsi{{[0-9]+}}, #snn.fixed<frac = {{-?[0-9]+}}>>
// CHECK-NEXT: snn.radix_neuron {{.*}} -> tensor<1x6x28x28xui4, #snn.radix<4, frac = [[F1:-?[0-9]+]]>>
// CHECK-NEXT: snn.max_pool2d {{.*}} -> tensor<1x6x14x14xui4, #snn.radix<4, frac = [[F1]]>>
// CHECK-NEXT: snn.conv2d {{.*}} : tensor<1x6x14x14xui4, #snn.radix<4, frac = [[F1]]>> -> tensor<1x16x10x10xsi{{[0-9]+}}
// CHECK-NEXT: snn.radix_neuron
// CHECK-NEXT: snn.max_pool2d {{.*}} -> tensor<1x16x5x5xui4
// CHECK-NEXT: snn.conv2d {{.*}} -> tensor<1x120x1x1xsi{{[0-9]+}}
// CHECK-NEXT: snn.radix_neuron
// CHECK-NEXT: snn.flatten {{.*}} -> tensor<1x120xui4
// CHECK-NEXT: snn.linear {{.*}} -> tensor<1x84xsi{{[0-9]+}}
// CHECK-NEXT: snn.radix_neuron {{.*}} -> tensor<1x84xui4
// CHECK-NEXT: snn.linear {{.*}} -> tensor<1x10xsi{{[0-9]+}}, #snn.fixed<frac = {{-?[0-9]+}}>>
// CHECK-NEXT: func.return

// Each conv + neuron + pool is one snn.conv_layer. With linear=auto the 5x5 conv over the 5x5 map (one output
// position) and the two linear layers run on the conv units too, their output channels side by side in 30
// channel slots of one lane per unit (the last layer's 10 in 5 slots of 6 lanes); conv2's 10-wide rows take
// 3 slots of 10 lanes.
// TILED:      snn.encode
// TILED-NEXT: snn.conv_layer {{.*}}pool_mode = "max", pool_kernel = array<i64: 2, 2>, pool_strides = array<i64: 2, 2>, pool_padding = array<i64: 0, 0>, tiling = #snn.conv_tiling<units = 2, cols = 30, slots = 1, slot_width = 30, col_tiles = 1, groups = 3>} : tensor<1x1x32x32xui4, #snn.radix<4, frac = 4>> -> tensor<1x6x14x14xui4
// TILED-NEXT: snn.conv_layer {{.*}}tiling = #snn.conv_tiling<units = 2, cols = 30, slots = 3, slot_width = 10, col_tiles = 1, groups = 3>} : {{.*}} -> tensor<1x16x5x5xui4
// TILED-NEXT: snn.conv_layer {{.*}}tiling = #snn.conv_tiling<units = 2, cols = 30, slots = 30, slot_width = 1, col_tiles = 1, groups = 2>} : {{.*}} -> tensor<1x120x1x1xui4
// TILED-NEXT: snn.linear_layer {{.*}}tiling = #snn.conv_tiling<units = 2, cols = 30, slots = 30, slot_width = 1, col_tiles = 1, groups = 2>} : tensor<1x120x1x1xui4, {{.*}} -> tensor<1x84xui4
// TILED-NEXT: snn.linear_layer {{.*}}tiling = #snn.conv_tiling<units = 2, cols = 30, slots = 5, slot_width = 6, col_tiles = 1, groups = 1>} : tensor<1x84xui4, {{.*}} -> tensor<1x10xsi
// TILED-NEXT: func.return

// linear=unit: conv2's 10-wide rows share a unit's 30 lanes as 3 channel slots; the one-position conv and the
// linear layers run on the linear unit.
// UNIT:      snn.encode
// UNIT-NEXT: snn.conv_layer {{.*}}tiling = #snn.conv_tiling<units = 2, cols = 30, slots = 1, slot_width = 30, col_tiles = 1, groups = 3>} : tensor<1x1x32x32xui4, #snn.radix<4, frac = 4>> -> tensor<1x6x14x14xui4
// UNIT-NEXT: snn.conv_layer {{.*}}tiling = #snn.conv_tiling<units = 2, cols = 30, slots = 3, slot_width = 10, col_tiles = 1, groups = 3>} : {{.*}} -> tensor<1x16x5x5xui4
// UNIT-NEXT: snn.conv_layer {{.*}}tiling = #snn.linear_tiling<lanes = 32, groups = 4>} : {{.*}} -> tensor<1x120x1x1xui4
// UNIT-NEXT: snn.linear_layer {{.*}}tiling = #snn.linear_tiling<lanes = 32, groups = 3>} : tensor<1x120x1x1xui4, {{.*}} -> tensor<1x84xui4
// UNIT-NEXT: snn.linear_layer {{.*}}tiling = #snn.linear_tiling<lanes = 32, groups = 1>} : tensor<1x84xui4, {{.*}} -> tensor<1x10xsi
// UNIT-NEXT: func.return

// One unit of 84 lanes: the fully connected layers take 84 one-lane slots, so the slot-count mask
// (bits 3, 8, 10 and 84 here) is wider than 64 bits: an unsigned attribute of SLOTS + 1 bits in the
// IR (printed and parsed back), a sized literal in the Verilog.
// WIDE:   params = {{{.*}}SLOTS = 84 : i64, SLOT_SET = 19342813113834066795300104 : ui85,
// WIDE-V: .SLOTS(84),
// WIDE-V: .SLOT_SET(85'h1000000000000000000508),
