// A quantized radix network (conv + neuron + max pool, flatten, two linear layers): the input of
// the hardware passes' tests.
func.func @main(%x: tensor<1x1x8x8xf32>) -> tensor<1xi32> {
  %e = snn.encode %x {step = 0.0625 : f64, code_bits = 4 : i64} : tensor<1x1x8x8xf32> -> tensor<1x1x8x8xui4, #snn.radix<4, frac = 4>>
  %c = snn.conv2d %e {weight = dense<3> : tensor<2x1x3x3xi8>, bias = dense<[5, -7]> : tensor<2xi8>, strides = array<i64: 1, 1>, padding = array<i64: 1, 1>, weight_quant = #snn.weight_quant<bits = 3, frac = 2>} : tensor<1x1x8x8xui4, #snn.radix<4, frac = 4>> -> tensor<1x2x8x8xsi10, #snn.fixed<frac = 6>>
  %n = snn.radix_neuron %c {shift = 3 : i64} : tensor<1x2x8x8xsi10, #snn.fixed<frac = 6>> -> tensor<1x2x8x8xui4, #snn.radix<4, frac = 3>>
  %m = snn.max_pool2d %n {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, padding = array<i64: 0, 0>} : tensor<1x2x8x8xui4, #snn.radix<4, frac = 3>> -> tensor<1x2x4x4xui4, #snn.radix<4, frac = 3>>
  %f = snn.flatten %m : tensor<1x2x4x4xui4, #snn.radix<4, frac = 3>> -> tensor<1x32xui4, #snn.radix<4, frac = 3>>
  %h = snn.linear %f {weight = dense<1> : tensor<5x32xi8>, weight_quant = #snn.weight_quant<bits = 3, frac = 1>} : tensor<1x32xui4, #snn.radix<4, frac = 3>> -> tensor<1x5xsi10, #snn.fixed<frac = 4>>
  %hn = snn.radix_neuron %h {shift = 2 : i64} : tensor<1x5xsi10, #snn.fixed<frac = 4>> -> tensor<1x5xui4, #snn.radix<4, frac = 2>>
  %l = snn.linear %hn {weight = dense<-4> : tensor<3x5xi8>, weight_quant = #snn.weight_quant<bits = 3, frac = 1>} : tensor<1x5xui4, #snn.radix<4, frac = 2>> -> tensor<1x3xsi10, #snn.fixed<frac = 3>>
  %k = snn.argmax %l : tensor<1x3xsi10, #snn.fixed<frac = 3>> -> tensor<1xi32>
  func.return %k : tensor<1xi32>
}
