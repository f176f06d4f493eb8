// fuse-layers: quantized radix conv2d/linear ops with their neuron (and pooling, flatten) become snn.conv_layer and
// snn.linear_layer; pools the pool unit cannot run, values with several users, rate and float networks stay.
// RUN: e3ne-opt %s -p fuse-layers | filecheck %s
// RUN: e3ne-opt %s -p fuse-layers | e3ne-opt -p fuse-layers | filecheck %s
// RUN: e3ne-opt %s -p fuse-layers --print-debuginfo | filecheck %s --check-prefix=LOC
// RUN: e3ne-opt %s -p 'fuse-layers{function=pools_left}' | filecheck %s --check-prefix=ONE
// RUN: not e3ne-opt %s -p 'fuse-layers{function=nope}' 2>&1 | filecheck %s --check-prefix=NOFUNC

// conv2d -> neuron -> 2x2 max pool and -> 2x2 average pool: conv layers with their pooling; the flatten goes into
// the linear layer after it (N x C x H x W input); the last linear is raw (logits), the argmax after it stays.
func.func @lenet(%x: tensor<1x1x8x8xf32>) -> tensor<1xi32> {
  %e = snn.encode %x {step = 0.0625 : f64, code_bits = 4 : i64} : tensor<1x1x8x8xf32> -> tensor<1x1x8x8xui4, #snn.radix<4, frac = 4>>
  %c1 = snn.conv2d %e {weight = dense<3> : tensor<2x1x3x3xi8>, bias = dense<[5, -7]> : tensor<2xi8>, strides = array<i64: 1, 1>, padding = array<i64: 1, 1>, weight_quant = #snn.weight_quant<bits = 3, frac = 2>} : tensor<1x1x8x8xui4, #snn.radix<4, frac = 4>> -> tensor<1x2x8x8xsi10, #snn.fixed<frac = 6>>
  // LOC: %m1 = snn.conv_layer {{.*}} loc("{{.*}}fuse_layers.mlir":[[# @LINE - 1]]:3)
  %n1 = snn.radix_neuron %c1 {shift = 3 : i64} : tensor<1x2x8x8xsi10, #snn.fixed<frac = 6>> -> tensor<1x2x8x8xui4, #snn.radix<4, frac = 3>>
  %m1 = snn.max_pool2d %n1 {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, padding = array<i64: 0, 0>} : tensor<1x2x8x8xui4, #snn.radix<4, frac = 3>> -> tensor<1x2x4x4xui4, #snn.radix<4, frac = 3>>
  %c2 = snn.conv2d %m1 {weight = dense<1> : tensor<4x2x3x3xi8>, strides = array<i64: 1, 1>, padding = array<i64: 1, 1>, weight_quant = #snn.weight_quant<bits = 3, frac = 1>} : tensor<1x2x4x4xui4, #snn.radix<4, frac = 3>> -> tensor<1x4x4x4xsi10, #snn.fixed<frac = 4>>
  // LOC: %a2 = snn.conv_layer {{.*}} loc("{{.*}}fuse_layers.mlir":[[# @LINE - 1]]:3)
  %n2 = snn.radix_neuron %c2 {shift = 2 : i64} : tensor<1x4x4x4xsi10, #snn.fixed<frac = 4>> -> tensor<1x4x4x4xui4, #snn.radix<4, frac = 2>>
  %a2 = snn.avg_pool2d %n2 {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, padding = array<i64: 0, 0>} : tensor<1x4x4x4xui4, #snn.radix<4, frac = 2>> -> tensor<1x4x2x2xui4, #snn.radix<4, frac = 2>>
  %f = snn.flatten %a2 : tensor<1x4x2x2xui4, #snn.radix<4, frac = 2>> -> tensor<1x16xui4, #snn.radix<4, frac = 2>>
  %h = snn.linear %f {weight = dense<3> : tensor<5x16xi8>, weight_quant = #snn.weight_quant<bits = 3, frac = 2>} : tensor<1x16xui4, #snn.radix<4, frac = 2>> -> tensor<1x5xsi11, #snn.fixed<frac = 4>>
  // LOC: %hn = snn.linear_layer {{.*}} loc("{{.*}}fuse_layers.mlir":[[# @LINE - 1]]:3)
  %hn = snn.radix_neuron %h {shift = 4 : i64} : tensor<1x5xsi11, #snn.fixed<frac = 4>> -> tensor<1x5xui4, #snn.radix<4, frac = 0>>
  %l = snn.linear %hn {weight = dense<-4> : tensor<3x5xi8>, bias = dense<[1, 0, -1]> : tensor<3xi8>, weight_quant = #snn.weight_quant<bits = 3, frac = 1>} : tensor<1x5xui4, #snn.radix<4, frac = 0>> -> tensor<1x3xsi10, #snn.fixed<frac = 1>>
  // LOC: %l = snn.linear_layer {{.*}} loc("{{.*}}fuse_layers.mlir":[[# @LINE - 1]]:3)
  %k = snn.argmax %l : tensor<1x3xsi10, #snn.fixed<frac = 1>> -> tensor<1xi32>
  func.return %k : tensor<1xi32>
}

// CHECK-LABEL: func.func @lenet(%x: tensor<1x1x8x8xf32>) -> tensor<1xi32> {
// CHECK-NEXT:    %e = snn.encode %x {step = 6.250000e-02 : f64, code_bits = 4 : i64} : tensor<1x1x8x8xf32> -> tensor<1x1x8x8xui4, #snn.radix<4, frac = 4>>
// CHECK-NEXT:    %m1 = snn.conv_layer %e {weight = dense<3> : tensor<2x1x3x3xi8>, bias = dense<[5, -7]> : tensor<2xi8>, strides = array<i64: 1, 1>, padding = array<i64: 1, 1>, weight_quant = #snn.weight_quant<bits = 3, frac = 2>, acc_bits = 10 : i64, shift = 3 : i64, pool_mode = "max", pool_kernel = array<i64: 2, 2>, pool_strides = array<i64: 2, 2>, pool_padding = array<i64: 0, 0>} : tensor<1x1x8x8xui4, #snn.radix<4, frac = 4>> -> tensor<1x2x4x4xui4, #snn.radix<4, frac = 3>>
// CHECK-NEXT:    %a2 = snn.conv_layer %m1 {weight = dense<1> : tensor<4x2x3x3xi8>, strides = array<i64: 1, 1>, padding = array<i64: 1, 1>, weight_quant = #snn.weight_quant<bits = 3, frac = 1>, acc_bits = 10 : i64, shift = 2 : i64, pool_mode = "avg", pool_kernel = array<i64: 2, 2>, pool_strides = array<i64: 2, 2>, pool_padding = array<i64: 0, 0>} : tensor<1x2x4x4xui4, #snn.radix<4, frac = 3>> -> tensor<1x4x2x2xui4, #snn.radix<4, frac = 2>>
// CHECK-NEXT:    %hn = snn.linear_layer %a2 {weight = dense<3> : tensor<5x16xi8>, weight_quant = #snn.weight_quant<bits = 3, frac = 2>, acc_bits = 11 : i64, shift = 4 : i64} : tensor<1x4x2x2xui4, #snn.radix<4, frac = 2>> -> tensor<1x5xui4, #snn.radix<4, frac = 0>>
// CHECK-NEXT:    %l = snn.linear_layer %hn {weight = dense<-4> : tensor<3x5xi8>, bias = dense<[1, 0, -1]> : tensor<3xi8>, weight_quant = #snn.weight_quant<bits = 3, frac = 1>, acc_bits = 10 : i64} : tensor<1x5xui4, #snn.radix<4, frac = 0>> -> tensor<1x3xsi10, #snn.fixed<frac = 1>>
// CHECK-NEXT:    %k = snn.argmax %l : tensor<1x3xsi10, #snn.fixed<frac = 1>> -> tensor<1xi32>
// CHECK-NEXT:    func.return %k : tensor<1xi32>
// CHECK-NEXT:  }

// A pool the pool unit cannot run (a 2x1 window) stays after the conv layer (and the pool after it).
func.func @pools_left(%e: tensor<1x1x8x8xui4, #snn.radix<4, frac = 4>>) -> tensor<1x3xsi11, #snn.fixed<frac = 4>> {
  %c = snn.conv2d %e {weight = dense<3> : tensor<2x1x3x3xi8>, bias = dense<[5, -7]> : tensor<2xi8>, strides = array<i64: 1, 1>, padding = array<i64: 1, 1>, weight_quant = #snn.weight_quant<bits = 3, frac = 2>} : tensor<1x1x8x8xui4, #snn.radix<4, frac = 4>> -> tensor<1x2x8x8xsi10, #snn.fixed<frac = 6>>
  %n = snn.radix_neuron %c {shift = 3 : i64} : tensor<1x2x8x8xsi10, #snn.fixed<frac = 6>> -> tensor<1x2x8x8xui4, #snn.radix<4, frac = 3>>
  %m = snn.max_pool2d %n {kernel = array<i64: 2, 1>, strides = array<i64: 2, 2>, padding = array<i64: 0, 0>} : tensor<1x2x8x8xui4, #snn.radix<4, frac = 3>> -> tensor<1x2x4x4xui4, #snn.radix<4, frac = 3>>
  %a = snn.avg_pool2d %m {kernel = array<i64: 1, 2>, strides = array<i64: 1, 2>, padding = array<i64: 0, 0>} : tensor<1x2x4x4xui4, #snn.radix<4, frac = 3>> -> tensor<1x2x4x2xui4, #snn.radix<4, frac = 3>>
  %f = snn.flatten %a : tensor<1x2x4x2xui4, #snn.radix<4, frac = 3>> -> tensor<1x16xui4, #snn.radix<4, frac = 3>>
  %l = snn.linear %f {weight = dense<-4> : tensor<3x16xi8>, weight_quant = #snn.weight_quant<bits = 3, frac = 1>} : tensor<1x16xui4, #snn.radix<4, frac = 3>> -> tensor<1x3xsi11, #snn.fixed<frac = 4>>
  func.return %l : tensor<1x3xsi11, #snn.fixed<frac = 4>>
}

// CHECK-LABEL: func.func @pools_left(%e: tensor<1x1x8x8xui4, #snn.radix<4, frac = 4>>) -> tensor<1x3xsi11, #snn.fixed<frac = 4>> {
// CHECK-NEXT:    %n = snn.conv_layer %e {weight = dense<3> : tensor<2x1x3x3xi8>, bias = dense<[5, -7]> : tensor<2xi8>, strides = array<i64: 1, 1>, padding = array<i64: 1, 1>, weight_quant = #snn.weight_quant<bits = 3, frac = 2>, acc_bits = 10 : i64, shift = 3 : i64} : tensor<1x1x8x8xui4, #snn.radix<4, frac = 4>> -> tensor<1x2x8x8xui4, #snn.radix<4, frac = 3>>
// CHECK-NEXT:    %m = snn.max_pool2d %n {kernel = array<i64: 2, 1>, strides = array<i64: 2, 2>, padding = array<i64: 0, 0>} : tensor<1x2x8x8xui4, #snn.radix<4, frac = 3>> -> tensor<1x2x4x4xui4, #snn.radix<4, frac = 3>>
// CHECK-NEXT:    %a = snn.avg_pool2d %m {kernel = array<i64: 1, 2>, strides = array<i64: 1, 2>, padding = array<i64: 0, 0>} : tensor<1x2x4x4xui4, #snn.radix<4, frac = 3>> -> tensor<1x2x4x2xui4, #snn.radix<4, frac = 3>>
// CHECK-NEXT:    %l = snn.linear_layer %a {weight = dense<-4> : tensor<3x16xi8>, weight_quant = #snn.weight_quant<bits = 3, frac = 1>, acc_bits = 11 : i64} : tensor<1x2x4x2xui4, #snn.radix<4, frac = 3>> -> tensor<1x3xsi11, #snn.fixed<frac = 4>>
// CHECK-NEXT:    func.return %l : tensor<1x3xsi11, #snn.fixed<frac = 4>>
// CHECK-NEXT:  }

// Several users: raw potentials (%r) and codes that are also returned (%n, %l) keep the ops that give them;
// a conv2d without a neuron stays; the flatten stays with the linear it feeds.
func.func @users(%e: tensor<1x1x4x4xui4, #snn.radix<4, frac = 4>>) -> (tensor<1x2x4x4xsi9, #snn.fixed<frac = 4>>, tensor<1x2x4x4xui4, #snn.radix<4, frac = 2>>, tensor<1x2x2x2xui4, #snn.radix<4, frac = 2>>, tensor<1x3xsi9, #snn.fixed<frac = 2>>, tensor<1x3xui4, #snn.radix<4, frac = 1>>) {
  %r = snn.conv2d %e {weight = dense<1> : tensor<2x1x3x3xi8>, strides = array<i64: 1, 1>, padding = array<i64: 1, 1>, weight_quant = #snn.weight_quant<bits = 3, frac = 0>} : tensor<1x1x4x4xui4, #snn.radix<4, frac = 4>> -> tensor<1x2x4x4xsi9, #snn.fixed<frac = 4>>
  %c = snn.conv2d %e {weight = dense<1> : tensor<2x1x3x3xi8>, strides = array<i64: 1, 1>, padding = array<i64: 1, 1>, weight_quant = #snn.weight_quant<bits = 3, frac = 0>} : tensor<1x1x4x4xui4, #snn.radix<4, frac = 4>> -> tensor<1x2x4x4xsi9, #snn.fixed<frac = 4>>
  %n = snn.radix_neuron %c {shift = 2 : i64} : tensor<1x2x4x4xsi9, #snn.fixed<frac = 4>> -> tensor<1x2x4x4xui4, #snn.radix<4, frac = 2>>
  %m = snn.max_pool2d %n {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, padding = array<i64: 0, 0>} : tensor<1x2x4x4xui4, #snn.radix<4, frac = 2>> -> tensor<1x2x2x2xui4, #snn.radix<4, frac = 2>>
  %f = snn.flatten %m : tensor<1x2x2x2xui4, #snn.radix<4, frac = 2>> -> tensor<1x8xui4, #snn.radix<4, frac = 2>>
  %l = snn.linear %f {weight = dense<2> : tensor<3x8xi8>, weight_quant = #snn.weight_quant<bits = 3, frac = 0>} : tensor<1x8xui4, #snn.radix<4, frac = 2>> -> tensor<1x3xsi9, #snn.fixed<frac = 2>>
  %ln = snn.radix_neuron %l {shift = 1 : i64} : tensor<1x3xsi9, #snn.fixed<frac = 2>> -> tensor<1x3xui4, #snn.radix<4, frac = 1>>
  func.return %r, %n, %m, %l, %ln : tensor<1x2x4x4xsi9, #snn.fixed<frac = 4>>, tensor<1x2x4x4xui4, #snn.radix<4, frac = 2>>, tensor<1x2x2x2xui4, #snn.radix<4, frac = 2>>, tensor<1x3xsi9, #snn.fixed<frac = 2>>, tensor<1x3xui4, #snn.radix<4, frac = 1>>
}

// CHECK-LABEL: func.func @users(%e: tensor<1x1x4x4xui4, #snn.radix<4, frac = 4>>) -> (tensor<1x2x4x4xsi9, #snn.fixed<frac = 4>>, tensor<1x2x4x4xui4, #snn.radix<4, frac = 2>>, tensor<1x2x2x2xui4, #snn.radix<4, frac = 2>>, tensor<1x3xsi9, #snn.fixed<frac = 2>>, tensor<1x3xui4, #snn.radix<4, frac = 1>>) {
// CHECK-NEXT:    %r = snn.conv2d %e {weight = dense<1> : tensor<2x1x3x3xi8>, strides = array<i64: 1, 1>, padding = array<i64: 1, 1>, weight_quant = #snn.weight_quant<bits = 3, frac = 0>} : tensor<1x1x4x4xui4, #snn.radix<4, frac = 4>> -> tensor<1x2x4x4xsi9, #snn.fixed<frac = 4>>
// CHECK-NEXT:    %n = snn.conv_layer %e {weight = dense<1> : tensor<2x1x3x3xi8>, strides = array<i64: 1, 1>, padding = array<i64: 1, 1>, weight_quant = #snn.weight_quant<bits = 3, frac = 0>, acc_bits = 9 : i64, shift = 2 : i64} : tensor<1x1x4x4xui4, #snn.radix<4, frac = 4>> -> tensor<1x2x4x4xui4, #snn.radix<4, frac = 2>>
// CHECK-NEXT:    %m = snn.max_pool2d %n {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, padding = array<i64: 0, 0>} : tensor<1x2x4x4xui4, #snn.radix<4, frac = 2>> -> tensor<1x2x2x2xui4, #snn.radix<4, frac = 2>>
// CHECK-NEXT:    %f = snn.flatten %m : tensor<1x2x2x2xui4, #snn.radix<4, frac = 2>> -> tensor<1x8xui4, #snn.radix<4, frac = 2>>
// CHECK-NEXT:    %l = snn.linear %f {weight = dense<2> : tensor<3x8xi8>, weight_quant = #snn.weight_quant<bits = 3, frac = 0>} : tensor<1x8xui4, #snn.radix<4, frac = 2>> -> tensor<1x3xsi9, #snn.fixed<frac = 2>>
// CHECK-NEXT:    %ln = snn.radix_neuron %l {shift = 1 : i64} : tensor<1x3xsi9, #snn.fixed<frac = 2>> -> tensor<1x3xui4, #snn.radix<4, frac = 1>>
// CHECK-NEXT:    func.return %r, %n, %m, %l, %ln : tensor<1x2x4x4xsi9, #snn.fixed<frac = 4>>, tensor<1x2x4x4xui4, #snn.radix<4, frac = 2>>, tensor<1x2x2x2xui4, #snn.radix<4, frac = 2>>, tensor<1x3xsi9, #snn.fixed<frac = 2>>, tensor<1x3xui4, #snn.radix<4, frac = 1>>
// CHECK-NEXT:  }

// Rate-coded networks are left alone.
func.func @rate_net(%x: tensor<1x1x8x8xf32>) -> tensor<1x3xsi14, #snn.fixed<frac = 0>> {
  %e = snn.encode %x {step = 0.0625 : f64, code_bits = 4 : i64} : tensor<1x1x8x8xf32> -> tensor<1x1x8x8xi1, #snn.rate<16>>
  %c = snn.conv2d %e {weight = dense<3> : tensor<2x1x3x3xi8>, bias = dense<[5, -7]> : tensor<2xi8>, strides = array<i64: 1, 1>, padding = array<i64: 1, 1>, weight_quant = #snn.weight_quant<bits = 3, frac = 2>} : tensor<1x1x8x8xi1, #snn.rate<16>> -> tensor<1x2x8x8xsi8, #snn.rate<16>>
  %s = snn.if_neuron %c {threshold = 8 : i64} : tensor<1x2x8x8xsi8, #snn.rate<16>> -> tensor<1x2x8x8xi1, #snn.rate<16>>
  %m = snn.max_pool2d %s {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, padding = array<i64: 0, 0>} : tensor<1x2x8x8xi1, #snn.rate<16>> -> tensor<1x2x4x4xi1, #snn.rate<16>>
  %f = snn.flatten %m : tensor<1x2x4x4xi1, #snn.rate<16>> -> tensor<1x32xi1, #snn.rate<16>>
  %o = snn.linear %f {weight = dense<-4> : tensor<3x32xi8>, weight_quant = #snn.weight_quant<bits = 3, frac = 1>} : tensor<1x32xi1, #snn.rate<16>> -> tensor<1x3xsi9, #snn.rate<16>>
  %v = snn.integrate %o : tensor<1x3xsi9, #snn.rate<16>> -> tensor<1x3xsi14, #snn.fixed<frac = 0>>
  func.return %v : tensor<1x3xsi14, #snn.fixed<frac = 0>>
}

// CHECK-LABEL: func.func @rate_net(%x: tensor<1x1x8x8xf32>) -> tensor<1x3xsi14, #snn.fixed<frac = 0>> {
// CHECK-NEXT:    %e = snn.encode %x {step = 6.250000e-02 : f64, code_bits = 4 : i64} : tensor<1x1x8x8xf32> -> tensor<1x1x8x8xi1, #snn.rate<16>>
// CHECK-NEXT:    %c = snn.conv2d %e {weight = dense<3> : tensor<2x1x3x3xi8>, bias = dense<[5, -7]> : tensor<2xi8>, strides = array<i64: 1, 1>, padding = array<i64: 1, 1>, weight_quant = #snn.weight_quant<bits = 3, frac = 2>} : tensor<1x1x8x8xi1, #snn.rate<16>> -> tensor<1x2x8x8xsi8, #snn.rate<16>>
// CHECK-NEXT:    %s = snn.if_neuron %c {threshold = 8 : i64} : tensor<1x2x8x8xsi8, #snn.rate<16>> -> tensor<1x2x8x8xi1, #snn.rate<16>>
// CHECK-NEXT:    %m = snn.max_pool2d %s {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, padding = array<i64: 0, 0>} : tensor<1x2x8x8xi1, #snn.rate<16>> -> tensor<1x2x4x4xi1, #snn.rate<16>>
// CHECK-NEXT:    %f = snn.flatten %m : tensor<1x2x4x4xi1, #snn.rate<16>> -> tensor<1x32xi1, #snn.rate<16>>
// CHECK-NEXT:    %o = snn.linear %f {weight = dense<-4> : tensor<3x32xi8>, weight_quant = #snn.weight_quant<bits = 3, frac = 1>} : tensor<1x32xi1, #snn.rate<16>> -> tensor<1x3xsi9, #snn.rate<16>>
// CHECK-NEXT:    %v = snn.integrate %o : tensor<1x3xsi9, #snn.rate<16>> -> tensor<1x3xsi14, #snn.fixed<frac = 0>>
// CHECK-NEXT:    func.return %v : tensor<1x3xsi14, #snn.fixed<frac = 0>>
// CHECK-NEXT:  }

// A conv whose one output position sees its whole input is still a conv_layer (the tile pass may give it a
// #snn.linear_tiling); the flatten after it is fused into the next linear layer.
func.func @conv_as_linear(%e: tensor<1x2x3x3xui4, #snn.radix<4, frac = 4>>) -> tensor<1x2xsi9, #snn.fixed<frac = 1>> {
  %c = snn.conv2d %e {weight = dense<1> : tensor<3x2x3x3xi8>, strides = array<i64: 1, 1>, padding = array<i64: 0, 0>, weight_quant = #snn.weight_quant<bits = 3, frac = 0>} : tensor<1x2x3x3xui4, #snn.radix<4, frac = 4>> -> tensor<1x3x1x1xsi10, #snn.fixed<frac = 4>>
  %n = snn.radix_neuron %c {shift = 4 : i64} : tensor<1x3x1x1xsi10, #snn.fixed<frac = 4>> -> tensor<1x3x1x1xui4, #snn.radix<4, frac = 0>>
  %f = snn.flatten %n : tensor<1x3x1x1xui4, #snn.radix<4, frac = 0>> -> tensor<1x3xui4, #snn.radix<4, frac = 0>>
  %l = snn.linear %f {weight = dense<-3> : tensor<2x3xi8>, weight_quant = #snn.weight_quant<bits = 3, frac = 1>} : tensor<1x3xui4, #snn.radix<4, frac = 0>> -> tensor<1x2xsi9, #snn.fixed<frac = 1>>
  func.return %l : tensor<1x2xsi9, #snn.fixed<frac = 1>>
}

// CHECK-LABEL: func.func @conv_as_linear(%e: tensor<1x2x3x3xui4, #snn.radix<4, frac = 4>>) -> tensor<1x2xsi9, #snn.fixed<frac = 1>> {
// CHECK-NEXT:    %n = snn.conv_layer %e {weight = dense<1> : tensor<3x2x3x3xi8>, strides = array<i64: 1, 1>, padding = array<i64: 0, 0>, weight_quant = #snn.weight_quant<bits = 3, frac = 0>, acc_bits = 10 : i64, shift = 4 : i64} : tensor<1x2x3x3xui4, #snn.radix<4, frac = 4>> -> tensor<1x3x1x1xui4, #snn.radix<4, frac = 0>>
// CHECK-NEXT:    %l = snn.linear_layer %n {weight = dense<-3> : tensor<2x3xi8>, weight_quant = #snn.weight_quant<bits = 3, frac = 1>, acc_bits = 9 : i64} : tensor<1x3x1x1xui4, #snn.radix<4, frac = 0>> -> tensor<1x2xsi9, #snn.fixed<frac = 1>>
// CHECK-NEXT:    func.return %l : tensor<1x2xsi9, #snn.fixed<frac = 1>>
// CHECK-NEXT:  }

// Float ops are left alone.
func.func @float_net(%x: tensor<1x4xf32>) -> tensor<1x2xf32> {
  %l = snn.linear %x {weight = dense<0.5> : tensor<2x4xf32>} : tensor<1x4xf32> -> tensor<1x2xf32>
  %r = snn.relu %l : tensor<1x2xf32>
  func.return %r : tensor<1x2xf32>
}

// CHECK-LABEL: func.func @float_net(%x: tensor<1x4xf32>) -> tensor<1x2xf32> {
// CHECK-NEXT:    %l = snn.linear %x {weight = dense<5.000000e-01> : tensor<2x4xf32>} : tensor<1x4xf32> -> tensor<1x2xf32>
// CHECK-NEXT:    %r = snn.relu %l : tensor<1x2xf32>
// CHECK-NEXT:    func.return %r : tensor<1x2xf32>
// CHECK-NEXT:  }

// With function=pools_left, only @pools_left is fused.
// ONE-LABEL: func.func @lenet(
// ONE-NEXT:    %e = snn.encode
// ONE-NEXT:    %c1 = snn.conv2d
// ONE-LABEL: func.func @pools_left(
// ONE-NEXT:    %n = snn.conv_layer %e
// ONE-LABEL: func.func @users(
// ONE-NEXT:    %r = snn.conv2d
// ONE-NEXT:    %c = snn.conv2d

// NOFUNC: e3ne-opt: error: the module has no func.func @nope
