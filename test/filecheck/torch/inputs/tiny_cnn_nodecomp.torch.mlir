module {
  func.func @main(%arg0: !torch.vtensor<[1,1,6,6],f32>) -> !torch.vtensor<[1,3],f32> {
    %0 = torch.vtensor.literal(dense_resource<torch_tensor_2_1_3_3_torch.float32> : tensor<2x1x3x3xf32>) : !torch.vtensor<[2,1,3,3],f32>
    %1 = torch.vtensor.literal(dense_resource<torch_tensor_2_torch.float32> : tensor<2xf32>) : !torch.vtensor<[2],f32>
    %int1 = torch.constant.int 1
    %int1_0 = torch.constant.int 1
    %2 = torch.prim.ListConstruct %int1, %int1_0 : (!torch.int, !torch.int) -> !torch.list<int>
    %int1_1 = torch.constant.int 1
    %int1_2 = torch.constant.int 1
    %3 = torch.prim.ListConstruct %int1_1, %int1_2 : (!torch.int, !torch.int) -> !torch.list<int>
    %int1_3 = torch.constant.int 1
    %int1_4 = torch.constant.int 1
    %4 = torch.prim.ListConstruct %int1_3, %int1_4 : (!torch.int, !torch.int) -> !torch.list<int>
    %int1_5 = torch.constant.int 1
    %5 = torch.aten.conv2d %arg0, %0, %1, %2, %3, %4, %int1_5 : !torch.vtensor<[1,1,6,6],f32>, !torch.vtensor<[2,1,3,3],f32>, !torch.vtensor<[2],f32>, !torch.list<int>, !torch.list<int>, !torch.list<int>, !torch.int -> !torch.vtensor<[1,2,6,6],f32>
    %6 = torch.vtensor.literal(dense_resource<torch_tensor_2_torch.float32_1> : tensor<2xf32>) : !torch.vtensor<[2],f32>
    %7 = torch.vtensor.literal(dense_resource<torch_tensor_2_torch.float32_2> : tensor<2xf32>) : !torch.vtensor<[2],f32>
    %8 = torch.vtensor.literal(dense_resource<torch_tensor_2_torch.float32_3> : tensor<2xf32>) : !torch.vtensor<[2],f32>
    %9 = torch.vtensor.literal(dense_resource<torch_tensor_2_torch.float32_4> : tensor<2xf32>) : !torch.vtensor<[2],f32>
    %false = torch.constant.bool false
    %float1.000000e-01 = torch.constant.float 1.000000e-01
    %float1.000000e-05 = torch.constant.float 1.000000e-05
    %false_6 = torch.constant.bool false
    %10 = torch.aten.batch_norm %5, %6, %7, %8, %9, %false, %float1.000000e-01, %float1.000000e-05, %false_6 : !torch.vtensor<[1,2,6,6],f32>, !torch.vtensor<[2],f32>, !torch.vtensor<[2],f32>, !torch.vtensor<[2],f32>, !torch.vtensor<[2],f32>, !torch.bool, !torch.float, !torch.float, !torch.bool -> !torch.vtensor<[1,2,6,6],f32>
    %11 = torch.aten.relu %10 : !torch.vtensor<[1,2,6,6],f32> -> !torch.vtensor<[1,2,6,6],f32>
    %int2 = torch.constant.int 2
    %int2_7 = torch.constant.int 2
    %12 = torch.prim.ListConstruct %int2, %int2_7 : (!torch.int, !torch.int) -> !torch.list<int>
    %int2_8 = torch.constant.int 2
    %int2_9 = torch.constant.int 2
    %13 = torch.prim.ListConstruct %int2_8, %int2_9 : (!torch.int, !torch.int) -> !torch.list<int>
    %int0 = torch.constant.int 0
    %int0_10 = torch.constant.int 0
    %14 = torch.prim.ListConstruct %int0, %int0_10 : (!torch.int, !torch.int) -> !torch.list<int>
    %int1_11 = torch.constant.int 1
    %int1_12 = torch.constant.int 1
    %15 = torch.prim.ListConstruct %int1_11, %int1_12 : (!torch.int, !torch.int) -> !torch.list<int>
    %false_13 = torch.constant.bool false
    %16 = torch.aten.max_pool2d %11, %12, %13, %14, %15, %false_13 : !torch.vtensor<[1,2,6,6],f32>, !torch.list<int>, !torch.list<int>, !torch.list<int>, !torch.list<int>, !torch.bool -> !torch.vtensor<[1,2,3,3],f32>
    %int1_14 = torch.constant.int 1
    %int-1 = torch.constant.int -1
    %17 = torch.aten.flatten.using_ints %16, %int1_14, %int-1 : !torch.vtensor<[1,2,3,3],f32>, !torch.int, !torch.int -> !torch.vtensor<[1,18],f32>
    %float5.000000e-01 = torch.constant.float 5.000000e-01
    %false_15 = torch.constant.bool false
    %18 = torch.aten.dropout %17, %float5.000000e-01, %false_15 : !torch.vtensor<[1,18],f32>, !torch.float, !torch.bool -> !torch.vtensor<[1,18],f32>
    %19 = torch.vtensor.literal(dense_resource<torch_tensor_3_18_torch.float32> : tensor<3x18xf32>) : !torch.vtensor<[3,18],f32>
    %20 = torch.vtensor.literal(dense_resource<torch_tensor_3_torch.float32> : tensor<3xf32>) : !torch.vtensor<[3],f32>
    %21 = torch.aten.linear %18, %19, %20 : !torch.vtensor<[1,18],f32>, !torch.vtensor<[3,18],f32>, !torch.vtensor<[3],f32> -> !torch.vtensor<[1,3],f32>
    %int1_16 = torch.constant.int 1
    %none = torch.constant.none
    %22 = torch.aten.log_softmax.int %21, %int1_16, %none : !torch.vtensor<[1,3],f32>, !torch.int, !torch.none -> !torch.vtensor<[1,3],f32>
    return %22 : !torch.vtensor<[1,3],f32>
  }
}

{-#
  dialect_resources: {
    builtin: {
      torch_tensor_2_1_3_3_torch.float32: "0x04000000568D23BB281B373E64778CBE56337BBE4E7703BEE60FB73DAB69D8BBDF51873E9654F2BC66A4B43D904FCEBD4B3086BDD00BA3BE180F62BE9BB40CBEAB4E4A3CEBF0063ECBCE4C3E",
      torch_tensor_2_torch.float32: "0x04000000666767BE53A314BE",
      torch_tensor_2_torch.float32_1: "0x0400000010DDB83FBCA9B03F",
      torch_tensor_2_torch.float32_2: "0x04000000324BCCBDD354993C",
      torch_tensor_2_torch.float32_3: "0x040000002D17B2BD73B8163C",
      torch_tensor_2_torch.float32_4: "0x040000002AEC2F3FBAB5083F",
      torch_tensor_3_18_torch.float32: "0x04000000DF54AF3DF56B483EDFAF46BDA39C343EBF9C1BBD4750CC3C818B5A3ED6E65FBED9F117BE3B6A74BDDE29BCBDD388503EAE711CBE0936DEBD8D9F28BE2B0C62BE1EE40CBEC9784F3ED265D73DD5F5E93D62184B3C4F7BF7BD4A56233D115B61BEE0652EBE11DBF8BD5A48183E94830D3E4915D6BD4C570BBC225D1A3E6EF16F3E0F95BF3D6F6C023DF7D3213EE11C0EBE40E7333D86203BBE5C4827BE435DF9BDC06ADA3D5221C23D3DF80EBE25D5913DD97F043EAEB5F3BC8A72133C39B25F3DCABB153E69C0673E3DFF39BED1E6B0BD8AB6BD3D5BFA473E",
      torch_tensor_3_torch.float32: "0x040000005008523E00F7543ECA22403D"
    }
  }
#-}
