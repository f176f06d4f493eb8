// Unsupported torch input stops with one line naming the torch op and its position.
// RUN: e3ne-opt %s --split-input-file --verify-diagnostics -p convert-torch-to-snn 2>&1 | filecheck %s

func.func @sigmoid(%arg0: !torch.vtensor<[1,4],f32>) -> !torch.vtensor<[1,4],f32> {
  // CHECK: torch_to_snn_errors.mlir:[[# @LINE + 1]]:3: error: 'torch.aten.sigmoid': not supported: torch.aten.sigmoid
  %0 = torch.aten.sigmoid %arg0 : !torch.vtensor<[1,4],f32> -> !torch.vtensor<[1,4],f32>
  return %0 : !torch.vtensor<[1,4],f32>
}

// -----

// The first unsupported op in program order is the one reported.
func.func @first(%arg0: !torch.vtensor<[1,4],f32>) -> !torch.vtensor<[1,4],f32> {
  %p = torch.constant.float 5.000000e-01
  %true = torch.constant.bool true
  // CHECK: torch_to_snn_errors.mlir:[[# @LINE + 1]]:3: error: 'torch.operator': not supported: torch.operator
  %0 = torch.operator "aten.foo"(%arg0) : (!torch.vtensor<[1,4],f32>) -> !torch.vtensor<[1,4],f32>
  %1 = torch.aten.dropout %0, %p, %true : !torch.vtensor<[1,4],f32>, !torch.float, !torch.bool -> !torch.vtensor<[1,4],f32>
  return %1 : !torch.vtensor<[1,4],f32>
}

// -----

func.func @dropout_training(%arg0: !torch.vtensor<[1,4],f32>) -> !torch.vtensor<[1,4],f32> {
  %p = torch.constant.float 5.000000e-01
  %true = torch.constant.bool true
  // CHECK: torch_to_snn_errors.mlir:[[# @LINE + 1]]:3: error: 'torch.aten.dropout': not supported: dropout in training mode (export the model in eval mode)
  %0 = torch.aten.dropout %arg0, %p, %true : !torch.vtensor<[1,4],f32>, !torch.float, !torch.bool -> !torch.vtensor<[1,4],f32>
  return %0 : !torch.vtensor<[1,4],f32>
}

// -----

func.func @dilated(%arg0: !torch.vtensor<[1,2,4,4],f32>) -> !torch.vtensor<[1,2,4,4],f32> {
  %w = torch.vtensor.literal(dense<1.0> : tensor<2x1x1x1xf32>) : !torch.vtensor<[2,1,1,1],f32>
  %none = torch.constant.none
  %int1 = torch.constant.int 1
  %int0 = torch.constant.int 0
  %int2 = torch.constant.int 2
  %twos = torch.prim.ListConstruct %int2, %int2 : (!torch.int, !torch.int) -> !torch.list<int>
  %false = torch.constant.bool false
  %ones = torch.prim.ListConstruct %int1, %int1 : (!torch.int, !torch.int) -> !torch.list<int>
  %zeros = torch.prim.ListConstruct %int0, %int0 : (!torch.int, !torch.int) -> !torch.list<int>
  // CHECK: torch_to_snn_errors.mlir:[[# @LINE + 1]]:3: error: 'torch.aten.convolution': not supported: dilated convolution (dilation = [2, 2])
  %0 = torch.aten.convolution %arg0, %w, %none, %ones, %zeros, %twos, %false, %zeros, %int1 : !torch.vtensor<[1,2,4,4],f32>, !torch.vtensor<[2,1,1,1],f32>, !torch.none, !torch.list<int>, !torch.list<int>, !torch.list<int>, !torch.bool, !torch.list<int>, !torch.int -> !torch.vtensor<[1,2,4,4],f32>
  return %0 : !torch.vtensor<[1,2,4,4],f32>
}

// -----

func.func @weight_at_run_time(%arg0: !torch.vtensor<[1,1,1,1],f32>) -> !torch.vtensor<[1,1,1,1],f32> {
  %none = torch.constant.none
  %int1 = torch.constant.int 1
  %int0 = torch.constant.int 0
  %false = torch.constant.bool false
  %ones = torch.prim.ListConstruct %int1, %int1 : (!torch.int, !torch.int) -> !torch.list<int>
  %zeros = torch.prim.ListConstruct %int0, %int0 : (!torch.int, !torch.int) -> !torch.list<int>
  // CHECK: torch_to_snn_errors.mlir:[[# @LINE + 1]]:3: error: 'torch.aten.convolution': not supported: the convolution weight computed at run time (it must be a constant)
  %0 = torch.aten.convolution %arg0, %arg0, %none, %ones, %zeros, %ones, %false, %zeros, %int1 : !torch.vtensor<[1,1,1,1],f32>, !torch.vtensor<[1,1,1,1],f32>, !torch.none, !torch.list<int>, !torch.list<int>, !torch.list<int>, !torch.bool, !torch.list<int>, !torch.int -> !torch.vtensor<[1,1,1,1],f32>
  return %0 : !torch.vtensor<[1,1,1,1],f32>
}

// -----

func.func @product_of_activations(%arg0: !torch.vtensor<[1,4],f32>) -> !torch.vtensor<[1,4],f32> {
  // CHECK: torch_to_snn_errors.mlir:[[# @LINE + 1]]:3: error: 'torch.aten.mul.Tensor': not supported: the second operand of torch.aten.mul.Tensor computed at run time (it must be a constant)
  %0 = torch.aten.mul.Tensor %arg0, %arg0 : !torch.vtensor<[1,4],f32>, !torch.vtensor<[1,4],f32> -> !torch.vtensor<[1,4],f32>
  return %0 : !torch.vtensor<[1,4],f32>
}

// -----

func.func @not_per_channel(%arg0: !torch.vtensor<[1,2,3,3],f32>) -> !torch.vtensor<[1,2,3,3],f32> {
  %c = torch.vtensor.literal(dense<[1.0, 2.0, 3.0]> : tensor<3xf32>) : !torch.vtensor<[3],f32>
  // CHECK: torch_to_snn_errors.mlir:[[# @LINE + 1]]:3: error: 'torch.aten.mul.Tensor': not supported: torch.aten.mul.Tensor with a constant of shape [3] (only per-channel)
  %0 = torch.aten.mul.Tensor %arg0, %c : !torch.vtensor<[1,2,3,3],f32>, !torch.vtensor<[3],f32> -> !torch.vtensor<[1,2,3,3],f32>
  return %0 : !torch.vtensor<[1,2,3,3],f32>
}

// -----

func.func @returns_a_constant() -> !torch.vtensor<[2],f32> {
  %c = torch.vtensor.literal(dense<[1.0, 2.0]> : tensor<2xf32>) : !torch.vtensor<[2],f32>
  %0 = torch.aten.neg %c : !torch.vtensor<[2],f32> -> !torch.vtensor<[2],f32>
  // CHECK: torch_to_snn_errors.mlir:[[# @LINE + 1]]:3: error: 'func.return': not supported: a constant where an activation is expected
  return %0 : !torch.vtensor<[2],f32>
}

// -----

func.func @two_results(%arg0: !torch.vtensor<[1,4],f32>) -> (!torch.vtensor<[1,4],f32>, !torch.vtensor<[1,4],f32>) {
  // CHECK: torch_to_snn_errors.mlir:[[# @LINE + 1]]:3: error: 'func.return': not supported: 2 results (e3ne networks return one tensor of logits)
  return %arg0, %arg0 : !torch.vtensor<[1,4],f32>, !torch.vtensor<[1,4],f32>
}

// -----

func.func @pool_indices(%arg0: !torch.vtensor<[1,1,4,4],f32>) -> !torch.vtensor<[1,1,2,2],si64> {
  %int1 = torch.constant.int 1
  %int0 = torch.constant.int 0
  %int2 = torch.constant.int 2
  %false = torch.constant.bool false
  %ones = torch.prim.ListConstruct %int1, %int1 : (!torch.int, !torch.int) -> !torch.list<int>
  %zeros = torch.prim.ListConstruct %int0, %int0 : (!torch.int, !torch.int) -> !torch.list<int>
  %twos = torch.prim.ListConstruct %int2, %int2 : (!torch.int, !torch.int) -> !torch.list<int>
  // CHECK: torch_to_snn_errors.mlir:[[# @LINE + 1]]:3: error: 'torch.aten.max_pool2d_with_indices': not supported: using the indices of max_pool2d_with_indices
  %0:2 = torch.aten.max_pool2d_with_indices %arg0, %twos, %twos, %zeros, %ones, %false : !torch.vtensor<[1,1,4,4],f32>, !torch.list<int>, !torch.list<int>, !torch.list<int>, !torch.list<int>, !torch.bool -> !torch.vtensor<[1,1,2,2],f32>, !torch.vtensor<[1,1,2,2],si64>
  return %0#1 : !torch.vtensor<[1,1,2,2],si64>
}

// -----

// CHECK: error: not supported: tensors without a static shape (!torch.vtensor<[?,4],f32>)
func.func @dynamic(%arg0: !torch.vtensor<[?,4],f32>) -> !torch.vtensor<[?,4],f32> {
  return %arg0 : !torch.vtensor<[?,4],f32>
}
