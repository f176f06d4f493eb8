// The same model exported without decompositions (inputs/generate.py): conv2d, batch_norm,
// max_pool2d, flatten.using_ints, dropout, linear and log_softmax.int as torch-mlir prints them.
// RUN: e3ne-opt %S/inputs/tiny_cnn_nodecomp.torch.mlir | filecheck %s
// RUN: e3ne-opt --print-op-generic %S/inputs/tiny_cnn_nodecomp.torch.mlir | e3ne-opt | filecheck %s

// CHECK:      func.func @main(%arg0: !torch.vtensor<[1,1,6,6],f32>) -> !torch.vtensor<[1,3],f32> {
// CHECK-NEXT:   %[[W:.*]] = torch.vtensor.literal(dense_resource<torch_tensor_2_1_3_3_torch.float32> : tensor<2x1x3x3xf32>) : !torch.vtensor<[2,1,3,3],f32>
// CHECK-NEXT:   %[[B:.*]] = torch.vtensor.literal(dense_resource<torch_tensor_2_torch.float32> : tensor<2xf32>) : !torch.vtensor<[2],f32>
// CHECK-NEXT:   %[[A0:.*]] = torch.constant.int 1
// CHECK-NEXT:   %[[B0:.*]] = torch.constant.int 1
// CHECK-NEXT:   %[[L0:.*]] = torch.prim.ListConstruct %[[A0]], %[[B0]] : (!torch.int, !torch.int) -> !torch.list<int>
// CHECK-NEXT:   %[[A1:.*]] = torch.constant.int 1
// CHECK-NEXT:   %[[B1:.*]] = torch.constant.int 1
// CHECK-NEXT:   %[[L1:.*]] = torch.prim.ListConstruct %[[A1]], %[[B1]] : (!torch.int, !torch.int) -> !torch.list<int>
// CHECK-NEXT:   %[[A2:.*]] = torch.constant.int 1
// CHECK-NEXT:   %[[B2:.*]] = torch.constant.int 1
// CHECK-NEXT:   %[[L2:.*]] = torch.prim.ListConstruct %[[A2]], %[[B2]] : (!torch.int, !torch.int) -> !torch.list<int>
// CHECK-NEXT:   %[[GROUPS:.*]] = torch.constant.int 1
// CHECK-NEXT:   %[[CONV:.*]] = torch.aten.conv2d %arg0, %[[W]], %[[B]], %[[L0]], %[[L1]], %[[L2]], %[[GROUPS]] : !torch.vtensor<[1,1,6,6],f32>, !torch.vtensor<[2,1,3,3],f32>, !torch.vtensor<[2],f32>, !torch.list<int>, !torch.list<int>, !torch.list<int>, !torch.int -> !torch.vtensor<[1,2,6,6],f32>
// CHECK-NEXT:   %[[GAMMA:.*]] = torch.vtensor.literal(dense_resource<torch_tensor_2_torch.float32_1> : tensor<2xf32>) : !torch.vtensor<[2],f32>
// CHECK-NEXT:   %[[BETA:.*]] = torch.vtensor.literal(dense_resource<torch_tensor_2_torch.float32_2> : tensor<2xf32>) : !torch.vtensor<[2],f32>
// CHECK-NEXT:   %[[MEAN:.*]] = torch.vtensor.literal(dense_resource<torch_tensor_2_torch.float32_3> : tensor<2xf32>) : !torch.vtensor<[2],f32>
// CHECK-NEXT:   %[[VAR:.*]] = torch.vtensor.literal(dense_resource<torch_tensor_2_torch.float32_4> : tensor<2xf32>) : !torch.vtensor<[2],f32>
// CHECK-NEXT:   %[[TRAINING:.*]] = torch.constant.bool false
// CHECK-NEXT:   %[[MOMENTUM:.*]] = torch.constant.float 1.000000e-01
// CHECK-NEXT:   %[[EPS:.*]] = torch.constant.float 1.000000e-05
// CHECK-NEXT:   %[[CUDNN:.*]] = torch.constant.bool false
// CHECK-NEXT:   %[[BN:.*]] = torch.aten.batch_norm %[[CONV]], %[[GAMMA]], %[[BETA]], %[[MEAN]], %[[VAR]], %[[TRAINING]], %[[MOMENTUM]], %[[EPS]], %[[CUDNN]] : !torch.vtensor<[1,2,6,6],f32>, !torch.vtensor<[2],f32>, !torch.vtensor<[2],f32>, !torch.vtensor<[2],f32>, !torch.vtensor<[2],f32>, !torch.bool, !torch.float, !torch.float, !torch.bool -> !torch.vtensor<[1,2,6,6],f32>
// CHECK-NEXT:   %[[RELU:.*]] = torch.aten.relu %[[BN]] : !torch.vtensor<[1,2,6,6],f32> -> !torch.vtensor<[1,2,6,6],f32>
// CHECK:        %[[POOL:.*]] = torch.aten.max_pool2d %[[RELU]], %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} : !torch.vtensor<[1,2,6,6],f32>, !torch.list<int>, !torch.list<int>, !torch.list<int>, !torch.list<int>, !torch.bool -> !torch.vtensor<[1,2,3,3],f32>
// CHECK-NEXT:   %[[START:.*]] = torch.constant.int 1
// CHECK-NEXT:   %[[END:.*]] = torch.constant.int -1
// CHECK-NEXT:   %[[FLAT:.*]] = torch.aten.flatten.using_ints %[[POOL]], %[[START]], %[[END]] : !torch.vtensor<[1,2,3,3],f32>, !torch.int, !torch.int -> !torch.vtensor<[1,18],f32>
// CHECK-NEXT:   %[[P:.*]] = torch.constant.float 5.000000e-01
// CHECK-NEXT:   %[[TRAIN:.*]] = torch.constant.bool false
// CHECK-NEXT:   %[[DROP:.*]] = torch.aten.dropout %[[FLAT]], %[[P]], %[[TRAIN]] : !torch.vtensor<[1,18],f32>, !torch.float, !torch.bool -> !torch.vtensor<[1,18],f32>
// CHECK-NEXT:   %[[FCW:.*]] = torch.vtensor.literal(dense_resource<torch_tensor_3_18_torch.float32> : tensor<3x18xf32>) : !torch.vtensor<[3,18],f32>
// CHECK-NEXT:   %[[FCB:.*]] = torch.vtensor.literal(dense_resource<torch_tensor_3_torch.float32> : tensor<3xf32>) : !torch.vtensor<[3],f32>
// CHECK-NEXT:   %[[FC:.*]] = torch.aten.linear %[[DROP]], %[[FCW]], %[[FCB]] : !torch.vtensor<[1,18],f32>, !torch.vtensor<[3,18],f32>, !torch.vtensor<[3],f32> -> !torch.vtensor<[1,3],f32>
// CHECK-NEXT:   %[[DIM:.*]] = torch.constant.int 1
// CHECK-NEXT:   %[[NONE:.*]] = torch.constant.none
// CHECK-NEXT:   %[[OUT:.*]] = torch.aten.log_softmax.int %[[FC]], %[[DIM]], %[[NONE]] : !torch.vtensor<[1,3],f32>, !torch.int, !torch.none -> !torch.vtensor<[1,3],f32>
// CHECK-NEXT:   func.return %[[OUT]] : !torch.vtensor<[1,3],f32>
// CHECK:      torch_tensor_2_torch.float32_4: "0x040000002AEC2F3FBAB5083F"
