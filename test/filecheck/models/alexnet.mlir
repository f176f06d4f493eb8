// AlexNet with BatchNorm, CIFAR-10 shapes (3x32x32, 6-bit weights, T = 6, as in the E3NE paper).
// torch-mlir decomposes each BatchNorm into sub/mul/mul/add with constants; the converter
// gathers them into snn.batch_norm, and fold-batchnorm folds them into conv biases.
// RUN: %python -m e3ne.tools.export_torch alexnet -o %t.mlir --calibration-out %t.npy
// RUN: e3ne-opt %t.mlir -p 'convert-torch-to-snn,fold-batchnorm,quantize{timesteps=6 weight_bits=6 calibration="%t.npy"}' --elide-elements-above 1 --print-between-passes 2>&1 | filecheck %s

// CHECK-LABEL: IR after convert-torch-to-snn
// CHECK:      snn.conv2d %arg0 {snn.layer_name = "0", weight = dense_resource<__elided__> : tensor<64x3x3x3xf32>, strides = array<i64: 2, 2>, padding = array<i64: 1, 1>} : tensor<1x3x32x32xf32> -> tensor<1x64x16x16xf32>
// CHECK-NEXT: snn.batch_norm {{.*}} : tensor<1x64x16x16xf32>
// CHECK-NEXT: snn.relu
// CHECK-COUNT-4: snn.batch_norm
// CHECK:      snn.flatten {{.*}} -> tensor<1x1024xf32>
// CHECK:      snn.linear {{.*}} -> tensor<1x4096xf32>
// CHECK:      snn.linear {{.*}} -> tensor<1x4096xf32>
// CHECK:      snn.linear {{.*}} -> tensor<1x10xf32>

// CHECK-LABEL: IR after fold-batchnorm
// CHECK-NOT:  snn.batch_norm
// CHECK:      snn.conv2d %arg0 {snn.layer_name = "0", weight = dense_resource<__elided__> : tensor<64x3x3x3xf32>, {{.*}}bias = dense_resource<__elided__> : tensor<64xf32>

// CHECK-LABEL: func.func @main(%arg0: tensor<1x3x32x32xf32>) -> tensor<1x{{[0-9]+}}xsi
// CHECK:      snn.encode {{.*}} -> tensor<1x3x32x32xui6, #snn.radix<6, frac = 6>>
// CHECK-NEXT: snn.conv2d {{.*}}bias = {{.*}}strides = array<i64: 2, 2>{{.*}}#snn.weight_quant<bits = 6, {{.*}} -> tensor<1x64x16x16xsi{{[0-9]+}}
// CHECK-NEXT: snn.radix_neuron {{.*}} -> tensor<1x64x16x16xui6, #snn.radix<6, frac = {{-?[0-9]+}}>>
// CHECK-NEXT: snn.max_pool2d {{.*}} -> tensor<1x64x8x8xui6
// CHECK-COUNT-4: snn.radix_neuron
// CHECK:      snn.max_pool2d {{.*}} -> tensor<1x256x2x2xui6
// CHECK-NEXT: snn.flatten {{.*}} -> tensor<1x1024xui6
// CHECK-NEXT: snn.linear {{.*}} -> tensor<1x4096xsi{{[0-9]+}}
// CHECK-NEXT: snn.radix_neuron
// CHECK-NEXT: snn.linear {{.*}} -> tensor<1x4096xsi{{[0-9]+}}
// CHECK-NEXT: snn.radix_neuron
// CHECK-NEXT: snn.linear {{.*}} -> tensor<1x10xsi{{[0-9]+}}, #snn.fixed
