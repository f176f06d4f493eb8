// Ops and types of the torch dialect that the generated inputs do not use, written as torch-mlir
// prints them: they round-trip in pretty and generic form.
// RUN: %roundtrip | filecheck %s
// RUN: %roundtrip-generic | filecheck %s

func.func @linear_and_matmul(%x: !torch.vtensor<[2,4],f32>) -> !torch.vtensor<[2,3],f32> {
  %w = torch.vtensor.literal(dense<[[1.0, 2.0, 3.0, 4.0], [0.5, 0.25, -1.0, 0.0], [2.0, 2.0, 2.0, 2.0]]> : tensor<3x4xf32>) : !torch.vtensor<[3,4],f32>
  %b = torch.vtensor.literal(dense<0.5> : tensor<3xf32>) : !torch.vtensor<[3],f32>
  %int1 = torch.constant.int 1
  %int0 = torch.constant.int 0
  %wt = torch.aten.t %w : !torch.vtensor<[3,4],f32> -> !torch.vtensor<[4,3],f32>
  %0 = torch.aten.addmm %b, %x, %wt, %int1, %int1 : !torch.vtensor<[3],f32>, !torch.vtensor<[2,4],f32>, !torch.vtensor<[4,3],f32>, !torch.int, !torch.int -> !torch.vtensor<[2,3],f32>
  %1 = torch.aten.linear %x, %w, %b : !torch.vtensor<[2,4],f32>, !torch.vtensor<[3,4],f32>, !torch.vtensor<[3],f32> -> !torch.vtensor<[2,3],f32>
  %2 = torch.aten.matmul %x, %wt : !torch.vtensor<[2,4],f32>, !torch.vtensor<[4,3],f32> -> !torch.vtensor<[2,3],f32>
  %3 = torch.aten.mm %x, %wt : !torch.vtensor<[2,4],f32>, !torch.vtensor<[4,3],f32> -> !torch.vtensor<[2,3],f32>
  %4 = torch.aten.transpose.int %wt, %int0, %int1 : !torch.vtensor<[4,3],f32>, !torch.int, !torch.int -> !torch.vtensor<[3,4],f32>
  %5 = torch.aten.div.Tensor %0, %1 : !torch.vtensor<[2,3],f32>, !torch.vtensor<[2,3],f32> -> !torch.vtensor<[2,3],f32>
  %float2.000000e00 = torch.constant.float 2.000000e+00
  %6 = torch.aten.sub.Scalar %5, %float2.000000e00, %int1 : !torch.vtensor<[2,3],f32>, !torch.float, !torch.int -> !torch.vtensor<[2,3],f32>
  %7 = torch.aten.div.Scalar %6, %float2.000000e00 : !torch.vtensor<[2,3],f32>, !torch.float -> !torch.vtensor<[2,3],f32>
  %8 = torch.aten.rsqrt %7 : !torch.vtensor<[2,3],f32> -> !torch.vtensor<[2,3],f32>
  %false = torch.constant.bool false
  %9 = torch.aten._log_softmax %8, %int1, %false : !torch.vtensor<[2,3],f32>, !torch.int, !torch.bool -> !torch.vtensor<[2,3],f32>
  %none = torch.constant.none
  %10 = torch.aten.softmax.int %9, %int1, %none : !torch.vtensor<[2,3],f32>, !torch.int, !torch.none -> !torch.vtensor<[2,3],f32>
  return %10 : !torch.vtensor<[2,3],f32>
}

func.func @batch_norm_and_pooling(%x: !torch.vtensor<[1,2,4,4],f32>) -> !torch.vtensor<[1,8],f32> {
  %w = torch.vtensor.literal(dense<[1.5, 0.5]> : tensor<2xf32>) : !torch.vtensor<[2],f32>
  %b = torch.vtensor.literal(dense<[0.0, -1.0]> : tensor<2xf32>) : !torch.vtensor<[2],f32>
  %mean = torch.vtensor.literal(dense<[0.25, 0.75]> : tensor<2xf32>) : !torch.vtensor<[2],f32>
  %var = torch.vtensor.literal(dense<[2.0, 4.0]> : tensor<2xf32>) : !torch.vtensor<[2],f32>
  %false = torch.constant.bool false
  %true = torch.constant.bool true
  %float1.000000e-01 = torch.constant.float 1.000000e-01
  %float1.000000e-05 = torch.constant.float 1.000000e-05
  %0 = torch.aten.batch_norm %x, %w, %b, %mean, %var, %false, %float1.000000e-01, %float1.000000e-05, %false : !torch.vtensor<[1,2,4,4],f32>, !torch.vtensor<[2],f32>, !torch.vtensor<[2],f32>, !torch.vtensor<[2],f32>, !torch.vtensor<[2],f32>, !torch.bool, !torch.float, !torch.float, !torch.bool -> !torch.vtensor<[1,2,4,4],f32>
  %result0, %result1, %result2 = torch.aten._native_batch_norm_legit_no_training %0, %w, %b, %mean, %var, %float1.000000e-01, %float1.000000e-05 : !torch.vtensor<[1,2,4,4],f32>, !torch.vtensor<[2],f32>, !torch.vtensor<[2],f32>, !torch.vtensor<[2],f32>, !torch.vtensor<[2],f32>, !torch.float, !torch.float -> !torch.vtensor<[1,2,4,4],f32>, !torch.vtensor<[0],f32>, !torch.vtensor<[0],f32>
  %int2 = torch.constant.int 2
  %int0 = torch.constant.int 0
  %int1 = torch.constant.int 1
  %k = torch.prim.ListConstruct %int2, %int2 : (!torch.int, !torch.int) -> !torch.list<int>
  %p = torch.prim.ListConstruct %int0, %int0 : (!torch.int, !torch.int) -> !torch.list<int>
  %d = torch.prim.ListConstruct %int1, %int1 : (!torch.int, !torch.int) -> !torch.list<int>
  %1 = torch.aten.max_pool2d %result0, %k, %k, %p, %d, %false : !torch.vtensor<[1,2,4,4],f32>, !torch.list<int>, !torch.list<int>, !torch.list<int>, !torch.list<int>, !torch.bool -> !torch.vtensor<[1,2,2,2],f32>
  %none = torch.constant.none
  %2 = torch.aten.avg_pool2d %result0, %k, %k, %p, %false, %true, %none : !torch.vtensor<[1,2,4,4],f32>, !torch.list<int>, !torch.list<int>, !torch.list<int>, !torch.bool, !torch.bool, !torch.none -> !torch.vtensor<[1,2,2,2],f32>
  %3 = torch.aten.adaptive_avg_pool2d %2, %k : !torch.vtensor<[1,2,2,2],f32>, !torch.list<int> -> !torch.vtensor<[1,2,2,2],f32>
  %4 = torch.aten.relu_ %3 : !torch.vtensor<[1,2,2,2],f32> -> !torch.vtensor<[1,2,2,2],f32>
  %int-1 = torch.constant.int -1
  %5 = torch.aten.flatten.using_ints %4, %int1, %int-1 : !torch.vtensor<[1,2,2,2],f32>, !torch.int, !torch.int -> !torch.vtensor<[1,8],f32>
  %float5.000000e-01 = torch.constant.float 5.000000e-01
  %6 = torch.aten.dropout %5, %float5.000000e-01, %false : !torch.vtensor<[1,8],f32>, !torch.float, !torch.bool -> !torch.vtensor<[1,8],f32>
  %7 = torch.aten.detach %6 : !torch.vtensor<[1,8],f32> -> !torch.vtensor<[1,8],f32>
  %8 = torch.aten.contiguous %7, %int0 : !torch.vtensor<[1,8],f32>, !torch.int -> !torch.vtensor<[1,8],f32>
  %int8 = torch.constant.int 8
  %s = torch.prim.ListConstruct %int8 : (!torch.int) -> !torch.list<int>
  %9 = torch.aten.reshape %8, %s : !torch.vtensor<[1,8],f32>, !torch.list<int> -> !torch.vtensor<[8],f32>
  %10 = torch.aten.unsqueeze %9, %int0 : !torch.vtensor<[8],f32>, !torch.int -> !torch.vtensor<[1,8],f32>
  %11 = torch.aten.squeeze.dim %10, %int0 : !torch.vtensor<[1,8],f32>, !torch.int -> !torch.vtensor<[8],f32>
  %s2 = torch.prim.ListConstruct %int1, %int8 : (!torch.int, !torch.int) -> !torch.list<int>
  %12 = torch.aten._unsafe_view %11, %s2 : !torch.vtensor<[8],f32>, !torch.list<int> -> !torch.vtensor<[1,8],f32>
  return %12 : !torch.vtensor<[1,8],f32>
}

func.func @convolutions(%x: !torch.vtensor<[1,1,4,4],f32>) -> !torch.vtensor<[1,1,4,4],f32> {
  %w = torch.vtensor.literal(dense<1.250000e-01> : tensor<1x1x3x3xf32>) : !torch.vtensor<[1,1,3,3],f32>
  %none = torch.constant.none
  %false = torch.constant.bool false
  %true = torch.constant.bool true
  %int1 = torch.constant.int 1
  %int0 = torch.constant.int 0
  %ones = torch.prim.ListConstruct %int1, %int1 : (!torch.int, !torch.int) -> !torch.list<int>
  %zeros = torch.prim.ListConstruct %int0, %int0 : (!torch.int, !torch.int) -> !torch.list<int>
  %0 = torch.aten.conv2d %x, %w, %none, %ones, %ones, %ones, %int1 : !torch.vtensor<[1,1,4,4],f32>, !torch.vtensor<[1,1,3,3],f32>, !torch.none, !torch.list<int>, !torch.list<int>, !torch.list<int>, !torch.int -> !torch.vtensor<[1,1,4,4],f32>
  %1 = torch.aten._convolution %0, %w, %none, %ones, %ones, %ones, %false, %zeros, %int1, %false, %false, %true, %true : !torch.vtensor<[1,1,4,4],f32>, !torch.vtensor<[1,1,3,3],f32>, !torch.none, !torch.list<int>, !torch.list<int>, !torch.list<int>, !torch.bool, !torch.list<int>, !torch.int, !torch.bool, !torch.bool, !torch.bool, !torch.bool -> !torch.vtensor<[1,1,4,4],f32>
  %2 = torch.aten.clone %1, %none : !torch.vtensor<[1,1,4,4],f32>, !torch.none -> !torch.vtensor<[1,1,4,4],f32>
  return %2 : !torch.vtensor<[1,1,4,4],f32>
}

func.func @types_and_constants(%a: !torch.vtensor, %b: !torch.vtensor<*,f32>, %c: !torch.vtensor<[?,3],unk>, %d: !torch.tensor<[2],si64>, %e: !torch.list<optional<vtensor<[3],f32>>>, %f: !torch.tuple<int, float>, %g: !torch.union<int, none>, %h: !torch.Generator, %i: !torch.any) -> !torch.list<vtensor> {
  %idx = torch.vtensor.literal(dense<[3, -1]> : tensor<2xsi64>) : !torch.vtensor<[2],si64>
  %mask = torch.vtensor.literal(dense<[true, false, true]> : tensor<3xi1>) : !torch.vtensor<[3],i1>
  %half = torch.vtensor.literal(dense<[1.0, -2.5]> : tensor<2xbf16>) : !torch.vtensor<[2],bf16>
  %scalar = torch.vtensor.literal(dense<7> : tensor<si32>) : !torch.vtensor<[],si32>
  %t = torch.tensor.literal(dense<[1, 2]> : tensor<2xsi64>) : !torch.tensor<[2],si64>
  %str = torch.constant.str "reflect"
  %cpu = torch.constant.device "cpu"
  %n = "torch.constant.number"() <{value = 3 : i64}> : () -> !torch.number
  %none = torch.constant.none
  %exact = torch.constant.float 0.10000000000000001
  %digits = torch.constant.float 0.123456789
  %inf = torch.constant.float 0x7FF0000000000000
  %empty = torch.prim.ListConstruct  : () -> !torch.list<int>
  %list = torch.prim.ListConstruct %idx, %a : (!torch.vtensor<[2],si64>, !torch.vtensor) -> !torch.list<vtensor>
  %opt = torch.prim.ListConstruct %b, %none : (!torch.vtensor<*,f32>, !torch.none) -> !torch.list<optional<vtensor<*,f32>>>
  %r = torch.operator "aten.foo.bar"(%a, %str) {note = "kept"} : (!torch.vtensor, !torch.str) -> !torch.vtensor
  return %list : !torch.list<vtensor>
}

// CHECK:      func.func @linear_and_matmul(%x: !torch.vtensor<[2,4],f32>) -> !torch.vtensor<[2,3],f32> {
// CHECK-NEXT:   %w = torch.vtensor.literal(dense<[[1.000000e+00, 2.000000e+00, 3.000000e+00, 4.000000e+00], [5.000000e-01, 2.500000e-01, -1.000000e+00, 0.000000e+00], [2.000000e+00, 2.000000e+00, 2.000000e+00, 2.000000e+00]]> : tensor<3x4xf32>) : !torch.vtensor<[3,4],f32>
// CHECK-NEXT:   %b = torch.vtensor.literal(dense<5.000000e-01> : tensor<3xf32>) : !torch.vtensor<[3],f32>
// CHECK-NEXT:   %int1 = torch.constant.int 1
// CHECK-NEXT:   %int0 = torch.constant.int 0
// CHECK-NEXT:   %wt = torch.aten.t %w : !torch.vtensor<[3,4],f32> -> !torch.vtensor<[4,3],f32>
// CHECK-NEXT:   %0 = torch.aten.addmm %b, %x, %wt, %int1, %int1 : !torch.vtensor<[3],f32>, !torch.vtensor<[2,4],f32>, !torch.vtensor<[4,3],f32>, !torch.int, !torch.int -> !torch.vtensor<[2,3],f32>
// CHECK-NEXT:   %1 = torch.aten.linear %x, %w, %b : !torch.vtensor<[2,4],f32>, !torch.vtensor<[3,4],f32>, !torch.vtensor<[3],f32> -> !torch.vtensor<[2,3],f32>
// CHECK-NEXT:   %2 = torch.aten.matmul %x, %wt : !torch.vtensor<[2,4],f32>, !torch.vtensor<[4,3],f32> -> !torch.vtensor<[2,3],f32>
// CHECK-NEXT:   %3 = torch.aten.mm %x, %wt : !torch.vtensor<[2,4],f32>, !torch.vtensor<[4,3],f32> -> !torch.vtensor<[2,3],f32>
// CHECK-NEXT:   %4 = torch.aten.transpose.int %wt, %int0, %int1 : !torch.vtensor<[4,3],f32>, !torch.int, !torch.int -> !torch.vtensor<[3,4],f32>
// CHECK-NEXT:   %5 = torch.aten.div.Tensor %0, %1 : !torch.vtensor<[2,3],f32>, !torch.vtensor<[2,3],f32> -> !torch.vtensor<[2,3],f32>
// CHECK-NEXT:   %float2.000000e00 = torch.constant.float 2.000000e+00
// CHECK-NEXT:   %6 = torch.aten.sub.Scalar %5, %float2.000000e00, %int1 : !torch.vtensor<[2,3],f32>, !torch.float, !torch.int -> !torch.vtensor<[2,3],f32>
// CHECK-NEXT:   %7 = torch.aten.div.Scalar %6, %float2.000000e00 : !torch.vtensor<[2,3],f32>, !torch.float -> !torch.vtensor<[2,3],f32>
// CHECK-NEXT:   %8 = torch.aten.rsqrt %7 : !torch.vtensor<[2,3],f32> -> !torch.vtensor<[2,3],f32>
// CHECK-NEXT:   %false = torch.constant.bool false
// CHECK-NEXT:   %9 = torch.aten._log_softmax %8, %int1, %false : !torch.vtensor<[2,3],f32>, !torch.int, !torch.bool -> !torch.vtensor<[2,3],f32>
// CHECK-NEXT:   %none = torch.constant.none
// CHECK-NEXT:   %10 = torch.aten.softmax.int %9, %int1, %none : !torch.vtensor<[2,3],f32>, !torch.int, !torch.none -> !torch.vtensor<[2,3],f32>
// CHECK-NEXT:   func.return %10 : !torch.vtensor<[2,3],f32>
// CHECK-NEXT: }
// CHECK:      func.func @batch_norm_and_pooling(%x: !torch.vtensor<[1,2,4,4],f32>) -> !torch.vtensor<[1,8],f32> {
// CHECK-NEXT:   %w = torch.vtensor.literal(dense<[1.500000e+00, 5.000000e-01]> : tensor<2xf32>) : !torch.vtensor<[2],f32>
// CHECK-NEXT:   %b = torch.vtensor.literal(dense<[0.000000e+00, -1.000000e+00]> : tensor<2xf32>) : !torch.vtensor<[2],f32>
// CHECK-NEXT:   %mean = torch.vtensor.literal(dense<[2.500000e-01, 7.500000e-01]> : tensor<2xf32>) : !torch.vtensor<[2],f32>
// CHECK-NEXT:   %var = torch.vtensor.literal(dense<[2.000000e+00, 4.000000e+00]> : tensor<2xf32>) : !torch.vtensor<[2],f32>
// CHECK-NEXT:   %false = torch.constant.bool false
// CHECK-NEXT:   %true = torch.constant.bool true
// CHECK-NEXT:   %float1.000000e-01 = torch.constant.float 1.000000e-01
// CHECK-NEXT:   %float1.000000e-05 = torch.constant.float 1.000000e-05
// CHECK-NEXT:   %0 = torch.aten.batch_norm %x, %w, %b, %mean, %var, %false, %float1.000000e-01, %float1.000000e-05, %false : !torch.vtensor<[1,2,4,4],f32>, !torch.vtensor<[2],f32>, !torch.vtensor<[2],f32>, !torch.vtensor<[2],f32>, !torch.vtensor<[2],f32>, !torch.bool, !torch.float, !torch.float, !torch.bool -> !torch.vtensor<[1,2,4,4],f32>
// CHECK-NEXT:   %result0, %result1, %result2 = torch.aten._native_batch_norm_legit_no_training %0, %w, %b, %mean, %var, %float1.000000e-01, %float1.000000e-05 : !torch.vtensor<[1,2,4,4],f32>, !torch.vtensor<[2],f32>, !torch.vtensor<[2],f32>, !torch.vtensor<[2],f32>, !torch.vtensor<[2],f32>, !torch.float, !torch.float -> !torch.vtensor<[1,2,4,4],f32>, !torch.vtensor<[0],f32>, !torch.vtensor<[0],f32>
// CHECK-NEXT:   %int2 = torch.constant.int 2
// CHECK-NEXT:   %int0 = torch.constant.int 0
// CHECK-NEXT:   %int1 = torch.constant.int 1
// CHECK-NEXT:   %k = torch.prim.ListConstruct %int2, %int2 : (!torch.int, !torch.int) -> !torch.list<int>
// CHECK-NEXT:   %p = torch.prim.ListConstruct %int0, %int0 : (!torch.int, !torch.int) -> !torch.list<int>
// CHECK-NEXT:   %d = torch.prim.ListConstruct %int1, %int1 : (!torch.int, !torch.int) -> !torch.list<int>
// CHECK-NEXT:   %1 = torch.aten.max_pool2d %result0, %k, %k, %p, %d, %false : !torch.vtensor<[1,2,4,4],f32>, !torch.list<int>, !torch.list<int>, !torch.list<int>, !torch.list<int>, !torch.bool -> !torch.vtensor<[1,2,2,2],f32>
// CHECK-NEXT:   %none = torch.constant.none
// CHECK-NEXT:   %2 = torch.aten.avg_pool2d %result0, %k, %k, %p, %false, %true, %none : !torch.vtensor<[1,2,4,4],f32>, !torch.list<int>, !torch.list<int>, !torch.list<int>, !torch.bool, !torch.bool, !torch.none -> !torch.vtensor<[1,2,2,2],f32>
// CHECK-NEXT:   %3 = torch.aten.adaptive_avg_pool2d %2, %k : !torch.vtensor<[1,2,2,2],f32>, !torch.list<int> -> !torch.vtensor<[1,2,2,2],f32>
// CHECK-NEXT:   %4 = torch.aten.relu_ %3 : !torch.vtensor<[1,2,2,2],f32> -> !torch.vtensor<[1,2,2,2],f32>
// CHECK-NEXT:   %int-1 = torch.constant.int -1
// CHECK-NEXT:   %5 = torch.aten.flatten.using_ints %4, %int1, %int-1 : !torch.vtensor<[1,2,2,2],f32>, !torch.int, !torch.int -> !torch.vtensor<[1,8],f32>
// CHECK-NEXT:   %float5.000000e-01 = torch.constant.float 5.000000e-01
// CHECK-NEXT:   %6 = torch.aten.dropout %5, %float5.000000e-01, %false : !torch.vtensor<[1,8],f32>, !torch.float, !torch.bool -> !torch.vtensor<[1,8],f32>
// CHECK-NEXT:   %7 = torch.aten.detach %6 : !torch.vtensor<[1,8],f32> -> !torch.vtensor<[1,8],f32>
// CHECK-NEXT:   %8 = torch.aten.contiguous %7, %int0 : !torch.vtensor<[1,8],f32>, !torch.int -> !torch.vtensor<[1,8],f32>
// CHECK-NEXT:   %int8 = torch.constant.int 8
// CHECK-NEXT:   %s = torch.prim.ListConstruct %int8 : (!torch.int) -> !torch.list<int>
// CHECK-NEXT:   %9 = torch.aten.reshape %8, %s : !torch.vtensor<[1,8],f32>, !torch.list<int> -> !torch.vtensor<[8],f32>
// CHECK-NEXT:   %10 = torch.aten.unsqueeze %9, %int0 : !torch.vtensor<[8],f32>, !torch.int -> !torch.vtensor<[1,8],f32>
// CHECK-NEXT:   %11 = torch.aten.squeeze.dim %10, %int0 : !torch.vtensor<[1,8],f32>, !torch.int -> !torch.vtensor<[8],f32>
// CHECK-NEXT:   %s2 = torch.prim.ListConstruct %int1, %int8 : (!torch.int, !torch.int) -> !torch.list<int>
// CHECK-NEXT:   %12 = torch.aten._unsafe_view %11, %s2 : !torch.vtensor<[8],f32>, !torch.list<int> -> !torch.vtensor<[1,8],f32>
// CHECK-NEXT:   func.return %12 : !torch.vtensor<[1,8],f32>
// CHECK-NEXT: }
// CHECK:      func.func @convolutions(%x: !torch.vtensor<[1,1,4,4],f32>) -> !torch.vtensor<[1,1,4,4],f32> {
// CHECK-NEXT:   %w = torch.vtensor.literal(dense<1.250000e-01> : tensor<1x1x3x3xf32>) : !torch.vtensor<[1,1,3,3],f32>
// CHECK-NEXT:   %none = torch.constant.none
// CHECK-NEXT:   %false = torch.constant.bool false
// CHECK-NEXT:   %true = torch.constant.bool true
// CHECK-NEXT:   %int1 = torch.constant.int 1
// CHECK-NEXT:   %int0 = torch.constant.int 0
// CHECK-NEXT:   %ones = torch.prim.ListConstruct %int1, %int1 : (!torch.int, !torch.int) -> !torch.list<int>
// CHECK-NEXT:   %zeros = torch.prim.ListConstruct %int0, %int0 : (!torch.int, !torch.int) -> !torch.list<int>
// CHECK-NEXT:   %0 = torch.aten.conv2d %x, %w, %none, %ones, %ones, %ones, %int1 : !torch.vtensor<[1,1,4,4],f32>, !torch.vtensor<[1,1,3,3],f32>, !torch.none, !torch.list<int>, !torch.list<int>, !torch.list<int>, !torch.int -> !torch.vtensor<[1,1,4,4],f32>
// CHECK-NEXT:   %1 = torch.aten._convolution %0, %w, %none, %ones, %ones, %ones, %false, %zeros, %int1, %false, %false, %true, %true : !torch.vtensor<[1,1,4,4],f32>, !torch.vtensor<[1,1,3,3],f32>, !torch.none, !torch.list<int>, !torch.list<int>, !torch.list<int>, !torch.bool, !torch.list<int>, !torch.int, !torch.bool, !torch.bool, !torch.bool, !torch.bool -> !torch.vtensor<[1,1,4,4],f32>
// CHECK-NEXT:   %2 = torch.aten.clone %1, %none : !torch.vtensor<[1,1,4,4],f32>, !torch.none -> !torch.vtensor<[1,1,4,4],f32>
// CHECK-NEXT:   func.return %2 : !torch.vtensor<[1,1,4,4],f32>
// CHECK-NEXT: }
// CHECK:      func.func @types_and_constants(%a: !torch.vtensor, %b: !torch.vtensor<*,f32>, %c: !torch.vtensor<[?,3],unk>, %d: !torch.tensor<[2],si64>, %e: !torch.list<optional<vtensor<[3],f32>>>, %f: !torch.tuple<int, float>, %g: !torch.union<int, none>, %h: !torch.Generator, %i: !torch.any) -> !torch.list<vtensor> {
// CHECK-NEXT:   %idx = torch.vtensor.literal(dense<[3, -1]> : tensor<2xsi64>) : !torch.vtensor<[2],si64>
// CHECK-NEXT:   %mask = torch.vtensor.literal(dense<[true, false, true]> : tensor<3xi1>) : !torch.vtensor<[3],i1>
// CHECK-NEXT:   %half = torch.vtensor.literal(dense<[1.000000e+00, -2.500000e+00]> : tensor<2xbf16>) : !torch.vtensor<[2],bf16>
// CHECK-NEXT:   %scalar = torch.vtensor.literal(dense<7> : tensor<si32>) : !torch.vtensor<[],si32>
// CHECK-NEXT:   %t = torch.tensor.literal(dense<[1, 2]> : tensor<2xsi64>) : !torch.tensor<[2],si64>
// CHECK-NEXT:   %str = torch.constant.str "reflect"
// CHECK-NEXT:   %cpu = torch.constant.device "cpu"
// CHECK-NEXT:   %n = "torch.constant.number"() <{value = 3 : i64}> : () -> !torch.number
// CHECK-NEXT:   %none = torch.constant.none
// CHECK-NEXT:   %exact = torch.constant.float 1.000000e-01
// CHECK-NEXT:   %digits = torch.constant.float 0.123456789
// CHECK-NEXT:   %inf = torch.constant.float 0x7FF0000000000000
// CHECK-NEXT:   %empty = torch.prim.ListConstruct : () -> !torch.list<int>
// CHECK-NEXT:   %list = torch.prim.ListConstruct %idx, %a : (!torch.vtensor<[2],si64>, !torch.vtensor) -> !torch.list<vtensor>
// CHECK-NEXT:   %opt = torch.prim.ListConstruct %b, %none : (!torch.vtensor<*,f32>, !torch.none) -> !torch.list<optional<vtensor<*,f32>>>
// CHECK-NEXT:   %r = torch.operator "aten.foo.bar"(%a, %str) {note = "kept"} : (!torch.vtensor, !torch.str) -> !torch.vtensor
// CHECK-NEXT:   func.return %list : !torch.list<vtensor>
// CHECK-NEXT: }
