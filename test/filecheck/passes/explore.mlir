// explore picks the engine sizes for a device and a budget with the cost model (LUT and FF with
// a 15 % margin, block RAM counted) and the exact cycle model, tiles the network with them, and
// records the decision, the budget and the Pareto front on the function (e3ne.explore).
// RUN: e3ne-opt %s -p 'explore{device=xcvu13p}' | filecheck %s --check-prefix=BIG
// RUN: e3ne-opt %s -p 'explore{budget="lut=1200"}' | filecheck %s --check-prefix=SMALL
// RUN: e3ne-opt %s -p 'explore{budget="lut=1200" objective=area-x-latency linear=unit}' | filecheck %s --check-prefix=UNIT
// The decision reproduces: convert-snn-to-hw of the explored IR builds the chosen engine.
// RUN: e3ne-opt %s -p 'explore{budget="lut=1200"},convert-snn-to-hw,prepare-verilog' | filecheck %s --check-prefix=HW
// RUN: not e3ne-opt %s -p 'explore{budget="lut=100"}' 2>&1 | filecheck %s --check-prefix=TIGHT
// RUN: not e3ne-opt %s -p 'explore{device=vu9p}' 2>&1 | filecheck %s --check-prefix=DEVICE
// RUN: not e3ne-opt %s -p 'explore{budget="lut=1k"}' 2>&1 | filecheck %s --check-prefix=BUDGET
// RUN: not e3ne-opt %s -p 'explore{objective=power}' 2>&1 | filecheck %s --check-prefix=OBJECTIVE

func.func @main(%x: tensor<1x1x8x8xf32>) -> tensor<1xi32> {
  %e = snn.encode %x {step = 6.250000e-02 : f64, code_bits = 4 : i64} : tensor<1x1x8x8xf32> -> tensor<1x1x8x8xui4, #snn.radix<4, frac = 4>>
  %m = snn.conv_layer %e {weight = dense<3> : tensor<2x1x3x3xi8>, bias = dense<[5, -7]> : tensor<2xi8>, strides = array<i64: 1, 1>, padding = array<i64: 1, 1>, weight_quant = #snn.weight_quant<bits = 3, frac = 2>, acc_bits = 10 : i64, shift = 3 : i64, pool_mode = "max", pool_kernel = array<i64: 2, 2>, pool_strides = array<i64: 2, 2>, pool_padding = array<i64: 0, 0>} : tensor<1x1x8x8xui4, #snn.radix<4, frac = 4>> -> tensor<1x2x4x4xui4, #snn.radix<4, frac = 3>>
  %hn = snn.linear_layer %m {weight = dense<1> : tensor<5x32xi8>, weight_quant = #snn.weight_quant<bits = 3, frac = 1>, acc_bits = 10 : i64, shift = 2 : i64} : tensor<1x2x4x4xui4, #snn.radix<4, frac = 3>> -> tensor<1x5xui4, #snn.radix<4, frac = 2>>
  %l = snn.linear_layer %hn {weight = dense<-4> : tensor<3x5xi8>, weight_quant = #snn.weight_quant<bits = 3, frac = 1>, acc_bits = 10 : i64} : tensor<1x5xui4, #snn.radix<4, frac = 2>> -> tensor<1x3xsi10, #snn.fixed<frac = 3>>
  %k = snn.argmax %l : tensor<1x3xsi10, #snn.fixed<frac = 3>> -> tensor<1xi32>
  func.return %k : tensor<1xi32>
}

// The biggest part: the fewest cycles of all 864 configurations (the linear layers on an 8-neuron linear unit).
// BIG:      e3ne.explore = {device = "xcvu13p", objective = "latency", budget = {lut = 1.728000e+06 : f64, ff = 3.456000e+06 : f64, bram36 = 2.688000e+03 : f64, dsp = 1.228800e+04 : f64}, margin = 1.500000e-01 : f64, units = 2 : i64, cols = 8 : i64, lanes = 8 : i64, linear = "unit", cycles = 620 : i64, estimate = {lut = {{[0-9]+}} : i64, ff = {{[0-9]+}} : i64}, bram36 = {{.*}}, considered = 864 : i64, legal = 864 : i64, front_columns = "cycles,lut,ff,bram36_x2,units,cols,lanes,linear_unit_only", front = array<i64: 620,
// BIG:      snn.conv_layer {{.*}}tiling = #snn.conv_tiling<units = 2, cols = 8, slots = 1, slot_width = 8, col_tiles = 1, groups = 1>
// BIG:      snn.linear_layer {{.*}}tiling = #snn.linear_tiling<lanes = 8, groups = 1>
// BIG:      snn.linear_layer {{.*}}tiling = #snn.linear_tiling<lanes = 8, groups = 1>

// 1200 LUT: the fastest engine whose estimate x 1.15 fits; the linear layers on the conv units.
// SMALL:    e3ne.explore = {device = "", objective = "latency", budget = {lut = 1.200000e+03 : f64}, margin = 1.500000e-01 : f64, units = 2 : i64, cols = 8 : i64, lanes = 1 : i64, linear = "auto", cycles = 639 : i64, estimate = {lut = [[LUT:[0-9]+]] : i64
// SMALL:    snn.conv_layer {{.*}}tiling = #snn.conv_tiling<units = 2, cols = 8, slots = 1, slot_width = 8, col_tiles = 1, groups = 1>
// SMALL:    snn.linear_layer {{.*}}tiling = #snn.conv_tiling<units = 2, cols = 8, slots = 3, slot_width = 2, col_tiles = 1, groups = 1>
// SMALL:    snn.linear_layer {{.*}}tiling = #snn.conv_tiling<units = 2, cols = 8, slots = 2, slot_width = 4, col_tiles = 1, groups = 1>

// UNIT:     e3ne.explore = {device = "", objective = "area-x-latency", {{.*}}linear = "unit"
// UNIT:     snn.linear_layer {{.*}}tiling = #snn.linear_tiling<lanes = {{[0-9]+}}, groups = {{[0-9]+}}>

// HW:       e3ne_hw.engine "main" {{.*}}params = {TMAX = 4 : i64, ROWW = 8 : i64, ADEPTH = 8 : i64, COLS = 8 : i64, CU = 2 : i64, SLOTS = 3 : i64, SLOT_SET = 14 : i64, LANES = 1 : i64
// HW:       e3ne_hw.conv_unit {units = 2 : i64, cols = 8 : i64

// TIGHT: error: explore: no design of @main fits the budget: the smallest, 1 conv unit(s) x 1 lanes, needs {{[0-9]+}} LUT, {{[0-9]+}} FF, {{.*}} BRAM36 (lut {{[0-9]+}} > 100; LUT and FF with the cost model's 15% margin)
// DEVICE: error: explore: unknown device 'vu9p' (known: xcvu13p, xczu7ev, xc7z020, lfe5u-85f)
// BUDGET: error: explore: budget: lut needs a number, got '1k'
// OBJECTIVE: error: explore: objective must be one of latency, area-x-latency, got 'power'
