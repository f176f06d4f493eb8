"""e3ne's MLIR dialects (xDSL): ``snn`` (spiking networks), ``torch`` (torch-mlir subset), ``e3ne_hw`` (hardware)."""

from collections.abc import Callable

from xdsl.ir import Dialect


def get_all_dialects() -> dict[str, Callable[[], Dialect]]:
    """Dialect name -> loader, for tools that register dialects lazily (e3ne-opt)."""

    def get_snn() -> Dialect:
        from e3ne.dialects.snn import SNN

        return SNN

    def get_torch() -> Dialect:
        from e3ne.dialects.torch import TORCH

        return TORCH

    def get_e3ne_hw() -> Dialect:
        from e3ne.dialects.e3ne_hw import E3NE_HW

        return E3NE_HW

    return {"snn": get_snn, "torch": get_torch, "e3ne_hw": get_e3ne_hw}
