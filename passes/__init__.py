"""e3ne's passes. ``get_all_passes`` also lists the conversions in ``e3ne.lowering``."""

from collections.abc import Callable

from xdsl.passes import ModulePass


def get_all_passes() -> dict[str, Callable[[], type[ModulePass]]]:
    """Pass name -> loader, in pipeline order, for tools that register passes lazily (e3ne-opt)."""

    def get_convert_torch_to_snn() -> type[ModulePass]:
        from e3ne.lowering.torch_to_snn import ConvertTorchToSnnPass

        return ConvertTorchToSnnPass

    def get_fold_batchnorm() -> type[ModulePass]:
        from e3ne.passes.fold_batchnorm import FoldBatchNormPass

        return FoldBatchNormPass

    def get_quantize() -> type[ModulePass]:
        from e3ne.passes.quantize import QuantizePass

        return QuantizePass

    def get_convert_snn_to_hw() -> type[ModulePass]:
        from e3ne.lowering.snn_to_hw import ConvertSnnToHwPass

        return ConvertSnnToHwPass

    def get_prepare_verilog() -> type[ModulePass]:
        from e3ne.lowering.prepare_verilog import PrepareVerilogPass

        return PrepareVerilogPass

    return {
        "convert-torch-to-snn": get_convert_torch_to_snn,
        "fold-batchnorm": get_fold_batchnorm,
        "quantize": get_quantize,
        "convert-snn-to-hw": get_convert_snn_to_hw,
        "prepare-verilog": get_prepare_verilog,
    }
