// Quantized snn ops (radix and rate paths) round-trip in pretty and generic form.
// RUN: %roundtrip | filecheck %s
// RUN: %roundtrip-generic | filecheck %s

func.func @radix_net(%x: tensor<1x1x8x8xf32>) -> tensor<1xi32> {
  %e = snn.encode %x {step = 0.0625 : f64, code_bits = 4 : i64} : tensor<1x1x8x8xf32> -> tensor<1x1x8x8xui4, #snn.radix<4, frac = 4>>
  %c = snn.conv2d %e {weight = dense<3> : tensor<2x1x3x3xi8>, bias = dense<[5, -7]> : tensor<2xi8>, strides = array<i64: 1, 1>, padding = array<i64: 1, 1>, weight_quant = #snn.weight_quant<bits = 3, frac = 2>} : tensor<1x1x8x8xui4, #snn.radix<4, frac = 4>> -> tensor<1x2x8x8xsi10, #snn.fixed<frac = 6>>
  %n = snn.radix_neuron %c {shift = 3 : i64} : tensor<1x2x8x8xsi10, #snn.fixed<frac = 6>> -> tensor<1x2x8x8xui4, #snn.radix<4, frac = 3>>
  %m = snn.max_pool2d %n {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, padding = array<i64: 0, 0>} : tensor<1x2x8x8xui4, #snn.radix<4, frac = 3>> -> tensor<1x2x4x4xui4, #snn.radix<4, frac = 3>>
  %a = snn.avg_pool2d %m {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, padding = array<i64: 0, 0>} : tensor<1x2x4x4xui4, #snn.radix<4, frac = 3>> -> tensor<1x2x2x2xui4, #snn.radix<4, frac = 3>>
  %f = snn.flatten %a : tensor<1x2x2x2xui4, #snn.radix<4, frac = 3>> -> tensor<1x8xui4, #snn.radix<4, frac = 3>>
  %l = snn.linear %f {weight = dense<-4> : tensor<3x8xi8>, weight_quant = #snn.weight_quant<bits = 3, frac = 1>} : tensor<1x8xui4, #snn.radix<4, frac = 3>> -> tensor<1x3xsi12, #snn.fixed<frac = 4>>
  %k = snn.argmax %l : tensor<1x3xsi12, #snn.fixed<frac = 4>> -> tensor<1xi32>
  func.return %k : tensor<1xi32>
}

// CHECK-LABEL: func.func @radix_net(
// CHECK-NEXT:  %e = snn.encode %x {step = 6.250000e-02 : f64, code_bits = 4 : i64} : tensor<1x1x8x8xf32> -> tensor<1x1x8x8xui4, #snn.radix<4, frac = 4>>
// CHECK-NEXT:  %c = snn.conv2d %e {weight = dense<3> : tensor<2x1x3x3xi8>, bias = dense<[5, -7]> : tensor<2xi8>, strides = array<i64: 1, 1>, padding = array<i64: 1, 1>, weight_quant = #snn.weight_quant<bits = 3, frac = 2>} : tensor<1x1x8x8xui4, #snn.radix<4, frac = 4>> -> tensor<1x2x8x8xsi10, #snn.fixed<frac = 6>>
// CHECK-NEXT:  %n = snn.radix_neuron %c {shift = 3 : i64} : tensor<1x2x8x8xsi10, #snn.fixed<frac = 6>> -> tensor<1x2x8x8xui4, #snn.radix<4, frac = 3>>
// CHECK-NEXT:  %m = snn.max_pool2d %n {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, padding = array<i64: 0, 0>} : tensor<1x2x8x8xui4, #snn.radix<4, frac = 3>> -> tensor<1x2x4x4xui4, #snn.radix<4, frac = 3>>
// CHECK-NEXT:  %a = snn.avg_pool2d %m {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, padding = array<i64: 0, 0>} : tensor<1x2x4x4xui4, #snn.radix<4, frac = 3>> -> tensor<1x2x2x2xui4, #snn.radix<4, frac = 3>>
// CHECK-NEXT:  %f = snn.flatten %a : tensor<1x2x2x2xui4, #snn.radix<4, frac = 3>> -> tensor<1x8xui4, #snn.radix<4, frac = 3>>
// CHECK-NEXT:  %l = snn.linear %f {weight = dense<-4> : tensor<3x8xi8>, weight_quant = #snn.weight_quant<bits = 3, frac = 1>} : tensor<1x8xui4, #snn.radix<4, frac = 3>> -> tensor<1x3xsi12, #snn.fixed<frac = 4>>
// CHECK-NEXT:  %k = snn.argmax %l : tensor<1x3xsi12, #snn.fixed<frac = 4>> -> tensor<1xi32>
// CHECK-NEXT:  func.return %k : tensor<1xi32>

func.func @rate_net(%x: tensor<1x1x8x8xf32>) -> tensor<1x3xsi13, #snn.fixed<frac = 0>> {
  %e = snn.encode %x {step = 0.0625 : f64, code_bits = 4 : i64} : tensor<1x1x8x8xf32> -> tensor<1x1x8x8xi1, #snn.rate<16>>
  %c = snn.conv2d %e {weight = dense<3> : tensor<2x1x3x3xi8>, bias = dense<[5, -7]> : tensor<2xi8>, strides = array<i64: 1, 1>, padding = array<i64: 1, 1>, weight_quant = #snn.weight_quant<bits = 3, frac = 2>} : tensor<1x1x8x8xi1, #snn.rate<16>> -> tensor<1x2x8x8xsi8, #snn.rate<16>>
  %s = snn.if_neuron %c {threshold = 8 : i64} : tensor<1x2x8x8xsi8, #snn.rate<16>> -> tensor<1x2x8x8xi1, #snn.rate<16>>
  %m = snn.max_pool2d %s {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, padding = array<i64: 0, 0>} : tensor<1x2x8x8xi1, #snn.rate<16>> -> tensor<1x2x4x4xi1, #snn.rate<16>>
  %f = snn.flatten %m : tensor<1x2x4x4xi1, #snn.rate<16>> -> tensor<1x32xi1, #snn.rate<16>>
  %h = snn.linear %f {weight = dense<2> : tensor<4x32xi8>, weight_quant = #snn.weight_quant<bits = 3, frac = 1>} : tensor<1x32xi1, #snn.rate<16>> -> tensor<1x4xsi8, #snn.rate<16>>
  %ls = snn.lif_neuron %h {threshold = 4 : i64, leak_shift = 3 : i64} : tensor<1x4xsi8, #snn.rate<16>> -> tensor<1x4xi1, #snn.rate<16>>
  %o = snn.linear %ls {weight = dense<-4> : tensor<3x4xi8>, weight_quant = #snn.weight_quant<bits = 3, frac = 1>} : tensor<1x4xi1, #snn.rate<16>> -> tensor<1x3xsi8, #snn.rate<16>>
  %v = snn.integrate %o : tensor<1x3xsi8, #snn.rate<16>> -> tensor<1x3xsi13, #snn.fixed<frac = 0>>
  func.return %v : tensor<1x3xsi13, #snn.fixed<frac = 0>>
}

// CHECK-LABEL: func.func @rate_net(
// CHECK-NEXT:  %e = snn.encode %x {step = 6.250000e-02 : f64, code_bits = 4 : i64} : tensor<1x1x8x8xf32> -> tensor<1x1x8x8xi1, #snn.rate<16>>
// CHECK-NEXT:  %c = snn.conv2d %e {{.*}} : tensor<1x1x8x8xi1, #snn.rate<16>> -> tensor<1x2x8x8xsi8, #snn.rate<16>>
// CHECK-NEXT:  %s = snn.if_neuron %c {threshold = 8 : i64} : tensor<1x2x8x8xsi8, #snn.rate<16>> -> tensor<1x2x8x8xi1, #snn.rate<16>>
// CHECK-NEXT:  %m = snn.max_pool2d %s {{.*}} : tensor<1x2x8x8xi1, #snn.rate<16>> -> tensor<1x2x4x4xi1, #snn.rate<16>>
// CHECK-NEXT:  %f = snn.flatten %m : tensor<1x2x4x4xi1, #snn.rate<16>> -> tensor<1x32xi1, #snn.rate<16>>
// CHECK-NEXT:  %h = snn.linear %f {weight = dense<2> : tensor<4x32xi8>, weight_quant = #snn.weight_quant<bits = 3, frac = 1>} : tensor<1x32xi1, #snn.rate<16>> -> tensor<1x4xsi8, #snn.rate<16>>
// CHECK-NEXT:  %ls = snn.lif_neuron %h {threshold = 4 : i64, leak_shift = 3 : i64} : tensor<1x4xsi8, #snn.rate<16>> -> tensor<1x4xi1, #snn.rate<16>>
// CHECK-NEXT:  %o = snn.linear %ls {{.*}} : tensor<1x4xi1, #snn.rate<16>> -> tensor<1x3xsi8, #snn.rate<16>>
// CHECK-NEXT:  %v = snn.integrate %o : tensor<1x3xsi8, #snn.rate<16>> -> tensor<1x3xsi13, #snn.fixed<frac = 0>>
// CHECK-NEXT:  func.return %v : tensor<1x3xsi13, #snn.fixed<frac = 0>>

// Signed input codes (si<T>): the conv's bit-width bound takes |code| <= 2^(T-1) = 8, so 9 taps of
// weight 3 need si9 (unsigned codes up to 15 would need si10).
func.func @signed_input(%x: tensor<1x1x4x4xf32>) -> tensor<1x2x4x4xsi9, #snn.fixed<frac = 5>> {
  %e = snn.encode %x {step = 0.125 : f64, code_bits = 4 : i64} : tensor<1x1x4x4xf32> -> tensor<1x1x4x4xsi4, #snn.radix<4, frac = 3>>
  %c = snn.conv2d %e {weight = dense<3> : tensor<2x1x3x3xi8>, strides = array<i64: 1, 1>, padding = array<i64: 1, 1>, weight_quant = #snn.weight_quant<bits = 3, frac = 2>} : tensor<1x1x4x4xsi4, #snn.radix<4, frac = 3>> -> tensor<1x2x4x4xsi9, #snn.fixed<frac = 5>>
  func.return %c : tensor<1x2x4x4xsi9, #snn.fixed<frac = 5>>
}

// CHECK-LABEL: func.func @signed_input(%x: tensor<1x1x4x4xf32>) -> tensor<1x2x4x4xsi9, #snn.fixed<frac = 5>> {
// CHECK-NEXT:    %e = snn.encode %x {step = 1.250000e-01 : f64, code_bits = 4 : i64} : tensor<1x1x4x4xf32> -> tensor<1x1x4x4xsi4, #snn.radix<4, frac = 3>>
// CHECK-NEXT:    %c = snn.conv2d %e {{.*}} : tensor<1x1x4x4xsi4, #snn.radix<4, frac = 3>> -> tensor<1x2x4x4xsi9, #snn.fixed<frac = 5>>
