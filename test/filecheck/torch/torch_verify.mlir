// Every torch verifier a user can trip gives a diagnostic naming the op, its position and the value.
// RUN: e3ne-opt %s --split-input-file --verify-diagnostics --parsing-diagnostics | filecheck %s

func.func @list_element(%f: !torch.float) -> !torch.list<int> {
  // CHECK: torch_verify.mlir:[[# @LINE + 1]]:3: error: 'torch.prim.ListConstruct': element 0 has type !torch.float, which is not a !torch.list<int> element
  %0 = torch.prim.ListConstruct %f : (!torch.float) -> !torch.list<int>
  return %0 : !torch.list<int>
}

// -----

func.func @literal_shape() -> !torch.vtensor<[3],f32> {
  // CHECK: torch_verify.mlir:[[# @LINE + 1]]:3: error: 'torch.vtensor.literal': result type !torch.vtensor<[3],f32> does not match the literal's shape [2] and dtype f32
  %0 = torch.vtensor.literal(dense<1.0> : tensor<2xf32>) : !torch.vtensor<[3],f32>
  return %0 : !torch.vtensor<[3],f32>
}

// -----

func.func @literal_value_tensor() -> !torch.tensor<[2],f32> {
  // CHECK: torch_verify.mlir:[[# @LINE + 1]]:3: error: 'torch.vtensor.literal': result 'result' at position 0 does not verify:
  %0 = torch.vtensor.literal(dense<1.0> : tensor<2xf32>) : !torch.tensor<[2],f32>
  return %0 : !torch.tensor<[2],f32>
}

// -----

func.func @arity(%x: !torch.vtensor<[2],f32>) -> !torch.vtensor<[2],f32> {
  // CHECK: torch_verify.mlir:[[# @LINE + 1]]:3: error: 'torch.aten.relu': expected 1 operands (self), got 2
  %0 = torch.aten.relu %x, %x : !torch.vtensor<[2],f32>, !torch.vtensor<[2],f32> -> !torch.vtensor<[2],f32>
  return %0 : !torch.vtensor<[2],f32>
}

// -----

func.func @results(%x: !torch.vtensor<[1,1,2,2],f32>, %l: !torch.list<int>, %b: !torch.bool) -> !torch.vtensor<[1,1,1,1],f32> {
  // CHECK: torch_verify.mlir:[[# @LINE + 1]]:3: error: 'torch.aten.max_pool2d_with_indices': expected 2 results, got 1
  %0 = torch.aten.max_pool2d_with_indices %x, %l, %l, %l, %l, %b : !torch.vtensor<[1,1,2,2],f32>, !torch.list<int>, !torch.list<int>, !torch.list<int>, !torch.list<int>, !torch.bool -> !torch.vtensor<[1,1,1,1],f32>
  return %0 : !torch.vtensor<[1,1,1,1],f32>
}

// -----

func.func @builtin_operand(%x: tensor<2xf32>) -> !torch.vtensor<[2],f32> {
  // CHECK: torch_verify.mlir:[[# @LINE + 1]]:3: error: 'torch.aten.relu': operand 0 must have a !torch type, got tensor<2xf32>
  %0 = torch.aten.relu %x : tensor<2xf32> -> !torch.vtensor<[2],f32>
  return %0 : !torch.vtensor<[2],f32>
}

// -----

func.func @int_width() -> !torch.int {
  // CHECK: torch_verify.mlir:[[# @LINE + 1]]:3: error: 'torch.constant.int': value must be an i64 integer, got 1 : i32
  %0 = "torch.constant.int"() <{value = 1 : i32}> : () -> !torch.int
  return %0 : !torch.int
}

// -----

// CHECK: torch_verify.mlir:[[# @LINE + 2]]:41
// CHECK: invalid dtype i32 for !torch.vtensor (torch uses f16, bf16, f32, f64, i1, si8-si64, ui8)
func.func @dtype(%x: !torch.vtensor<[2],i32>) {
  return
}

// -----

// CHECK: torch_verify.mlir:[[# @LINE + 2]]:35
// CHECK: unknown torch type 'foo' (known: Device, Generator, any, bool, float, int, list, none, number, optional, str, tensor, tuple, union, vtensor)
func.func @nested(%x: !torch.list<foo>) {
  return
}
