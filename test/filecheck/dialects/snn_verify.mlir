// Every snn verifier a user can trip gives a one-line diagnostic naming the op, its position and the value.
// RUN: e3ne-opt %s --split-input-file --verify-diagnostics --parsing-diagnostics | filecheck %s

func.func @conv_channels(%x: tensor<1x1x8x8xf32>) -> tensor<1x2x8x8xf32> {
  // CHECK: snn_verify.mlir:[[# @LINE + 1]]:3: error: 'snn.conv2d': weight has 3 input channels but the input has 1 (shape [1, 1, 8, 8])
  %0 = snn.conv2d %x {weight = dense<0.5> : tensor<2x3x3x3xf32>, strides = array<i64: 1, 1>, padding = array<i64: 1, 1>} : tensor<1x1x8x8xf32> -> tensor<1x2x8x8xf32>
  func.return %0 : tensor<1x2x8x8xf32>
}

// -----

func.func @conv_result_shape(%x: tensor<1x1x8x8xf32>) -> tensor<1x2x8x8xf32> {
  // CHECK: snn_verify.mlir:[[# @LINE + 1]]:3: error: 'snn.conv2d': result shape must be [1, 2, 6, 6], got [1, 2, 8, 8]
  %0 = snn.conv2d %x {weight = dense<0.5> : tensor<2x1x3x3xf32>, strides = array<i64: 1, 1>, padding = array<i64: 0, 0>} : tensor<1x1x8x8xf32> -> tensor<1x2x8x8xf32>
  func.return %0 : tensor<1x2x8x8xf32>
}

// -----

func.func @conv_stride(%x: tensor<1x1x8x8xf32>) -> tensor<1x2x8x8xf32> {
  // CHECK: snn_verify.mlir:[[# @LINE + 1]]:3: error: 'snn.conv2d': strides must be >= 1, got [0, 1]
  %0 = snn.conv2d %x {weight = dense<0.5> : tensor<2x1x3x3xf32>, strides = array<i64: 0, 1>, padding = array<i64: 1, 1>} : tensor<1x1x8x8xf32> -> tensor<1x2x8x8xf32>
  func.return %0 : tensor<1x2x8x8xf32>
}

// -----

func.func @conv_kernel_too_big(%x: tensor<1x1x4x4xf32>) -> tensor<1x2x1x1xf32> {
  // CHECK: snn_verify.mlir:[[# @LINE + 1]]:3: error: 'snn.conv2d': kernel 5x5 is larger than the padded input 4x4
  %0 = snn.conv2d %x {weight = dense<0.5> : tensor<2x1x5x5xf32>, strides = array<i64: 1, 1>, padding = array<i64: 0, 0>} : tensor<1x1x4x4xf32> -> tensor<1x2x1x1xf32>
  func.return %0 : tensor<1x2x1x1xf32>
}

// -----

func.func @conv_bias_shape(%x: tensor<1x1x8x8xf32>) -> tensor<1x2x8x8xf32> {
  // CHECK: snn_verify.mlir:[[# @LINE + 1]]:3: error: 'snn.conv2d': bias must have shape [2] (one per output channel), got [3]
  %0 = snn.conv2d %x {weight = dense<0.5> : tensor<2x1x3x3xf32>, bias = dense<0.0> : tensor<3xf32>, strides = array<i64: 1, 1>, padding = array<i64: 1, 1>} : tensor<1x1x8x8xf32> -> tensor<1x2x8x8xf32>
  func.return %0 : tensor<1x2x8x8xf32>
}

// -----

func.func @conv_weight_range(%e: tensor<1x1x8x8xui4, #snn.radix<4, frac = 4>>) -> tensor<1x2x8x8xsi16, #snn.fixed<frac = 6>> {
  // CHECK: snn_verify.mlir:[[# @LINE + 1]]:3: error: 'snn.conv2d': weights [4, 4] exceed 3-bit range [-4, 3]
  %0 = snn.conv2d %e {weight = dense<4> : tensor<2x1x3x3xi8>, strides = array<i64: 1, 1>, padding = array<i64: 1, 1>, weight_quant = #snn.weight_quant<bits = 3, frac = 2>} : tensor<1x1x8x8xui4, #snn.radix<4, frac = 4>> -> tensor<1x2x8x8xsi16, #snn.fixed<frac = 6>>
  func.return %0 : tensor<1x2x8x8xsi16, #snn.fixed<frac = 6>>
}

// -----

func.func @conv_accumulator_width(%e: tensor<1x1x8x8xui4, #snn.radix<4, frac = 4>>) -> tensor<1x2x8x8xsi9, #snn.fixed<frac = 6>> {
  // CHECK: snn_verify.mlir:[[# @LINE + 1]]:3: error: 'snn.conv2d': result width si9 is too narrow: the bit-width bound needs si10
  %0 = snn.conv2d %e {weight = dense<3> : tensor<2x1x3x3xi8>, bias = dense<[5, -7]> : tensor<2xi8>, strides = array<i64: 1, 1>, padding = array<i64: 1, 1>, weight_quant = #snn.weight_quant<bits = 3, frac = 2>} : tensor<1x1x8x8xui4, #snn.radix<4, frac = 4>> -> tensor<1x2x8x8xsi9, #snn.fixed<frac = 6>>
  func.return %0 : tensor<1x2x8x8xsi9, #snn.fixed<frac = 6>>
}

// -----

func.func @conv_result_frac(%e: tensor<1x1x8x8xui4, #snn.radix<4, frac = 4>>) -> tensor<1x2x8x8xsi16, #snn.fixed<frac = 5>> {
  // CHECK: snn_verify.mlir:[[# @LINE + 1]]:3: error: 'snn.conv2d': result frac must be input frac + weight frac = 6, got 5
  %0 = snn.conv2d %e {weight = dense<3> : tensor<2x1x3x3xi8>, strides = array<i64: 1, 1>, padding = array<i64: 1, 1>, weight_quant = #snn.weight_quant<bits = 3, frac = 2>} : tensor<1x1x8x8xui4, #snn.radix<4, frac = 4>> -> tensor<1x2x8x8xsi16, #snn.fixed<frac = 5>>
  func.return %0 : tensor<1x2x8x8xsi16, #snn.fixed<frac = 5>>
}

// -----

func.func @conv_float_int_weights(%x: tensor<1x1x8x8xf32>) -> tensor<1x2x8x8xf32> {
  // CHECK: snn_verify.mlir:[[# @LINE + 1]]:3: error: 'snn.conv2d': a float input needs float weight and bias (quantize converts them together)
  %0 = snn.conv2d %x {weight = dense<1> : tensor<2x1x3x3xi8>, strides = array<i64: 1, 1>, padding = array<i64: 1, 1>} : tensor<1x1x8x8xf32> -> tensor<1x2x8x8xf32>
  func.return %0 : tensor<1x2x8x8xf32>
}

// -----

func.func @conv_without_neuron(%v: tensor<1x1x8x8xsi16, #snn.fixed<frac = 6>>) -> tensor<1x2x8x8xsi16, #snn.fixed<frac = 8>> {
  // CHECK: snn_verify.mlir:[[# @LINE + 1]]:3: error: 'snn.conv2d': input must be radix codes, rate spikes or a float tensor, got fixed-point values (tensor<1x1x8x8xsi16, #snn.fixed<frac = 6>>); insert a neuron between two synaptic layers
  %0 = snn.conv2d %v {weight = dense<1> : tensor<2x1x3x3xi8>, strides = array<i64: 1, 1>, padding = array<i64: 1, 1>, weight_quant = #snn.weight_quant<bits = 3, frac = 2>} : tensor<1x1x8x8xsi16, #snn.fixed<frac = 6>> -> tensor<1x2x8x8xsi16, #snn.fixed<frac = 8>>
  func.return %0 : tensor<1x2x8x8xsi16, #snn.fixed<frac = 8>>
}

// -----

func.func @conv_missing_weight_quant(%e: tensor<1x1x8x8xui4, #snn.radix<4, frac = 4>>) -> tensor<1x2x8x8xsi16, #snn.fixed<frac = 6>> {
  // CHECK: snn_verify.mlir:[[# @LINE + 1]]:3: error: 'snn.conv2d': encoded inputs need a weight_quant attribute (#snn.weight_quant<bits, frac>)
  %0 = snn.conv2d %e {weight = dense<3> : tensor<2x1x3x3xi8>, strides = array<i64: 1, 1>, padding = array<i64: 1, 1>} : tensor<1x1x8x8xui4, #snn.radix<4, frac = 4>> -> tensor<1x2x8x8xsi16, #snn.fixed<frac = 6>>
  func.return %0 : tensor<1x2x8x8xsi16, #snn.fixed<frac = 6>>
}

// -----

func.func @linear_features(%x: tensor<1x8xf32>) -> tensor<1x3xf32> {
  // CHECK: snn_verify.mlir:[[# @LINE + 1]]:3: error: 'snn.linear': weight has 9 input features but the input has 8
  %0 = snn.linear %x {weight = dense<0.5> : tensor<3x9xf32>} : tensor<1x8xf32> -> tensor<1x3xf32>
  func.return %0 : tensor<1x3xf32>
}

// -----

func.func @neuron_frac(%v: tensor<1x2xsi10, #snn.fixed<frac = 6>>) -> tensor<1x2xui4, #snn.radix<4, frac = 4>> {
  // CHECK: snn_verify.mlir:[[# @LINE + 1]]:3: error: 'snn.radix_neuron': result frac must be input frac - shift = 3, got 4
  %0 = snn.radix_neuron %v {shift = 3 : i64} : tensor<1x2xsi10, #snn.fixed<frac = 6>> -> tensor<1x2xui4, #snn.radix<4, frac = 4>>
  func.return %0 : tensor<1x2xui4, #snn.radix<4, frac = 4>>
}

// -----

func.func @neuron_code_width(%v: tensor<1x2xsi10, #snn.fixed<frac = 6>>) -> tensor<1x2xui3, #snn.radix<4, frac = 3>> {
  // CHECK: snn_verify.mlir:[[# @LINE + 1]]:3: error: 'snn.radix_neuron': radix codes with 4 timesteps are stored as ui4, got ui3
  %0 = snn.radix_neuron %v {shift = 3 : i64} : tensor<1x2xsi10, #snn.fixed<frac = 6>> -> tensor<1x2xui3, #snn.radix<4, frac = 3>>
  func.return %0 : tensor<1x2xui3, #snn.radix<4, frac = 3>>
}

// -----

func.func @neuron_on_codes(%c: tensor<1x2xui4, #snn.radix<4, frac = 3>>) -> tensor<1x2xui4, #snn.radix<4, frac = 3>> {
  // CHECK: snn_verify.mlir:[[# @LINE + 1]]:3: error: 'snn.radix_neuron': input must be fixed-point potentials, got radix codes (tensor<1x2xui4, #snn.radix<4, frac = 3>>)
  %0 = snn.radix_neuron %c {shift = 0 : i64} : tensor<1x2xui4, #snn.radix<4, frac = 3>> -> tensor<1x2xui4, #snn.radix<4, frac = 3>>
  func.return %0 : tensor<1x2xui4, #snn.radix<4, frac = 3>>
}

// -----

func.func @encode_bits(%x: tensor<1x4xf32>) -> tensor<1x4xui4, #snn.radix<4, frac = 4>> {
  // CHECK: snn_verify.mlir:[[# @LINE + 1]]:3: error: 'snn.encode': radix result needs code_bits == timesteps (4), got 8
  %0 = snn.encode %x {step = 0.0625 : f64, code_bits = 8 : i64} : tensor<1x4xf32> -> tensor<1x4xui4, #snn.radix<4, frac = 4>>
  func.return %0 : tensor<1x4xui4, #snn.radix<4, frac = 4>>
}

// -----

// Signed codes (si<T>: inputs, and hidden layers without ReLU) need a sign bit and a magnitude (T >= 2).
func.func @encode_signed_one_bit(%x: tensor<1x4xf32>) -> tensor<1x4xsi1, #snn.radix<1, frac = 0>> {
  // CHECK: snn_verify.mlir:[[# @LINE + 1]]:3: error: 'snn.encode': radix codes with 1 timesteps are stored as ui1, got si1
  %0 = snn.encode %x {step = 0.5 : f64, code_bits = 1 : i64} : tensor<1x4xf32> -> tensor<1x4xsi1, #snn.radix<1, frac = 0>>
  func.return %0 : tensor<1x4xsi1, #snn.radix<1, frac = 0>>
}

// -----

func.func @neuron_signed_one_bit(%v: tensor<1x4xsi9, #snn.fixed<frac = 6>>) -> tensor<1x4xsi1, #snn.radix<1, frac = 3>> {
  // CHECK: snn_verify.mlir:[[# @LINE + 1]]:3: error: 'snn.radix_neuron': signed radix codes need at least 2 timesteps (the sign plane and one more), got si1
  %0 = snn.radix_neuron %v {shift = 3 : i64} : tensor<1x4xsi9, #snn.fixed<frac = 6>> -> tensor<1x4xsi1, #snn.radix<1, frac = 3>>
  func.return %0 : tensor<1x4xsi1, #snn.radix<1, frac = 3>>
}

// -----

// Pooling compares or sums unsigned codes only.
func.func @max_pool_signed(%c: tensor<1x2x8x8xsi4, #snn.radix<4, frac = 3>>) -> tensor<1x2x4x4xsi4, #snn.radix<4, frac = 3>> {
  // CHECK: snn_verify.mlir:[[# @LINE + 1]]:3: error: 'snn.max_pool2d': not supported: pooling of signed radix codes (the pool unit compares and sums unsigned codes)
  %0 = snn.max_pool2d %c {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, padding = array<i64: 0, 0>} : tensor<1x2x8x8xsi4, #snn.radix<4, frac = 3>> -> tensor<1x2x4x4xsi4, #snn.radix<4, frac = 3>>
  func.return %0 : tensor<1x2x4x4xsi4, #snn.radix<4, frac = 3>>
}

// -----

func.func @encode_step(%x: tensor<1x4xf32>) -> tensor<1x4xui4, #snn.radix<4, frac = 4>> {
  // CHECK: snn_verify.mlir:[[# @LINE + 1]]:3: error: 'snn.encode': step must be > 0, got -0.5
  %0 = snn.encode %x {step = -0.5 : f64, code_bits = 4 : i64} : tensor<1x4xf32> -> tensor<1x4xui4, #snn.radix<4, frac = 4>>
  func.return %0 : tensor<1x4xui4, #snn.radix<4, frac = 4>>
}

// -----

func.func @avg_pool_window(%c: tensor<1x2x6x6xui4, #snn.radix<4, frac = 3>>) -> tensor<1x2x2x2xui4, #snn.radix<4, frac = 3>> {
  // CHECK: snn_verify.mlir:[[# @LINE + 1]]:3: error: 'snn.avg_pool2d': radix average pooling needs a power-of-two window, got 3x3 = 9
  %0 = snn.avg_pool2d %c {kernel = array<i64: 3, 3>, strides = array<i64: 3, 3>, padding = array<i64: 0, 0>} : tensor<1x2x6x6xui4, #snn.radix<4, frac = 3>> -> tensor<1x2x2x2xui4, #snn.radix<4, frac = 3>>
  func.return %0 : tensor<1x2x2x2xui4, #snn.radix<4, frac = 3>>
}

// -----

func.func @max_pool_shape(%c: tensor<1x2x8x8xui4, #snn.radix<4, frac = 3>>) -> tensor<1x2x3x3xui4, #snn.radix<4, frac = 3>> {
  // CHECK: snn_verify.mlir:[[# @LINE + 1]]:3: error: 'snn.max_pool2d': result shape must be [1, 2, 4, 4], got [1, 2, 3, 3]
  %0 = snn.max_pool2d %c {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, padding = array<i64: 0, 0>} : tensor<1x2x8x8xui4, #snn.radix<4, frac = 3>> -> tensor<1x2x3x3xui4, #snn.radix<4, frac = 3>>
  func.return %0 : tensor<1x2x3x3xui4, #snn.radix<4, frac = 3>>
}

// -----

func.func @max_pool_encoding(%c: tensor<1x2x8x8xui4, #snn.radix<4, frac = 3>>) -> tensor<1x2x4x4xui4, #snn.radix<4, frac = 2>> {
  // CHECK: snn_verify.mlir:[[# @LINE + 1]]:3: error: 'snn.max_pool2d': result element type and encoding must equal the input's (tensor<1x2x8x8xui4, #snn.radix<4, frac = 3>>), got tensor<1x2x4x4xui4, #snn.radix<4, frac = 2>>
  %0 = snn.max_pool2d %c {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, padding = array<i64: 0, 0>} : tensor<1x2x8x8xui4, #snn.radix<4, frac = 3>> -> tensor<1x2x4x4xui4, #snn.radix<4, frac = 2>>
  func.return %0 : tensor<1x2x4x4xui4, #snn.radix<4, frac = 2>>
}

// -----

func.func @if_threshold(%i: tensor<1x4xsi8, #snn.rate<16>>) -> tensor<1x4xi1, #snn.rate<16>> {
  // CHECK: snn_verify.mlir:[[# @LINE + 1]]:3: error: 'snn.if_neuron': threshold must be >= 1, got 0
  %0 = snn.if_neuron %i {threshold = 0 : i64} : tensor<1x4xsi8, #snn.rate<16>> -> tensor<1x4xi1, #snn.rate<16>>
  func.return %0 : tensor<1x4xi1, #snn.rate<16>>
}

// -----

func.func @if_timesteps(%i: tensor<1x4xsi8, #snn.rate<16>>) -> tensor<1x4xi1, #snn.rate<8>> {
  // CHECK: snn_verify.mlir:[[# @LINE + 1]]:3: error: 'snn.if_neuron': timesteps of input #snn.rate<16> and result #snn.rate<8> differ
  %0 = snn.if_neuron %i {threshold = 4 : i64} : tensor<1x4xsi8, #snn.rate<16>> -> tensor<1x4xi1, #snn.rate<8>>
  func.return %0 : tensor<1x4xi1, #snn.rate<8>>
}

// -----

func.func @lif_leak(%i: tensor<1x4xsi8, #snn.rate<16>>) -> tensor<1x4xi1, #snn.rate<16>> {
  // CHECK: snn_verify.mlir:[[# @LINE + 1]]:3: error: 'snn.lif_neuron': leak_shift must be in [1, 31], got 0
  %0 = snn.lif_neuron %i {threshold = 4 : i64, leak_shift = 0 : i64} : tensor<1x4xsi8, #snn.rate<16>> -> tensor<1x4xi1, #snn.rate<16>>
  func.return %0 : tensor<1x4xi1, #snn.rate<16>>
}

// -----

func.func @flatten_shape(%x: tensor<1x2x3x3xf32>) -> tensor<1x9xf32> {
  // CHECK: snn_verify.mlir:[[# @LINE + 1]]:3: error: 'snn.flatten': result shape must be [1, 18], got [1, 9]
  %0 = snn.flatten %x : tensor<1x2x3x3xf32> -> tensor<1x9xf32>
  func.return %0 : tensor<1x9xf32>
}

// -----

func.func @relu_on_codes(%c: tensor<1x4xui4, #snn.radix<4, frac = 3>>) -> tensor<1x4xui4, #snn.radix<4, frac = 3>> {
  // CHECK: snn_verify.mlir:[[# @LINE + 1]]:3: error: 'snn.relu': only valid before quantization (float tensors), got radix codes; run fold-batchnorm and quantize
  %0 = snn.relu %c : tensor<1x4xui4, #snn.radix<4, frac = 3>>
  func.return %0 : tensor<1x4xui4, #snn.radix<4, frac = 3>>
}

// -----

func.func @add_on_codes(%c: tensor<1x4xui4, #snn.radix<4, frac = 3>>) -> tensor<1x4xui4, #snn.radix<4, frac = 3>> {
  // CHECK: snn_verify.mlir:[[# @LINE + 1]]:3: error: 'snn.add': only valid before quantization (float tensors), got radix codes; run fold-residual
  %0 = snn.add %c, %c : tensor<1x4xui4, #snn.radix<4, frac = 3>>
  func.return %0 : tensor<1x4xui4, #snn.radix<4, frac = 3>>
}

// -----

func.func @batch_norm_scale(%x: tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32> {
  // CHECK: snn_verify.mlir:[[# @LINE + 1]]:3: error: 'snn.batch_norm': scale must have shape [2] (one per channel), got [3]
  %0 = snn.batch_norm %x {scale = dense<1.0> : tensor<3xf32>, shift = dense<0.0> : tensor<2xf32>} : tensor<1x2x4x4xf32>
  func.return %0 : tensor<1x2x4x4xf32>
}

// -----

func.func @integrate_width(%i: tensor<1x3xsi8, #snn.rate<16>>) -> tensor<1x3xsi10, #snn.fixed<frac = 0>> {
  // CHECK: snn_verify.mlir:[[# @LINE + 1]]:3: error: 'snn.integrate': result width si10 is too narrow: 16 steps of si8 need si13
  %0 = snn.integrate %i : tensor<1x3xsi8, #snn.rate<16>> -> tensor<1x3xsi10, #snn.fixed<frac = 0>>
  func.return %0 : tensor<1x3xsi10, #snn.fixed<frac = 0>>
}

// -----

func.func @argmax_result(%v: tensor<2x3xsi8, #snn.fixed<frac = 0>>) -> tensor<1xi32> {
  // CHECK: snn_verify.mlir:[[# @LINE + 1]]:3: error: 'snn.argmax': result must be tensor<2xi32>, got tensor<1xi32>
  %0 = snn.argmax %v : tensor<2x3xsi8, #snn.fixed<frac = 0>> -> tensor<1xi32>
  func.return %0 : tensor<1xi32>
}

// -----

// CHECK: snn_verify.mlir:[[# @LINE + 2]]:63
// CHECK: #snn.radix timesteps must be in [1, 16], got 0
func.func @radix_zero_timesteps(%x: tensor<1xui4, #snn.radix<0, frac = 0>>) {
  func.return
}

// -----

// CHECK: snn_verify.mlir:[[# @LINE + 2]]:85
// CHECK: #snn.weight_quant bits must be in [2, 16], got 1
func.func @weight_bits(%x: tensor<1xf32>) attributes {q = #snn.weight_quant<bits = 1, frac = 0>} {
  func.return
}

// -----

// CHECK: snn_verify.mlir:[[# @LINE + 2]]:72
// CHECK: #snn.radix timesteps must be in [1, 16], got 0
func.func @radix_zero_timesteps_generic(%x: tensor<1xui4, #snn.radix<0 : i64, 0 : i64>>) {
  func.return
}

// -----

// CHECK: snn_verify.mlir:[[# @LINE + 2]]:71
// CHECK: #snn.radix: expected 'N : i64' (generic spelling, as before)
func.func @radix_mixed_spelling(%x: tensor<1xui4, #snn.radix<4 : i64, frac = 3>>) {
  func.return
}

// -----

// CHECK: snn_verify.mlir:[[# @LINE + 2]]:103
// CHECK: #snn.weight_quant: expected 'frac = N' (pretty spelling, as before)
func.func @weight_quant_mixed_spelling(%x: tensor<1xf32>) attributes {q = #snn.weight_quant<bits = 3, 2 : i64>} {
  func.return
}

// -----

// CHECK: snn_verify.mlir:[[# @LINE + 2]]:65
// CHECK: #snn.rate timesteps: expected an integer type
func.func @rate_float_parameter(%x: tensor<1xi1, #snn.rate<16 : f32>>) {
  func.return
}

// -----

func.func @concat_scale(%a: tensor<1x2x4x4xui4, #snn.radix<4, frac = 3>>, %b: tensor<1x1x4x4xui4, #snn.radix<4, frac = 2>>) {
  // CHECK: snn_verify.mlir:[[# @LINE + 1]]:3: error: 'snn.concat': input 1 is tensor<1x1x4x4xui4, #snn.radix<4, frac = 2>>, the result tensor<1x3x4x4xui4, #snn.radix<4, frac = 3>>: the inputs must share element type and encoding (radix: T and frac), but unsigned codes of fewer than T bits may join signed ones of T bits
  %c = snn.concat %a, %b : tensor<1x2x4x4xui4, #snn.radix<4, frac = 3>>, tensor<1x1x4x4xui4, #snn.radix<4, frac = 2>> -> tensor<1x3x4x4xui4, #snn.radix<4, frac = 3>>
  func.return
}

// -----

func.func @concat_unsigned_as_wide(%a: tensor<1x2x4x4xsi4, #snn.radix<4, frac = 3>>, %b: tensor<1x1x4x4xui4, #snn.radix<4, frac = 3>>) {
  // CHECK: snn_verify.mlir:[[# @LINE + 1]]:3: error: 'snn.concat': input 1 is tensor<1x1x4x4xui4, #snn.radix<4, frac = 3>>, the result tensor<1x3x4x4xsi4, #snn.radix<4, frac = 3>>: the inputs must share element type and encoding
  %c = snn.concat %a, %b : tensor<1x2x4x4xsi4, #snn.radix<4, frac = 3>>, tensor<1x1x4x4xui4, #snn.radix<4, frac = 3>> -> tensor<1x3x4x4xsi4, #snn.radix<4, frac = 3>>
  func.return
}

// -----

func.func @concat_rows(%a: tensor<1x2x4x4xf32>, %b: tensor<1x2x2x4xf32>) {
  // CHECK: snn_verify.mlir:[[# @LINE + 1]]:3: error: 'snn.concat': input 1 has shape [1, 2, 2, 4], input 0 [1, 2, 4, 4]: they must agree in every dimension but 1
  %c = snn.concat %a, %b : tensor<1x2x4x4xf32>, tensor<1x2x2x4xf32> -> tensor<1x4x4x4xf32>
  func.return
}

// -----

func.func @concat_result(%a: tensor<1x2x4x4xf32>, %b: tensor<1x3x4x4xf32>) {
  // CHECK: snn_verify.mlir:[[# @LINE + 1]]:3: error: 'snn.concat': result shape must be [1, 5, 4, 4], got [1, 4, 4, 4]
  %c = snn.concat %a, %b : tensor<1x2x4x4xf32>, tensor<1x3x4x4xf32> -> tensor<1x4x4x4xf32>
  func.return
}

// -----

func.func @concat_one(%a: tensor<1x2x4x4xf32>) {
  // CHECK: snn_verify.mlir:[[# @LINE + 1]]:3: error: 'snn.concat': needs at least two inputs, got 1
  %c = snn.concat %a : tensor<1x2x4x4xf32> -> tensor<1x2x4x4xf32>
  func.return
}
