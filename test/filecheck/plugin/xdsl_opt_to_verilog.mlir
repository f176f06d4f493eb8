// Stock xdsl-opt, with e3ne installed, finds e3ne's dialects, passes and the Verilog target through
// the xdsl.universe entry point and runs the whole flow from torch-mlir's output to Verilog exactly
// like e3ne-opt: the two outputs are identical at every stage. The linear layer runs on the conv units,
// so the engine has no linear unit (HAS_LINEAR = 0) and no linear weight ROM.
// RUN: xdsl-opt %S/../torch/inputs/tiny_cnn.torch.mlir -p 'convert-torch-to-snn,fold-batchnorm,quantize{timesteps=4 weight_bits=3 calibration="%S/../lowering/inputs/calib_6x6.npy"},fuse-layers,tile,convert-snn-to-hw,prepare-verilog' -t verilog > %t.xdsl.v
// RUN: e3ne-opt %S/../torch/inputs/tiny_cnn.torch.mlir -p 'convert-torch-to-snn,fold-batchnorm,quantize{timesteps=4 weight_bits=3 calibration="%S/../lowering/inputs/calib_6x6.npy"},fuse-layers,tile,convert-snn-to-hw,prepare-verilog' -t verilog > %t.e3ne.v
// RUN: diff %t.xdsl.v %t.e3ne.v
// RUN: filecheck %s --input-file %t.xdsl.v
// RUN: xdsl-opt %S/../torch/inputs/tiny_cnn.torch.mlir -p 'convert-torch-to-snn,fold-batchnorm,quantize{timesteps=4 weight_bits=3 calibration="%S/../lowering/inputs/calib_6x6.npy"}' > %t.xdsl.mlir
// RUN: e3ne-opt %S/../torch/inputs/tiny_cnn.torch.mlir -p 'convert-torch-to-snn,fold-batchnorm,quantize{timesteps=4 weight_bits=3 calibration="%S/../lowering/inputs/calib_6x6.npy"}' > %t.e3ne.mlir
// RUN: diff %t.xdsl.mlir %t.e3ne.mlir
// The Verilog target writes a whole design folder when asked.
// RUN: rm -rf %t.design && xdsl-opt %t.xdsl.mlir -p 'fuse-layers,tile,convert-snn-to-hw,prepare-verilog' -t 'verilog{directory="%t.design"}' > /dev/null
// RUN: ls %t.design | filecheck %s --check-prefix=FILES

// CHECK:      // e3ne_top: e3ne
// CHECK:      //   conv1      conv 1x6x6 -> 2x6x6, k 3x3 s 1 p 1, T 4->4, shift {{-?[0-9]+}}, max pool 2
// CHECK-NEXT: //   linear1    conv 2x3x3 -> 3x1x1, k 3x3 s 1 p 0, raw logits
// CHECK:      module e3ne_top (
// CHECK:      e3ne_core #(
// CHECK:          .HAS_LINEAR(0),
// CHECK:      module e3ne_tb;

// FILES: biases.mem
// FILES: conv_weights.mem
// FILES: e3ne_tb.v
// FILES: e3ne_top.v
// FILES: files.f
// FILES-NOT: linear_weights.mem
// FILES: program.mem
// FILES: rtl
