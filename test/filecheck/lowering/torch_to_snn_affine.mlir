// Elementwise ops with constants on activations become one per-channel affine map, accumulated in
// float64 and rounded to f32 once: the bias of the conv/linear before it when it is a pure shift
// and that layer's result has no other reader, else an snn.batch_norm.
// RUN: e3ne-opt %s -p convert-torch-to-snn | filecheck %s

// CHECK-LABEL: func.func @shift_into_bias(%x: tensor<1x1x2x2xf32>)
// CHECK-NEXT:    %conv = snn.conv2d %x {weight = dense<[[[[1.000000e+00]]], [[[-1.000000e+00]]]]> : tensor<2x1x1x1xf32>, strides = array<i64: 1, 1>, padding = array<i64: 0, 0>, bias = dense<[2.500000e-01, -5.000000e-01]> : tensor<2xf32>} : tensor<1x1x2x2xf32> -> tensor<1x2x2x2xf32>
// CHECK-NEXT:    %relu = snn.relu %conv : tensor<1x2x2x2xf32>
// CHECK-NEXT:    func.return %relu : tensor<1x2x2x2xf32>
func.func @shift_into_bias(%x: !torch.vtensor<[1,1,2,2],f32>) -> !torch.vtensor<[1,2,2,2],f32> {
  %w = torch.vtensor.literal(dense<[[[[1.0]]], [[[-1.0]]]]> : tensor<2x1x1x1xf32>) : !torch.vtensor<[2,1,1,1],f32>
  %none = torch.constant.none
  %int1 = torch.constant.int 1
  %int0 = torch.constant.int 0
  %false = torch.constant.bool false
  %ones = torch.prim.ListConstruct %int1, %int1 : (!torch.int, !torch.int) -> !torch.list<int>
  %zeros = torch.prim.ListConstruct %int0, %int0 : (!torch.int, !torch.int) -> !torch.list<int>
  %conv = torch.aten.convolution %x, %w, %none, %ones, %zeros, %ones, %false, %zeros, %int1 : !torch.vtensor<[1,1,2,2],f32>, !torch.vtensor<[2,1,1,1],f32>, !torch.none, !torch.list<int>, !torch.list<int>, !torch.list<int>, !torch.bool, !torch.list<int>, !torch.int -> !torch.vtensor<[1,2,2,2],f32>
  %one = torch.constant.float 1.000000e+00
  %scaled = torch.aten.mul.Scalar %conv, %one : !torch.vtensor<[1,2,2,2],f32>, !torch.float -> !torch.vtensor<[1,2,2,2],f32>
  %b = torch.vtensor.literal(dense<[[[0.25]], [[-0.5]]]> : tensor<2x1x1xf32>) : !torch.vtensor<[2,1,1],f32>
  %shifted = torch.aten.add.Tensor %scaled, %b, %int1 : !torch.vtensor<[1,2,2,2],f32>, !torch.vtensor<[2,1,1],f32>, !torch.int -> !torch.vtensor<[1,2,2,2],f32>
  %relu = torch.aten.relu %shifted : !torch.vtensor<[1,2,2,2],f32> -> !torch.vtensor<[1,2,2,2],f32>
  return %relu : !torch.vtensor<[1,2,2,2],f32>
}

// The conv's result is also read by the second relu: the shift must not go into its bias.
// CHECK-LABEL: func.func @shared_result(%x: tensor<1x1x2x2xf32>)
// CHECK-NEXT:    %conv = snn.conv2d %x {weight = dense<[[[[1.000000e+00]]], [[[-1.000000e+00]]]]> : tensor<2x1x1x1xf32>, strides = array<i64: 1, 1>, padding = array<i64: 0, 0>} : tensor<1x1x2x2xf32> -> tensor<1x2x2x2xf32>
// CHECK-NEXT:    %[[BN:.*]] = snn.batch_norm %conv {scale = dense<1.000000e+00> : tensor<2xf32>, shift = dense<2.000000e+00> : tensor<2xf32>} : tensor<1x2x2x2xf32>
// CHECK-NEXT:    %{{.*}} = snn.relu %[[BN]] : tensor<1x2x2x2xf32>
// CHECK-NEXT:    %other = snn.relu %conv : tensor<1x2x2x2xf32>
// CHECK-NEXT:    func.return %other : tensor<1x2x2x2xf32>
func.func @shared_result(%x: !torch.vtensor<[1,1,2,2],f32>) -> !torch.vtensor<[1,2,2,2],f32> {
  %w = torch.vtensor.literal(dense<[[[[1.0]]], [[[-1.0]]]]> : tensor<2x1x1x1xf32>) : !torch.vtensor<[2,1,1,1],f32>
  %none = torch.constant.none
  %int1 = torch.constant.int 1
  %int0 = torch.constant.int 0
  %false = torch.constant.bool false
  %ones = torch.prim.ListConstruct %int1, %int1 : (!torch.int, !torch.int) -> !torch.list<int>
  %zeros = torch.prim.ListConstruct %int0, %int0 : (!torch.int, !torch.int) -> !torch.list<int>
  %conv = torch.aten.convolution %x, %w, %none, %ones, %zeros, %ones, %false, %zeros, %int1 : !torch.vtensor<[1,1,2,2],f32>, !torch.vtensor<[2,1,1,1],f32>, !torch.none, !torch.list<int>, !torch.list<int>, !torch.list<int>, !torch.bool, !torch.list<int>, !torch.int -> !torch.vtensor<[1,2,2,2],f32>
  %p = torch.constant.float 5.000000e-01
  %drop = torch.aten.dropout %conv, %p, %false : !torch.vtensor<[1,2,2,2],f32>, !torch.float, !torch.bool -> !torch.vtensor<[1,2,2,2],f32>
  %two = torch.constant.float 2.000000e+00
  %shifted = torch.aten.add.Scalar %drop, %two, %int1 : !torch.vtensor<[1,2,2,2],f32>, !torch.float, !torch.int -> !torch.vtensor<[1,2,2,2],f32>
  %relu = torch.aten.relu %shifted : !torch.vtensor<[1,2,2,2],f32> -> !torch.vtensor<[1,2,2,2],f32>
  %other = torch.aten.relu %conv : !torch.vtensor<[1,2,2,2],f32> -> !torch.vtensor<[1,2,2,2],f32>
  return %other : !torch.vtensor<[1,2,2,2],f32>
}

// BatchNorm as torch-mlir decomposes it: (x - mean) * rsqrt(var + eps) * gamma + beta, on the input.
// One snn.batch_norm, before the first reader, read by both readers.
// scale = gamma / sqrt(var) = [1.5, 1], shift = beta - mean * scale = [0.55, 0.2] (in f64, then f32).
// CHECK-LABEL: func.func @decomposed_batch_norm(%x: tensor<1x2x2x2xf32>)
// CHECK-NEXT:    %[[BN:.*]] = snn.batch_norm %x {scale = dense<[1.500000e+00, 1.000000e+00]> : tensor<2xf32>, shift = dense<[5.500000e-01, 2.000000e-01]> : tensor<2xf32>} : tensor<1x2x2x2xf32>
// CHECK-NEXT:    %{{.*}} = snn.relu %[[BN]] : tensor<1x2x2x2xf32>
// CHECK-NEXT:    %pool = snn.max_pool2d %[[BN]] {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, padding = array<i64: 0, 0>} : tensor<1x2x2x2xf32> -> tensor<1x2x1x1xf32>
// CHECK-NEXT:    func.return %pool : tensor<1x2x1x1xf32>
func.func @decomposed_batch_norm(%x: !torch.vtensor<[1,2,2,2],f32>) -> !torch.vtensor<[1,2,1,1],f32> {
  %mean = torch.vtensor.literal(dense<[0.1, -0.2]> : tensor<2xf32>) : !torch.vtensor<[2],f32>
  %var = torch.vtensor.literal(dense<[4.0, 0.25]> : tensor<2xf32>) : !torch.vtensor<[2],f32>
  %gamma = torch.vtensor.literal(dense<[3.0, 0.5]> : tensor<2xf32>) : !torch.vtensor<[2],f32>
  %beta = torch.vtensor.literal(dense<[0.7, 0.0]> : tensor<2xf32>) : !torch.vtensor<[2],f32>
  %int1 = torch.constant.int 1
  %int-1 = torch.constant.int -1
  %eps = torch.constant.float 0.000000e+00
  %m0 = torch.aten.unsqueeze %mean, %int-1 : !torch.vtensor<[2],f32>, !torch.int -> !torch.vtensor<[2,1],f32>
  %m1 = torch.aten.unsqueeze %m0, %int-1 : !torch.vtensor<[2,1],f32>, !torch.int -> !torch.vtensor<[2,1,1],f32>
  %centred = torch.aten.sub.Tensor %x, %m1, %int1 : !torch.vtensor<[1,2,2,2],f32>, !torch.vtensor<[2,1,1],f32>, !torch.int -> !torch.vtensor<[1,2,2,2],f32>
  %v = torch.aten.add.Scalar %var, %eps, %int1 : !torch.vtensor<[2],f32>, !torch.float, !torch.int -> !torch.vtensor<[2],f32>
  %invstd = torch.aten.rsqrt %v : !torch.vtensor<[2],f32> -> !torch.vtensor<[2],f32>
  %i0 = torch.aten.unsqueeze %invstd, %int-1 : !torch.vtensor<[2],f32>, !torch.int -> !torch.vtensor<[2,1],f32>
  %i1 = torch.aten.unsqueeze %i0, %int-1 : !torch.vtensor<[2,1],f32>, !torch.int -> !torch.vtensor<[2,1,1],f32>
  %normed = torch.aten.mul.Tensor %centred, %i1 : !torch.vtensor<[1,2,2,2],f32>, !torch.vtensor<[2,1,1],f32> -> !torch.vtensor<[1,2,2,2],f32>
  %g0 = torch.aten.unsqueeze %gamma, %int-1 : !torch.vtensor<[2],f32>, !torch.int -> !torch.vtensor<[2,1],f32>
  %g1 = torch.aten.unsqueeze %g0, %int-1 : !torch.vtensor<[2,1],f32>, !torch.int -> !torch.vtensor<[2,1,1],f32>
  %scaled = torch.aten.mul.Tensor %normed, %g1 : !torch.vtensor<[1,2,2,2],f32>, !torch.vtensor<[2,1,1],f32> -> !torch.vtensor<[1,2,2,2],f32>
  %b0 = torch.aten.unsqueeze %beta, %int-1 : !torch.vtensor<[2],f32>, !torch.int -> !torch.vtensor<[2,1],f32>
  %b1 = torch.aten.unsqueeze %b0, %int-1 : !torch.vtensor<[2,1],f32>, !torch.int -> !torch.vtensor<[2,1,1],f32>
  %bn = torch.aten.add.Tensor %scaled, %b1, %int1 : !torch.vtensor<[1,2,2,2],f32>, !torch.vtensor<[2,1,1],f32>, !torch.int -> !torch.vtensor<[1,2,2,2],f32>
  %relu = torch.aten.relu %bn : !torch.vtensor<[1,2,2,2],f32> -> !torch.vtensor<[1,2,2,2],f32>
  %int2 = torch.constant.int 2
  %int0 = torch.constant.int 0
  %false = torch.constant.bool false
  %k = torch.prim.ListConstruct %int2, %int2 : (!torch.int, !torch.int) -> !torch.list<int>
  %zeros = torch.prim.ListConstruct %int0, %int0 : (!torch.int, !torch.int) -> !torch.list<int>
  %ones = torch.prim.ListConstruct %int1, %int1 : (!torch.int, !torch.int) -> !torch.list<int>
  %pool = torch.aten.max_pool2d %bn, %k, %k, %zeros, %ones, %false : !torch.vtensor<[1,2,2,2],f32>, !torch.list<int>, !torch.list<int>, !torch.list<int>, !torch.list<int>, !torch.bool -> !torch.vtensor<[1,2,1,1],f32>
  return %pool : !torch.vtensor<[1,2,1,1],f32>
}

// A chain that multiplies out to the identity leaves nothing.
// CHECK-LABEL: func.func @identity_chain(%x: tensor<1x3xf32>)
// CHECK-NEXT:    %relu = snn.relu %x : tensor<1x3xf32>
// CHECK-NEXT:    func.return %relu : tensor<1x3xf32>
func.func @identity_chain(%x: !torch.vtensor<[1,3],f32>) -> !torch.vtensor<[1,3],f32> {
  %four = torch.constant.float 4.000000e+00
  %a = torch.aten.mul.Scalar %x, %four : !torch.vtensor<[1,3],f32>, !torch.float -> !torch.vtensor<[1,3],f32>
  %b = torch.aten.div.Scalar %a, %four : !torch.vtensor<[1,3],f32>, !torch.float -> !torch.vtensor<[1,3],f32>
  %relu = torch.aten.relu %b : !torch.vtensor<[1,3],f32> -> !torch.vtensor<[1,3],f32>
  return %relu : !torch.vtensor<[1,3],f32>
}
