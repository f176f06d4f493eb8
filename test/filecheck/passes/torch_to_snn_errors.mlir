// Unsupported torch input stops with one line naming the torch op and its position.
// RUN: not e3ne-opt %s --split-input-file -p convert-torch-to-snn 2>&1 | filecheck %s

func.func @sigmoid(%arg0: !torch.vtensor<[1,4],f32>) -> !torch.vtensor<[1,4],f32> {
  // CHECK: torch_to_snn_errors.mlir:[[# @LINE + 1]]:3: error: 'torch.aten.sigmoid': not supported: torch.aten.sigmoid
  %0 = torch.aten.sigmoid %arg0 : !torch.vtensor<[1,4],f32> -> !torch.vtensor<[1,4],f32>
  return %0 : !torch.vtensor<[1,4],f32>
}
