"""e3ne's MLIR dialects (xDSL): ``snn`` (spiking networks), ``torch`` (torch-mlir subset), ``e3ne_hw`` (hardware)."""

from collections.abc import Callable

from xdsl.ir import Dialect


def get_all_dialects() -> dict[str, Callable[[], Dialect]]:
    """Dialect name -> loader, for tools that register dialects lazily (e3ne-opt)."""

    def get_snn() -> Dialect:
        from e3ne.dialects.snn import SNN

        return SNN

    return {"snn": get_snn}
