// Fang et al.'s 32C3-P2-32C3-P2-256-10 (1x28x28, 4-bit weights, T = 4).
// RUN: %python -m e3ne.tools.export_torch fang -o %t.mlir --calibration-out %t.npy
// RUN: e3ne-opt %t.mlir -p 'convert-torch-to-snn,fold-batchnorm,quantize{timesteps=4 weight_bits=4 calibration="%t.npy"}' --elide-elements-above 1 --print-between-passes 2>&1 | filecheck %s

// CHECK-LABEL: IR after convert-torch-to-snn
// CHECK:      snn.conv2d %arg0 {{.*}} : tensor<1x1x28x28xf32> -> tensor<1x32x26x26xf32>
// CHECK:      snn.max_pool2d {{.*}} -> tensor<1x32x13x13xf32>
// CHECK:      snn.conv2d {{.*}} -> tensor<1x32x11x11xf32>
// CHECK:      snn.max_pool2d {{.*}} -> tensor<1x32x5x5xf32>
// CHECK:      snn.flatten {{.*}} -> tensor<1x800xf32>
// CHECK:      snn.linear {{.*}} -> tensor<1x256xf32>
// CHECK:      snn.linear {{.*}} -> tensor<1x10xf32>

// CHECK-LABEL: func.func @main(%arg0: tensor<1x1x28x28xf32>) -> tensor<1x{{[0-9]+}}xsi
// CHECK:      snn.encode {{.*}} -> tensor<1x1x28x28xui4, #snn.radix<4, frac = 4>>
// CHECK-NEXT: snn.conv2d {{.*}}#snn.weight_quant<bits = 4, {{.*}} -> tensor<1x32x26x26xsi{{[0-9]+}}
// CHECK-NEXT: snn.radix_neuron
// CHECK-NEXT: snn.max_pool2d {{.*}} -> tensor<1x32x13x13xui4
// CHECK-NEXT: snn.conv2d {{.*}} -> tensor<1x32x11x11xsi{{[0-9]+}}
// CHECK-NEXT: snn.radix_neuron
// CHECK-NEXT: snn.max_pool2d {{.*}} -> tensor<1x32x5x5xui4
// CHECK-NEXT: snn.flatten {{.*}} -> tensor<1x800xui4
// CHECK-NEXT: snn.linear {{.*}} -> tensor<1x256xsi{{[0-9]+}}
// CHECK-NEXT: snn.radix_neuron
// CHECK-NEXT: snn.linear {{.*}} -> tensor<1x10xsi{{[0-9]+}}, #snn.fixed
