// Encoding attributes parse from both spellings: pretty (#snn.radix<4, frac = 3>) and the generic parameter
// form upstream MLIR uses for attributes of a dialect loaded from IRDL (#snn.radix<4 : i64, 3 : i64>).
// The pretty op form prints the pretty spelling, the generic op form the generic one.
// RUN: e3ne-opt %s | filecheck %s --check-prefix=PRETTY
// RUN: e3ne-opt %s --print-op-generic | filecheck %s --check-prefix=GENERIC
// RUN: e3ne-opt %s --print-op-generic | e3ne-opt | filecheck %s --check-prefix=PRETTY
// RUN: e3ne-opt %s --print-op-generic --print-no-properties | e3ne-opt | filecheck %s --check-prefix=PRETTY

func.func @spellings(%r: tensor<1x4xui4, #snn.radix<4 : i64, 3 : i64>>, %s: tensor<1x4xi1, #snn.rate<16 : i64>>) -> tensor<1x2xsi9, #snn.fixed<-2 : i64>> {
  %l = snn.linear %r {weight = dense<1> : tensor<2x4xi8>, weight_quant = #snn.weight_quant<3 : i64, -5 : i64>} : tensor<1x4xui4, #snn.radix<4, frac = 3>> -> tensor<1x2xsi9, #snn.fixed<frac = -2>>
  func.return %l : tensor<1x2xsi9, #snn.fixed<frac = -2>>
}

// PRETTY:      func.func @spellings(%r: tensor<1x4xui4, #snn.radix<4, frac = 3>>, %s: tensor<1x4xi1, #snn.rate<16>>) -> tensor<1x2xsi9, #snn.fixed<frac = -2>> {
// PRETTY-NEXT:   %l = snn.linear %r {weight = dense<1> : tensor<2x4xi8>, weight_quant = #snn.weight_quant<bits = 3, frac = -5>} : tensor<1x4xui4, #snn.radix<4, frac = 3>> -> tensor<1x2xsi9, #snn.fixed<frac = -2>>

// GENERIC:      ^bb0(%r: tensor<1x4xui4, #snn.radix<4 : i64, 3 : i64>>, %s: tensor<1x4xi1, #snn.rate<16 : i64>>):
// GENERIC-NEXT:   %l = "snn.linear"(%r) <{weight = dense<1> : tensor<2x4xi8>, weight_quant = #snn.weight_quant<3 : i64, -5 : i64>}> : (tensor<1x4xui4, #snn.radix<4 : i64, 3 : i64>>) -> tensor<1x2xsi9, #snn.fixed<-2 : i64>>
