// convert-torch-to-snn{function=NAME} converts only @NAME; without the option every func.func is converted.
// RUN: e3ne-opt %s -p 'convert-torch-to-snn{function=main}' | filecheck %s
// RUN: e3ne-opt %s -p 'convert-torch-to-snn{function="main"}' | filecheck %s
// RUN: not e3ne-opt %s -p 'convert-torch-to-snn' 2>&1 | filecheck %s --check-prefix=ALL
// RUN: not e3ne-opt %s -p 'convert-torch-to-snn{function=absent}' 2>&1 | filecheck %s --check-prefix=ABSENT

// CHECK:      func.func @main(%arg0: tensor<1x4xf32>) -> tensor<1x4xf32> {
// CHECK-NEXT:   %0 = snn.relu %arg0 : tensor<1x4xf32>
// CHECK-NEXT:   func.return %0 : tensor<1x4xf32>
// CHECK-NEXT: }
func.func @main(%arg0: !torch.vtensor<[1,4],f32>) -> !torch.vtensor<[1,4],f32> {
  %0 = torch.aten.relu %arg0 : !torch.vtensor<[1,4],f32> -> !torch.vtensor<[1,4],f32>
  return %0 : !torch.vtensor<[1,4],f32>
}

// The other function stays as it is.
// CHECK-NEXT: func.func @helper(%arg0: !torch.vtensor<[1,4],f32>) -> !torch.vtensor<[1,4],f32> {
// CHECK-NEXT:   %0 = torch.aten.sigmoid %arg0 : !torch.vtensor<[1,4],f32> -> !torch.vtensor<[1,4],f32>
// CHECK-NEXT:   func.return %0 : !torch.vtensor<[1,4],f32>
// CHECK-NEXT: }
func.func @helper(%arg0: !torch.vtensor<[1,4],f32>) -> !torch.vtensor<[1,4],f32> {
  // ALL: torch_to_snn_function.mlir:[[# @LINE + 1]]:3: error: 'torch.aten.sigmoid': not supported: torch.aten.sigmoid
  %0 = torch.aten.sigmoid %arg0 : !torch.vtensor<[1,4],f32> -> !torch.vtensor<[1,4],f32>
  return %0 : !torch.vtensor<[1,4],f32>
}

// ABSENT: e3ne-opt: error: convert-torch-to-snn: the module has no func.func @absent
