// VGG-11 with BatchNorm, CIFAR-100 shapes (3x32x32, 6-bit weights, T = 6).
// RUN: %python -m e3ne.tools.export_torch vgg11 -o %t.mlir --calibration-out %t.npy
// RUN: e3ne-opt %t.mlir -p 'convert-torch-to-snn,fold-batchnorm,quantize{timesteps=6 weight_bits=6 calibration="%t.npy"}' --elide-elements-above 1 | filecheck %s

// CHECK-NOT:  snn.batch_norm
// CHECK:      snn.encode {{.*}} -> tensor<1x3x32x32xui6, #snn.radix<6, frac = 6>>
// CHECK-NEXT: snn.conv2d {{.*}} -> tensor<1x64x32x32xsi{{[0-9]+}}
// CHECK-NEXT: snn.radix_neuron
// CHECK-NEXT: snn.max_pool2d {{.*}} -> tensor<1x64x16x16xui6
// CHECK-NEXT: snn.conv2d {{.*}} -> tensor<1x128x16x16xsi{{[0-9]+}}
// CHECK-COUNT-6: snn.conv2d
// CHECK:      snn.max_pool2d {{.*}} -> tensor<1x512x1x1xui6
// CHECK-NEXT: snn.flatten {{.*}} -> tensor<1x512xui6
// CHECK-NEXT: snn.linear {{.*}} -> tensor<1x4096xsi{{[0-9]+}}
// CHECK-NEXT: snn.radix_neuron
// CHECK-NEXT: snn.linear {{.*}} -> tensor<1x4096xsi{{[0-9]+}}
// CHECK-NEXT: snn.radix_neuron
// CHECK-NEXT: snn.linear {{.*}} -> tensor<1x100xsi{{[0-9]+}}, #snn.fixed
// CHECK-NOT:  snn.conv2d
