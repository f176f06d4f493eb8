// What torch-mlir's ONNX import gives that the PyTorch path does not, lowered by convert-torch-to-snn.
// RUN: e3ne-opt %s --split-input-file --verify-diagnostics -p convert-torch-to-snn 2>&1 | filecheck %s

// ONNX AveragePool: torch-mlir appends the dilations to the strides of avg_pool2d.
// CHECK:      func.func @average_pool(%arg0: tensor<1x2x4x4xf32>) -> tensor<1x2x2x2xf32> {
// CHECK-NEXT:   %0 = snn.avg_pool2d %arg0 {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, padding = array<i64: 0, 0>} : tensor<1x2x4x4xf32> -> tensor<1x2x2x2xf32>
// CHECK-NEXT:   func.return %0 : tensor<1x2x2x2xf32>
func.func @average_pool(%arg0: !torch.vtensor<[1,2,4,4],f32>) -> !torch.vtensor<[1,2,2,2],f32> {
  %int0 = torch.constant.int 0
  %int1 = torch.constant.int 1
  %int2 = torch.constant.int 2
  %false = torch.constant.bool false
  %none = torch.constant.none
  %kernel = torch.prim.ListConstruct %int2, %int2 : (!torch.int, !torch.int) -> !torch.list<int>
  %padding = torch.prim.ListConstruct %int0, %int0 : (!torch.int, !torch.int) -> !torch.list<int>
  %stride = torch.prim.ListConstruct %int2, %int2, %int1, %int1 : (!torch.int, !torch.int, !torch.int, !torch.int) -> !torch.list<int>
  %0 = torch.aten.avg_pool2d %arg0, %kernel, %stride, %padding, %false, %false, %none : !torch.vtensor<[1,2,4,4],f32>, !torch.list<int>, !torch.list<int>, !torch.list<int>, !torch.bool, !torch.bool, !torch.none -> !torch.vtensor<[1,2,2,2],f32> loc("m.onnx: ONNX AveragePool '/pool/AveragePool'")
  return %0 : !torch.vtensor<[1,2,2,2],f32>
}

// -----

// CHECK: m.onnx: ONNX AveragePool '/pool/AveragePool': error: 'torch.aten.avg_pool2d': not supported: dilated average pooling (dilations [2, 2])
func.func @dilated_average_pool(%arg0: !torch.vtensor<[1,2,4,4],f32>) -> !torch.vtensor<[1,2,1,1],f32> {
  %int0 = torch.constant.int 0
  %int2 = torch.constant.int 2
  %false = torch.constant.bool false
  %none = torch.constant.none
  %kernel = torch.prim.ListConstruct %int2, %int2 : (!torch.int, !torch.int) -> !torch.list<int>
  %padding = torch.prim.ListConstruct %int0, %int0 : (!torch.int, !torch.int) -> !torch.list<int>
  %stride = torch.prim.ListConstruct %int2, %int2, %int2, %int2 : (!torch.int, !torch.int, !torch.int, !torch.int) -> !torch.list<int>
  %0 = torch.aten.avg_pool2d %arg0, %kernel, %stride, %padding, %false, %false, %none : !torch.vtensor<[1,2,4,4],f32>, !torch.list<int>, !torch.list<int>, !torch.list<int>, !torch.bool, !torch.bool, !torch.none -> !torch.vtensor<[1,2,1,1],f32> loc("m.onnx: ONNX AveragePool '/pool/AveragePool'")
  return %0 : !torch.vtensor<[1,2,1,1],f32>
}

// -----

// An op that cannot be lowered is reported at the ONNX node it came from (its location).
// CHECK: m.onnx: ONNX Softmax '/Softmax': error: 'torch.aten.softmax.int': not supported: torch.aten.softmax.int inside the network (only as the last op, where it is dropped)
func.func @softmax_inside(%arg0: !torch.vtensor<[1,4],f32>) -> !torch.vtensor<[1,4],f32> {
  %int1 = torch.constant.int 1
  %none = torch.constant.none
  %0 = torch.aten.softmax.int %arg0, %int1, %none : !torch.vtensor<[1,4],f32>, !torch.int, !torch.none -> !torch.vtensor<[1,4],f32> loc("m.onnx: ONNX Softmax '/Softmax'")
  %1 = torch.aten.relu %0 : !torch.vtensor<[1,4],f32> -> !torch.vtensor<[1,4],f32> loc("m.onnx: ONNX Relu '/Relu'")
  return %1 : !torch.vtensor<[1,4],f32>
}
