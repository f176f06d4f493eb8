// A file torch-mlir produced, untouched, through convert-torch-to-snn, fold-batchnorm and quantize.
// Both of torch-mlir's spellings (default decompositions, and none) give the same network.
// RUN: e3ne-opt %S/../torch/inputs/tiny_cnn.torch.mlir -p 'convert-torch-to-snn' | filecheck %s --check-prefix=FLOAT
// RUN: e3ne-opt %S/../torch/inputs/tiny_cnn.torch.mlir -p 'convert-torch-to-snn,fold-batchnorm,quantize{weight_bits=3 calibration="%S/inputs/calib_6x6.npy"}' > %t.decomposed
// RUN: e3ne-opt %S/../torch/inputs/tiny_cnn_nodecomp.torch.mlir -p 'convert-torch-to-snn,fold-batchnorm,quantize{weight_bits=3 calibration="%S/inputs/calib_6x6.npy"}' > %t.plain
// RUN: filecheck %s --input-file %t.decomposed
// RUN: sed -E 's/%%[a-z0-9_]+/%%v/g' %t.decomposed > %t.decomposed.names
// RUN: sed -E 's/%%[a-z0-9_]+/%%v/g' %t.plain | diff %t.decomposed.names -

// BatchNorm (sub/mul/mul/add with constants) becomes one snn.batch_norm; Linear (mm + bias add)
// one snn.linear with its bias; the decomposed log_softmax at the end is dropped.
// FLOAT:      func.func @main(%arg0: tensor<1x1x6x6xf32>) -> tensor<1x3xf32>
// FLOAT-NEXT:   %0 = snn.conv2d %arg0 {{.*}}bias = dense<{{.*}}> : tensor<2xf32>, strides = array<i64: 1, 1>, padding = array<i64: 1, 1>} : tensor<1x1x6x6xf32> -> tensor<1x2x6x6xf32>
// FLOAT-NEXT:   %1 = snn.batch_norm %0 {scale = dense<[{{.*}}]> : tensor<2xf32>, shift = dense<[{{.*}}]> : tensor<2xf32>} : tensor<1x2x6x6xf32>
// FLOAT-NEXT:   %2 = snn.relu %1
// FLOAT-NEXT:   %[[P:.*]] = snn.max_pool2d %2
// FLOAT-NEXT:   %[[F:.*]] = snn.flatten %[[P]] : tensor<1x2x3x3xf32> -> tensor<1x18xf32>
// FLOAT-NEXT:   %[[L:.*]] = snn.linear %[[F]] {weight = dense<{{.*}}> : tensor<3x18xf32>, bias = dense<{{.*}}> : tensor<3xf32>} : tensor<1x18xf32> -> tensor<1x3xf32>
// FLOAT-NEXT:   func.return %[[L]] : tensor<1x3xf32>

// CHECK:      snn.encode %arg0 {step = 0.0666{{[0-9]*}} : f64, code_bits = 4 : i64}
// CHECK-NEXT: snn.conv2d {{.*}}bias = dense<[{{-?[0-9]+}}, {{-?[0-9]+}}]> : tensor<2xi8>
// CHECK-NEXT: snn.radix_neuron
// CHECK-NEXT: snn.max_pool2d
// CHECK-NEXT: snn.flatten
// CHECK-NEXT: snn.linear
// CHECK-NEXT: func.return
