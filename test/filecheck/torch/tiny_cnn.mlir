// A file torch-mlir printed (inputs/generate.py: conv + batch norm + relu + max pool + flatten +
// dropout + linear, default decompositions) parses with registered ops only and prints back with
// its weights, in pretty form and through the generic form.
// RUN: e3ne-opt %S/inputs/tiny_cnn.torch.mlir | filecheck %s
// RUN: e3ne-opt --print-op-generic %S/inputs/tiny_cnn.torch.mlir | e3ne-opt | filecheck %s
// RUN: e3ne-opt --print-op-generic %S/inputs/tiny_cnn.torch.mlir | filecheck %s --check-prefix=GENERIC

// CHECK:      func.func @main(%arg0: !torch.vtensor<[1,1,6,6],f32>) -> !torch.vtensor<[1,3],f32> {
// CHECK-NEXT:   %[[W:.*]] = torch.vtensor.literal(dense_resource<torch_tensor_2_1_3_3_torch.float32> : tensor<2x1x3x3xf32>) : !torch.vtensor<[2,1,3,3],f32>
// CHECK-NEXT:   %[[B:.*]] = torch.vtensor.literal(dense_resource<torch_tensor_2_torch.float32> : tensor<2xf32>) : !torch.vtensor<[2],f32>
// CHECK-NEXT:   %[[ONE:.*]] = torch.constant.int 1
// CHECK-NEXT:   %[[ONE2:.*]] = torch.constant.int 1
// CHECK-NEXT:   %[[STRIDE:.*]] = torch.prim.ListConstruct %[[ONE]], %[[ONE2]] : (!torch.int, !torch.int) -> !torch.list<int>
// CHECK:        %[[FALSE:.*]] = torch.constant.bool false
// CHECK:        %[[CONV:.*]] = torch.aten.convolution %arg0, %[[W]], %[[B]], %[[STRIDE]], %{{.*}}, %{{.*}}, %[[FALSE]], %{{.*}}, %{{.*}} : !torch.vtensor<[1,1,6,6],f32>, !torch.vtensor<[2,1,3,3],f32>, !torch.vtensor<[2],f32>, !torch.list<int>, !torch.list<int>, !torch.list<int>, !torch.bool, !torch.list<int>, !torch.int -> !torch.vtensor<[1,2,6,6],f32>
// CHECK-NEXT:   %[[MEAN:.*]] = torch.vtensor.literal(dense_resource<torch_tensor_2_torch.float32_1> : tensor<2xf32>) : !torch.vtensor<[2],f32>
// CHECK-NEXT:   %[[SIX:.*]] = torch.constant.int 6
// CHECK-NEXT:   %{{.*}} = torch.prims.convert_element_type %[[MEAN]], %[[SIX]] : !torch.vtensor<[2],f32>, !torch.int -> !torch.vtensor<[2],f32>
// CHECK:        %[[EPS:.*]] = torch.constant.float 1.000000e-05
// CHECK-NEXT:   %[[ALPHA:.*]] = torch.constant.int 1
// CHECK-NEXT:   %[[VAR_EPS:.*]] = torch.aten.add.Scalar %{{.*}}, %[[EPS]], %[[ALPHA]] : !torch.vtensor<[2],f32>, !torch.float, !torch.int -> !torch.vtensor<[2],f32>
// CHECK-NEXT:   %[[STD:.*]] = torch.aten.sqrt %[[VAR_EPS]] : !torch.vtensor<[2],f32> -> !torch.vtensor<[2],f32>
// CHECK-NEXT:   %{{.*}} = torch.aten.reciprocal %[[STD]] : !torch.vtensor<[2],f32> -> !torch.vtensor<[2],f32>
// CHECK:        %[[MINUS1:.*]] = torch.constant.int -1
// CHECK-NEXT:   %{{.*}} = torch.aten.unsqueeze %{{.*}}, %[[MINUS1]] : !torch.vtensor<[2],f32>, !torch.int -> !torch.vtensor<[2,1],f32>
// CHECK:        %{{.*}} = torch.aten.sub.Tensor %[[CONV]], %{{.*}}, %{{.*}} : !torch.vtensor<[1,2,6,6],f32>, !torch.vtensor<[2,1,1],f32>, !torch.int -> !torch.vtensor<[1,2,6,6],f32>
// CHECK-NEXT:   %{{.*}} = torch.aten.mul.Tensor %{{.*}}, %{{.*}} : !torch.vtensor<[1,2,6,6],f32>, !torch.vtensor<[2,1,1],f32> -> !torch.vtensor<[1,2,6,6],f32>
// CHECK:        %[[BN:.*]] = torch.aten.add.Tensor %{{.*}}, %{{.*}}, %{{.*}} : !torch.vtensor<[1,2,6,6],f32>, !torch.vtensor<[2,1,1],f32>, !torch.int -> !torch.vtensor<[1,2,6,6],f32>
// CHECK-NEXT:   %[[RELU:.*]] = torch.aten.relu %[[BN]] : !torch.vtensor<[1,2,6,6],f32> -> !torch.vtensor<[1,2,6,6],f32>
// CHECK:        %[[POOL:.*]], %{{.*}} = torch.aten.max_pool2d_with_indices %[[RELU]], %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} : !torch.vtensor<[1,2,6,6],f32>, !torch.list<int>, !torch.list<int>, !torch.list<int>, !torch.list<int>, !torch.bool -> !torch.vtensor<[1,2,3,3],f32>, !torch.vtensor<[1,2,3,3],si64>
// CHECK:        %[[FLAT:.*]] = torch.aten.view %[[POOL]], %{{.*}} : !torch.vtensor<[1,2,3,3],f32>, !torch.list<int> -> !torch.vtensor<[1,18],f32>
// CHECK-NEXT:   %[[NONE:.*]] = torch.constant.none
// CHECK-NEXT:   %[[COPY:.*]] = torch.aten.clone %[[FLAT]], %[[NONE]] : !torch.vtensor<[1,18],f32>, !torch.none -> !torch.vtensor<[1,18],f32>
// CHECK-NEXT:   %[[FC:.*]] = torch.vtensor.literal(dense_resource<torch_tensor_3_18_torch.float32> : tensor<3x18xf32>) : !torch.vtensor<[3,18],f32>
// CHECK:        %[[FCT:.*]] = torch.aten.permute %[[FC]], %{{.*}} : !torch.vtensor<[3,18],f32>, !torch.list<int> -> !torch.vtensor<[18,3],f32>
// CHECK-NEXT:   %{{.*}} = torch.aten.mm %[[COPY]], %[[FCT]] : !torch.vtensor<[1,18],f32>, !torch.vtensor<[18,3],f32> -> !torch.vtensor<[1,3],f32>
// CHECK:        %{{.*}} = torch.aten.sum.dim_IntList %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} : !torch.vtensor<[1,3],f32>, !torch.list<int>, !torch.bool, !torch.none -> !torch.vtensor<[1,1],f32>
// CHECK:        %[[OUT:.*]] = torch.aten.sub.Tensor
// CHECK-NEXT:   func.return %[[OUT]] : !torch.vtensor<[1,3],f32>

// The weights come back byte for byte (values from inputs/tiny_cnn.torch.mlir).
// CHECK:      {-#
// CHECK-NEXT:   dialect_resources: {
// CHECK-NEXT:     builtin: {
// CHECK-NEXT:       torch_tensor_2_1_3_3_torch.float32: "0x04000000568D23BB281B373E64778CBE56337BBE4E7703BEE60FB73DAB69D8BBDF51873E9654F2BC66A4B43D904FCEBD4B3086BDD00BA3BE180F62BE9BB40CBEAB4E4A3CEBF0063ECBCE4C3E",
// CHECK-SAME:   torch_tensor_2_torch.float32: "0x04000000666767BE53A314BE",
// CHECK-SAME:   torch_tensor_3_torch.float32: "0x040000005008523E00F7543ECA22403D"
// CHECK-NEXT:     }
// CHECK-NEXT:   }
// CHECK-NEXT: #-}

// GENERIC:      "torch.vtensor.literal"() <{value = dense_resource<torch_tensor_2_1_3_3_torch.float32> : tensor<2x1x3x3xf32>}> : () -> !torch.vtensor<[2,1,3,3],f32>
// GENERIC:      "torch.constant.int"() <{value = 1 : i64}> : () -> !torch.int
// GENERIC:      "torch.prim.ListConstruct"(%{{.*}}, %{{.*}}) : (!torch.int, !torch.int) -> !torch.list<int>
// GENERIC:      "torch.constant.bool"() <{value = false}> : () -> !torch.bool
// GENERIC:      "torch.aten.convolution"(%arg0, %{{.*}}) : (!torch.vtensor<[1,1,6,6],f32>, !torch.vtensor<[2,1,3,3],f32>, !torch.vtensor<[2],f32>, !torch.list<int>, !torch.list<int>, !torch.list<int>, !torch.bool, !torch.list<int>, !torch.int) -> !torch.vtensor<[1,2,6,6],f32>
// GENERIC:      "torch.constant.float"() <{value = 1.000000e-05 : f64}> : () -> !torch.float
// GENERIC:      "torch.aten.max_pool2d_with_indices"(%{{.*}}) : ({{.*}}) -> (!torch.vtensor<[1,2,3,3],f32>, !torch.vtensor<[1,2,3,3],si64>)
// GENERIC:      "torch.constant.none"() : () -> !torch.none
// GENERIC:      dialect_resources
