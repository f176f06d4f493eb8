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
    %false = torch.constant.bool false
    %int0 = torch.constant.int 0
    %int0_5 = torch.constant.int 0
    %5 = torch.prim.ListConstruct %int0, %int0_5 : (!torch.int, !torch.int) -> !torch.list<int>
    %int1_6 = torch.constant.int 1
    %6 = torch.aten.convolution %arg0, %0, %1, %2, %3, %4, %false, %5, %int1_6 : !torch.vtensor<[1,1,6,6],f32>, !torch.vtensor<[2,1,3,3],f32>, !torch.vtensor<[2],f32>, !torch.list<int>, !torch.list<int>, !torch.list<int>, !torch.bool, !torch.list<int>, !torch.int -> !torch.vtensor<[1,2,6,6],f32>
    %7 = torch.vtensor.literal(dense_resource<torch_tensor_2_torch.float32_1> : tensor<2xf32>) : !torch.vtensor<[2],f32>
    %int6 = torch.constant.int 6
    %8 = torch.prims.convert_element_type %7, %int6 : !torch.vtensor<[2],f32>, !torch.int -> !torch.vtensor<[2],f32>
    %9 = torch.vtensor.literal(dense_resource<torch_tensor_2_torch.float32_2> : tensor<2xf32>) : !torch.vtensor<[2],f32>
    %int6_7 = torch.constant.int 6
    %10 = torch.prims.convert_element_type %9, %int6_7 : !torch.vtensor<[2],f32>, !torch.int -> !torch.vtensor<[2],f32>
    %float1.000000e-05 = torch.constant.float 1.000000e-05
    %int1_8 = torch.constant.int 1
    %11 = torch.aten.add.Scalar %10, %float1.000000e-05, %int1_8 : !torch.vtensor<[2],f32>, !torch.float, !torch.int -> !torch.vtensor<[2],f32>
    %12 = torch.aten.sqrt %11 : !torch.vtensor<[2],f32> -> !torch.vtensor<[2],f32>
    %13 = torch.aten.reciprocal %12 : !torch.vtensor<[2],f32> -> !torch.vtensor<[2],f32>
    %int1_9 = torch.constant.int 1
    %14 = torch.aten.mul.Scalar %13, %int1_9 : !torch.vtensor<[2],f32>, !torch.int -> !torch.vtensor<[2],f32>
    %int-1 = torch.constant.int -1
    %15 = torch.aten.unsqueeze %8, %int-1 : !torch.vtensor<[2],f32>, !torch.int -> !torch.vtensor<[2,1],f32>
    %int-1_10 = torch.constant.int -1
    %16 = torch.aten.unsqueeze %15, %int-1_10 : !torch.vtensor<[2,1],f32>, !torch.int -> !torch.vtensor<[2,1,1],f32>
    %int-1_11 = torch.constant.int -1
    %17 = torch.aten.unsqueeze %14, %int-1_11 : !torch.vtensor<[2],f32>, !torch.int -> !torch.vtensor<[2,1],f32>
    %int-1_12 = torch.constant.int -1
    %18 = torch.aten.unsqueeze %17, %int-1_12 : !torch.vtensor<[2,1],f32>, !torch.int -> !torch.vtensor<[2,1,1],f32>
    %int1_13 = torch.constant.int 1
    %19 = torch.aten.sub.Tensor %6, %16, %int1_13 : !torch.vtensor<[1,2,6,6],f32>, !torch.vtensor<[2,1,1],f32>, !torch.int -> !torch.vtensor<[1,2,6,6],f32>
    %20 = torch.aten.mul.Tensor %19, %18 : !torch.vtensor<[1,2,6,6],f32>, !torch.vtensor<[2,1,1],f32> -> !torch.vtensor<[1,2,6,6],f32>
    %21 = torch.vtensor.literal(dense_resource<torch_tensor_2_torch.float32_3> : tensor<2xf32>) : !torch.vtensor<[2],f32>
    %int-1_14 = torch.constant.int -1
    %22 = torch.aten.unsqueeze %21, %int-1_14 : !torch.vtensor<[2],f32>, !torch.int -> !torch.vtensor<[2,1],f32>
    %int-1_15 = torch.constant.int -1
    %23 = torch.aten.unsqueeze %22, %int-1_15 : !torch.vtensor<[2,1],f32>, !torch.int -> !torch.vtensor<[2,1,1],f32>
    %24 = torch.aten.mul.Tensor %20, %23 : !torch.vtensor<[1,2,6,6],f32>, !torch.vtensor<[2,1,1],f32> -> !torch.vtensor<[1,2,6,6],f32>
    %25 = torch.vtensor.literal(dense_resource<torch_tensor_2_torch.float32_4> : tensor<2xf32>) : !torch.vtensor<[2],f32>
    %int-1_16 = torch.constant.int -1
    %26 = torch.aten.unsqueeze %25, %int-1_16 : !torch.vtensor<[2],f32>, !torch.int -> !torch.vtensor<[2,1],f32>
    %int-1_17 = torch.constant.int -1
    %27 = torch.aten.unsqueeze %26, %int-1_17 : !torch.vtensor<[2,1],f32>, !torch.int -> !torch.vtensor<[2,1,1],f32>
    %int1_18 = torch.constant.int 1
    %28 = torch.aten.add.Tensor %24, %27, %int1_18 : !torch.vtensor<[1,2,6,6],f32>, !torch.vtensor<[2,1,1],f32>, !torch.int -> !torch.vtensor<[1,2,6,6],f32>
    %29 = torch.aten.relu %28 : !torch.vtensor<[1,2,6,6],f32> -> !torch.vtensor<[1,2,6,6],f32>
    %int2 = torch.constant.int 2
    %int2_19 = torch.constant.int 2
    %30 = torch.prim.ListConstruct %int2, %int2_19 : (!torch.int, !torch.int) -> !torch.list<int>
    %int2_20 = torch.constant.int 2
    %int2_21 = torch.constant.int 2
    %31 = torch.prim.ListConstruct %int2_20, %int2_21 : (!torch.int, !torch.int) -> !torch.list<int>
    %int0_22 = torch.constant.int 0
    %int0_23 = torch.constant.int 0
    %32 = torch.prim.ListConstruct %int0_22, %int0_23 : (!torch.int, !torch.int) -> !torch.list<int>
    %int1_24 = torch.constant.int 1
    %int1_25 = torch.constant.int 1
    %33 = torch.prim.ListConstruct %int1_24, %int1_25 : (!torch.int, !torch.int) -> !torch.list<int>
    %false_26 = torch.constant.bool false
    %result0, %result1 = torch.aten.max_pool2d_with_indices %29, %30, %31, %32, %33, %false_26 : !torch.vtensor<[1,2,6,6],f32>, !torch.list<int>, !torch.list<int>, !torch.list<int>, !torch.list<int>, !torch.bool -> !torch.vtensor<[1,2,3,3],f32>, !torch.vtensor<[1,2,3,3],si64>
    %int1_27 = torch.constant.int 1
    %int18 = torch.constant.int 18
    %34 = torch.prim.ListConstruct %int1_27, %int18 : (!torch.int, !torch.int) -> !torch.list<int>
    %35 = torch.aten.view %result0, %34 : !torch.vtensor<[1,2,3,3],f32>, !torch.list<int> -> !torch.vtensor<[1,18],f32>
    %none = torch.constant.none
    %36 = torch.aten.clone %35, %none : !torch.vtensor<[1,18],f32>, !torch.none -> !torch.vtensor<[1,18],f32>
    %37 = torch.vtensor.literal(dense_resource<torch_tensor_3_18_torch.float32> : tensor<3x18xf32>) : !torch.vtensor<[3,18],f32>
    %int1_28 = torch.constant.int 1
    %int0_29 = torch.constant.int 0
    %38 = torch.prim.ListConstruct %int1_28, %int0_29 : (!torch.int, !torch.int) -> !torch.list<int>
    %39 = torch.aten.permute %37, %38 : !torch.vtensor<[3,18],f32>, !torch.list<int> -> !torch.vtensor<[18,3],f32>
    %40 = torch.aten.mm %36, %39 : !torch.vtensor<[1,18],f32>, !torch.vtensor<[18,3],f32> -> !torch.vtensor<[1,3],f32>
    %int1_30 = torch.constant.int 1
    %41 = torch.aten.mul.Scalar %40, %int1_30 : !torch.vtensor<[1,3],f32>, !torch.int -> !torch.vtensor<[1,3],f32>
    %42 = torch.vtensor.literal(dense_resource<torch_tensor_3_torch.float32> : tensor<3xf32>) : !torch.vtensor<[3],f32>
    %int1_31 = torch.constant.int 1
    %43 = torch.aten.mul.Scalar %42, %int1_31 : !torch.vtensor<[3],f32>, !torch.int -> !torch.vtensor<[3],f32>
    %int1_32 = torch.constant.int 1
    %44 = torch.aten.add.Tensor %41, %43, %int1_32 : !torch.vtensor<[1,3],f32>, !torch.vtensor<[3],f32>, !torch.int -> !torch.vtensor<[1,3],f32>
    %int1_33 = torch.constant.int 1
    %45 = torch.prim.ListConstruct %int1_33 : (!torch.int) -> !torch.list<int>
    %true = torch.constant.bool true
    %46 = torch.aten.amax %44, %45, %true : !torch.vtensor<[1,3],f32>, !torch.list<int>, !torch.bool -> !torch.vtensor<[1,1],f32>
    %int1_34 = torch.constant.int 1
    %47 = torch.aten.sub.Tensor %44, %46, %int1_34 : !torch.vtensor<[1,3],f32>, !torch.vtensor<[1,1],f32>, !torch.int -> !torch.vtensor<[1,3],f32>
    %48 = torch.aten.exp %47 : !torch.vtensor<[1,3],f32> -> !torch.vtensor<[1,3],f32>
    %int1_35 = torch.constant.int 1
    %49 = torch.prim.ListConstruct %int1_35 : (!torch.int) -> !torch.list<int>
    %true_36 = torch.constant.bool true
    %none_37 = torch.constant.none
    %50 = torch.aten.sum.dim_IntList %48, %49, %true_36, %none_37 : !torch.vtensor<[1,3],f32>, !torch.list<int>, !torch.bool, !torch.none -> !torch.vtensor<[1,1],f32>
    %51 = torch.aten.log %50 : !torch.vtensor<[1,1],f32> -> !torch.vtensor<[1,1],f32>
    %int1_38 = torch.constant.int 1
    %52 = torch.aten.sub.Tensor %47, %51, %int1_38 : !torch.vtensor<[1,3],f32>, !torch.vtensor<[1,1],f32>, !torch.int -> !torch.vtensor<[1,3],f32>
    return %52 : !torch.vtensor<[1,3],f32>
  }
}

{-#
  dialect_resources: {
    builtin: {
      torch_tensor_2_1_3_3_torch.float32: "0x04000000568D23BB281B373E64778CBE56337BBE4E7703BEE60FB73DAB69D8BBDF51873E9654F2BC66A4B43D904FCEBD4B3086BDD00BA3BE180F62BE9BB40CBEAB4E4A3CEBF0063ECBCE4C3E",
      torch_tensor_2_torch.float32: "0x04000000666767BE53A314BE",
      torch_tensor_2_torch.float32_1: "0x040000002D17B2BD73B8163C",
      torch_tensor_2_torch.float32_2: "0x040000002AEC2F3FBAB5083F",
      torch_tensor_2_torch.float32_3: "0x0400000010DDB83FBCA9B03F",
      torch_tensor_2_torch.float32_4: "0x04000000324BCCBDD354993C",
      torch_tensor_3_18_torch.float32: "0x04000000DF54AF3DF56B483EDFAF46BDA39C343EBF9C1BBD4750CC3C818B5A3ED6E65FBED9F117BE3B6A74BDDE29BCBDD388503EAE711CBE0936DEBD8D9F28BE2B0C62BE1EE40CBEC9784F3ED265D73DD5F5E93D62184B3C4F7BF7BD4A56233D115B61BEE0652EBE11DBF8BD5A48183E94830D3E4915D6BD4C570BBC225D1A3E6EF16F3E0F95BF3D6F6C023DF7D3213EE11C0EBE40E7333D86203BBE5C4827BE435DF9BDC06ADA3D5221C23D3DF80EBE25D5913DD97F043EAEB5F3BC8A72133C39B25F3DCABB153E69C0673E3DFF39BED1E6B0BD8AB6BD3D5BFA473E",
      torch_tensor_3_torch.float32: "0x040000005008523E00F7543ECA22403D"
    }
  }
#-}
