// snn.concat round-trips in pretty and generic form. (Not checked upstream: IRDL binds the one
// constraint of a variadic operand to a single type, so inputs of different shapes fail there.)
// RUN: %roundtrip | filecheck %s
// RUN: %roundtrip-generic | filecheck %s

// CHECK-LABEL: func.func @concat
// CHECK:         %c = snn.concat %a, %b : tensor<1x2x4x4xui4, #snn.radix<4, frac = 3>>, tensor<1x1x4x4xui4, #snn.radix<4, frac = 3>> -> tensor<1x3x4x4xui4, #snn.radix<4, frac = 3>>
func.func @concat(%a: tensor<1x2x4x4xui4, #snn.radix<4, frac = 3>>, %b: tensor<1x1x4x4xui4, #snn.radix<4, frac = 3>>) -> tensor<1x3x4x4xui4, #snn.radix<4, frac = 3>> {
  %c = snn.concat %a, %b : tensor<1x2x4x4xui4, #snn.radix<4, frac = 3>>, tensor<1x1x4x4xui4, #snn.radix<4, frac = 3>> -> tensor<1x3x4x4xui4, #snn.radix<4, frac = 3>>
  func.return %c : tensor<1x3x4x4xui4, #snn.radix<4, frac = 3>>
}

// Unsigned codes of T - 1 bits join signed codes of T bits (a ReLU member of a residual's group).
// CHECK-LABEL: func.func @concat_signed
// CHECK:         %c = snn.concat %h, %s : tensor<1x3x4x4xui3, #snn.radix<3, frac = 2>>, tensor<1x2x4x4xsi4, #snn.radix<4, frac = 2>> -> tensor<1x5x4x4xsi4, #snn.radix<4, frac = 2>>
func.func @concat_signed(%h: tensor<1x3x4x4xui3, #snn.radix<3, frac = 2>>, %s: tensor<1x2x4x4xsi4, #snn.radix<4, frac = 2>>) -> tensor<1x5x4x4xsi4, #snn.radix<4, frac = 2>> {
  %c = snn.concat %h, %s : tensor<1x3x4x4xui3, #snn.radix<3, frac = 2>>, tensor<1x2x4x4xsi4, #snn.radix<4, frac = 2>> -> tensor<1x5x4x4xsi4, #snn.radix<4, frac = 2>>
  func.return %c : tensor<1x5x4x4xsi4, #snn.radix<4, frac = 2>>
}
