// RUN: not e3ne-opt %s -p convert-torch-to-snn 2>&1 | filecheck %s
func.func @grouped(%arg0: !torch.vtensor<[1,2,4,4],f32>) -> !torch.vtensor<[1,2,4,4],f32> {
  %w = torch.vtensor.literal(dense<1.0> : tensor<2x1x1x1xf32>) : !torch.vtensor<[2,1,1,1],f32>
  %none = torch.constant.none
  %int1 = torch.constant.int 1
  %int0 = torch.constant.int 0
  %int2 = torch.constant.int 2
  %false = torch.constant.bool false
  %ones = torch.prim.ListConstruct %int1, %int1 : (!torch.int, !torch.int) -> !torch.list<int>
  %zeros = torch.prim.ListConstruct %int0, %int0 : (!torch.int, !torch.int) -> !torch.list<int>
  // CHECK: torch_to_snn_grouped.mlir:[[# @LINE + 1]]:3: error: 'torch.aten.convolution': not supported: grouped convolution (groups = 2)
  %0 = torch.aten.convolution %arg0, %w, %none, %ones, %zeros, %ones, %false, %zeros, %int2 : !torch.vtensor<[1,2,4,4],f32>, !torch.vtensor<[2,1,1,1],f32>, !torch.none, !torch.list<int>, !torch.list<int>, !torch.list<int>, !torch.bool, !torch.list<int>, !torch.int -> !torch.vtensor<[1,2,4,4],f32>
  return %0 : !torch.vtensor<[1,2,4,4],f32>
}
