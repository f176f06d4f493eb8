// The model of inputs/generate.py exported to ONNX and imported through torch-mlir's ONNX importer
// and convert-torch-onnx-to-torch (inputs/generate_onnx.py): Flatten as torch.prims.collapse, Gemm
// as transpose.int + mm + add.Tensor, the batch norm folded into the convolution by the exporter.
// It round-trips in pretty and generic form, and convert-torch-to-snn lowers it.
// RUN: e3ne-opt %S/inputs/tiny_cnn.onnx.torch.mlir | filecheck %s
// RUN: e3ne-opt --print-op-generic %S/inputs/tiny_cnn.onnx.torch.mlir | e3ne-opt | filecheck %s
// RUN: e3ne-opt %S/inputs/tiny_cnn.onnx.torch.mlir -p convert-torch-to-snn | filecheck %s --check-prefix=SNN

// CHECK:      func.func @main(%arg0: !torch.vtensor<[1,1,6,6],f32>) -> !torch.vtensor<[1,3],f32> attributes {torch.onnx_meta.ir_version = 9 : si64, torch.onnx_meta.opset_version = 20 : si64, torch.onnx_meta.producer_name = "pytorch", torch.onnx_meta.producer_version = "2.13.0"} {
// CHECK:        %[[FCW:.*]] = torch.vtensor.literal(dense<{{.*}}> : tensor<3x18xf32>) : !torch.vtensor<[3,18],f32>
// CHECK-NEXT:   %[[FCB:.*]] = torch.vtensor.literal(dense<[0.205109835, 0.20797348, 0.0469081774]> : tensor<3xf32>) : !torch.vtensor<[3],f32>
// CHECK:        %[[CONV:.*]] = torch.aten.convolution %arg0, {{.*}} -> !torch.vtensor<[1,2,6,6],f32>
// CHECK-NEXT:   %[[RELU:.*]] = torch.aten.relu %[[CONV]] : !torch.vtensor<[1,2,6,6],f32> -> !torch.vtensor<[1,2,6,6],f32>
// CHECK:        %[[POOL:.*]] = torch.aten.max_pool2d %[[RELU]], {{.*}} -> !torch.vtensor<[1,2,3,3],f32>
// CHECK-NEXT:   %[[FLAT:.*]] = torch.prims.collapse %[[POOL]], %int1, %int3 : !torch.vtensor<[1,2,3,3],f32>, !torch.int, !torch.int -> !torch.vtensor<[1,18],f32>
// CHECK-NEXT:   %[[SAME:.*]] = torch.prims.collapse %[[FLAT]], %int0, %int0 : !torch.vtensor<[1,18],f32>, !torch.int, !torch.int -> !torch.vtensor<[1,18],f32>
// CHECK-NEXT:   %[[WT:.*]] = torch.aten.transpose.int %[[FCW]], %int0, %int1 : !torch.vtensor<[3,18],f32>, !torch.int, !torch.int -> !torch.vtensor<[18,3],f32>
// CHECK-NEXT:   %[[MM:.*]] = torch.aten.mm %[[SAME]], %[[WT]] : !torch.vtensor<[1,18],f32>, !torch.vtensor<[18,3],f32> -> !torch.vtensor<[1,3],f32>
// CHECK-NEXT:   %[[FC:.*]] = torch.aten.add.Tensor %[[MM]], %[[FCB]], %int1 : !torch.vtensor<[1,3],f32>, !torch.vtensor<[3],f32>, !torch.int -> !torch.vtensor<[1,3],f32>
// CHECK-NEXT:   %[[OUT:.*]] = torch.aten.log_softmax.int %[[FC]], %int1, %none : !torch.vtensor<[1,3],f32>, !torch.int, !torch.none -> !torch.vtensor<[1,3],f32>
// CHECK-NEXT:   func.return %[[OUT]] : !torch.vtensor<[1,3],f32>

// SNN:      func.func @main(%arg0: tensor<1x1x6x6xf32>) -> tensor<1x3xf32> {
// SNN-NEXT:   %[[C:.*]] = snn.conv2d %arg0 {weight = dense<{{.*}}> : tensor<2x1x3x3xf32>, bias = dense<[-0.341956794, -0.272802711]> : tensor<2xf32>, strides = array<i64: 1, 1>, padding = array<i64: 1, 1>} : tensor<1x1x6x6xf32> -> tensor<1x2x6x6xf32>
// SNN-NEXT:   %[[R:.*]] = snn.relu %[[C]] : tensor<1x2x6x6xf32>
// SNN-NEXT:   %[[P:.*]] = snn.max_pool2d %[[R]] {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, padding = array<i64: 0, 0>} : tensor<1x2x6x6xf32> -> tensor<1x2x3x3xf32>
// SNN-NEXT:   %[[F:.*]] = snn.flatten %[[P]] : tensor<1x2x3x3xf32> -> tensor<1x18xf32>
// SNN-NEXT:   %[[L:.*]] = snn.linear %[[F]] {weight = dense<{{.*}}> : tensor<3x18xf32>, bias = dense<[0.205109835, 0.20797348, 0.0469081774]> : tensor<3xf32>} : tensor<1x18xf32> -> tensor<1x3xf32>
// SNN-NEXT:   func.return %[[L]] : tensor<1x3xf32>
