// tile decides how every fused layer maps onto the engine and records it as the layer's tiling:
// options fix the engine sizes, the others are chosen; each conv layer gets the slot count with
// the fewest cycles (the exact cycle model). Odd widths, 1-wide rows, prime channel counts. Linear layers
// (and convs whose one output position sees the whole input) fed by the conv units run on the conv units
// (linear=auto, the default) as convolutions whose kernel is their whole input, or on the linear unit (linear=unit).
// RUN: e3ne-opt %s -p 'tile{units=2 cols=8 lanes=4}' | filecheck %s
// RUN: e3ne-opt %s -p 'tile{units=2 cols=8 lanes=4 linear=conv}' | filecheck %s
// RUN: e3ne-opt %s -p 'tile{units=2 cols=8 lanes=4 linear=unit}' | filecheck %s --check-prefix=UNIT
// RUN: e3ne-opt %s -p 'tile' | filecheck %s --check-prefix=AUTO
// RUN: e3ne-opt %s -p 'tile{function=shapes units=2 cols=8 lanes=4}' | filecheck %s --check-prefix=ONE
// RUN: e3ne-opt %s -p 'tile{units=2 cols=8 lanes=4},tile{units=2 cols=8 lanes=4}' | filecheck %s

func.func @main(%x: tensor<1x1x8x8xf32>) -> tensor<1xi32> {
  %e = snn.encode %x {step = 6.250000e-02 : f64, code_bits = 4 : i64} : tensor<1x1x8x8xf32> -> tensor<1x1x8x8xui4, #snn.radix<4, frac = 4>>
  %m = snn.conv_layer %e {weight = dense<3> : tensor<2x1x3x3xi8>, bias = dense<[5, -7]> : tensor<2xi8>, strides = array<i64: 1, 1>, padding = array<i64: 1, 1>, weight_quant = #snn.weight_quant<bits = 3, frac = 2>, acc_bits = 10 : i64, shift = 3 : i64, pool_mode = "max", pool_kernel = array<i64: 2, 2>, pool_strides = array<i64: 2, 2>, pool_padding = array<i64: 0, 0>} : tensor<1x1x8x8xui4, #snn.radix<4, frac = 4>> -> tensor<1x2x4x4xui4, #snn.radix<4, frac = 3>>
  %hn = snn.linear_layer %m {weight = dense<1> : tensor<5x32xi8>, weight_quant = #snn.weight_quant<bits = 3, frac = 1>, acc_bits = 10 : i64, shift = 2 : i64} : tensor<1x2x4x4xui4, #snn.radix<4, frac = 3>> -> tensor<1x5xui4, #snn.radix<4, frac = 2>>
  %l = snn.linear_layer %hn {weight = dense<-4> : tensor<3x5xi8>, weight_quant = #snn.weight_quant<bits = 3, frac = 1>, acc_bits = 10 : i64} : tensor<1x5xui4, #snn.radix<4, frac = 2>> -> tensor<1x3xsi10, #snn.fixed<frac = 3>>
  %k = snn.argmax %l : tensor<1x3xsi10, #snn.fixed<frac = 3>> -> tensor<1xi32>
  func.return %k : tensor<1xi32>
}

func.func @shapes(%x: tensor<1x1x7x7xf32>) -> tensor<1x3xsi16, #snn.fixed<frac = -8>> {
  %e = snn.encode %x {step = 6.250000e-02 : f64, code_bits = 4 : i64} : tensor<1x1x7x7xf32> -> tensor<1x1x7x7xui4, #snn.radix<4, frac = 4>>
  %n = snn.conv_layer %e {weight = dense<1> : tensor<7x1x3x3xi8>, strides = array<i64: 1, 1>, padding = array<i64: 1, 1>, weight_quant = #snn.weight_quant<bits = 3, frac = 0>, acc_bits = 9 : i64, shift = 3 : i64} : tensor<1x1x7x7xui4, #snn.radix<4, frac = 4>> -> tensor<1x7x7x7xui4, #snn.radix<4, frac = 1>>
  %n2 = snn.conv_layer %n {weight = dense<1> : tensor<5x7x1x7xi8>, strides = array<i64: 1, 1>, padding = array<i64: 0, 0>, weight_quant = #snn.weight_quant<bits = 3, frac = 0>, acc_bits = 11 : i64, shift = 5 : i64} : tensor<1x7x7x7xui4, #snn.radix<4, frac = 1>> -> tensor<1x5x7x1xui4, #snn.radix<4, frac = -4>>
  %n3 = snn.conv_layer %n2 {weight = dense<1> : tensor<6x5x7x1xi8>, strides = array<i64: 1, 1>, padding = array<i64: 0, 0>, weight_quant = #snn.weight_quant<bits = 3, frac = 0>, acc_bits = 11 : i64, shift = 4 : i64} : tensor<1x5x7x1xui4, #snn.radix<4, frac = -4>> -> tensor<1x6x1x1xui4, #snn.radix<4, frac = -8>>
  %l = snn.linear_layer %n3 {weight = dense<2> : tensor<3x6xi8>, weight_quant = #snn.weight_quant<bits = 3, frac = 0>, acc_bits = 16 : i64} : tensor<1x6x1x1xui4, #snn.radix<4, frac = -8>> -> tensor<1x3xsi16, #snn.fixed<frac = -8>>
  func.return %l : tensor<1x3xsi16, #snn.fixed<frac = -8>>
}

// CHECK-LABEL: func.func @main
// An 8-wide row on 8 lanes: one slot, one tile, 2 channels on 2 units.
// CHECK:       snn.conv_layer {{.*}}tiling = #snn.conv_tiling<units = 2, cols = 8, slots = 1, slot_width = 8, col_tiles = 1, groups = 1>
// The linear layers have one output position: their neurons side by side in slots of the units' lanes (5
// neurons in 2 x 3 slots of 2 lanes, 3 in 2 x 2: the fewest slots of the fewest cycles).
// CHECK:       snn.linear_layer {{.*}}tiling = #snn.conv_tiling<units = 2, cols = 8, slots = 3, slot_width = 2, col_tiles = 1, groups = 1>
// CHECK:       snn.linear_layer {{.*}}tiling = #snn.conv_tiling<units = 2, cols = 8, slots = 2, slot_width = 4, col_tiles = 1, groups = 1>
// CHECK-LABEL: func.func @shapes
// 7 channels of 7-wide rows: 4 groups of 2 (the last one half empty).
// CHECK:       snn.conv_layer {{.*}}tiling = #snn.conv_tiling<units = 2, cols = 8, slots = 1, slot_width = 8, col_tiles = 1, groups = 4>
// 1-wide rows: 3 channel slots of 2 lanes per unit, all 5 channels in one group.
// CHECK:       snn.conv_layer {{.*}}tiling = #snn.conv_tiling<units = 2, cols = 8, slots = 3, slot_width = 2, col_tiles = 1, groups = 1>
// A conv whose one output position sees its whole input stays a conv on the conv units, and so does what follows.
// CHECK:       snn.conv_layer {{.*}}tiling = #snn.conv_tiling<units = 2, cols = 8, slots = 3, slot_width = 2, col_tiles = 1, groups = 1>
// CHECK:       snn.linear_layer {{.*}}tiling = #snn.conv_tiling<units = 2, cols = 8, slots = 2, slot_width = 4, col_tiles = 1, groups = 1>

// linear=unit: every layer the linear unit can run stays there (so does a conv whose one output position
// sees its whole input).
// UNIT-LABEL: func.func @main
// UNIT:       snn.conv_layer {{.*}}tiling = #snn.conv_tiling<units = 2, cols = 8, slots = 1, slot_width = 8, col_tiles = 1, groups = 1>
// UNIT:       snn.linear_layer {{.*}}tiling = #snn.linear_tiling<lanes = 4, groups = 2>
// UNIT:       snn.linear_layer {{.*}}tiling = #snn.linear_tiling<lanes = 4, groups = 1>
// UNIT-LABEL: func.func @shapes
// UNIT:       snn.conv_layer {{.*}}tiling = #snn.conv_tiling<units = 2, cols = 8, slots = 1, slot_width = 8, col_tiles = 1, groups = 4>
// UNIT:       snn.conv_layer {{.*}}tiling = #snn.conv_tiling<units = 2, cols = 8, slots = 3, slot_width = 2, col_tiles = 1, groups = 1>
// UNIT:       snn.conv_layer {{.*}}tiling = #snn.linear_tiling<lanes = 4, groups = 2>
// UNIT:       snn.linear_layer {{.*}}tiling = #snn.linear_tiling<lanes = 4, groups = 1>

// Without options tile picks the sizes per function by the exact cycle model, whose row-tile period
// is max(N, L + 4) (docs/hardware.md 7): short rows favour fewer, wider units with channel slots.
// @main: 1 unit of 17 lanes, two 8-wide channels side by side; @shapes: 1 unit of 7 lanes, the
// 7-wide rows exactly, and one-lane slots for the 1-wide rows.
// AUTO-LABEL: func.func @main
// AUTO:       snn.conv_layer {{.*}}tiling = #snn.conv_tiling<units = 1, cols = 17, slots = 2, slot_width = 8, col_tiles = 1, groups = 1>
// AUTO:       snn.linear_layer {{.*}}tiling = #snn.conv_tiling<units = 1, cols = 17, slots = 5, slot_width = 3, col_tiles = 1, groups = 1>
// AUTO:       snn.linear_layer {{.*}}tiling = #snn.conv_tiling<units = 1, cols = 17, slots = 3, slot_width = 5, col_tiles = 1, groups = 1>
// AUTO-LABEL: func.func @shapes
// AUTO:       snn.conv_layer {{.*}}tiling = #snn.conv_tiling<units = 1, cols = 7, slots = 1, slot_width = 7, col_tiles = 1, groups = 7>
// AUTO:       snn.conv_layer {{.*}}tiling = #snn.conv_tiling<units = 1, cols = 7, slots = 5, slot_width = 1, col_tiles = 1, groups = 1>
// AUTO:       snn.conv_layer {{.*}}tiling = #snn.conv_tiling<units = 1, cols = 7, slots = 6, slot_width = 1, col_tiles = 1, groups = 1>
// AUTO:       snn.linear_layer {{.*}}tiling = #snn.conv_tiling<units = 1, cols = 7, slots = 3, slot_width = 2, col_tiles = 1, groups = 1>

// ONE-LABEL: func.func @main
// ONE-NOT:   tiling
// ONE-LABEL: func.func @shapes
// ONE:       tiling = #snn.conv_tiling<units = 2, cols = 8
