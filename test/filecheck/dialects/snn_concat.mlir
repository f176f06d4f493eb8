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
