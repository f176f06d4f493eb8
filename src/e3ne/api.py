"""e3ne's Python API: from a PyTorch model to IR (and, in later stages, to hardware)."""

from __future__ import annotations

from xdsl.dialects.builtin import ModuleOp

from e3ne.pipeline import Compilation, Options, default_calibration, export_torch


def import_model(
    model: object,
    example_input: object,
    calibration: object | None = None,
    *,
    stage: str = "snn",
    keep_stages: bool = False,
    **options: object,
) -> ModuleOp:
    """Import a PyTorch model through torch-mlir into the ``snn`` dialect.

    Args:
        model: a ``torch.nn.Module`` (put in eval mode).
        example_input: an input batch (tensor or array) with the shape the network takes.
        calibration: float inputs (N, ...) that choose the power-of-two scales; by default the
            example input (use a few hundred representative inputs for good accuracy).
        stage: the last stage to run: ``torch``, ``snn-float``, ``snn-folded`` or ``snn`` (quantized).
        keep_stages: also return the ``.mlir`` text of every stage, ``{stage: text}``.
        **options: ``timesteps`` (4), ``weight_bits`` (8), ``encoding`` (``radix`` | ``rate``),
            ``scale_rule`` (``mse`` | ``e3ne``).

    Returns:
        the xDSL module (with ``keep_stages``: ``(module, texts)``).

    Example:
        >>> import e3ne, e3ne.models
        >>> model, x, calibration = e3ne.models.digits_example()
        >>> module = e3ne.import_model(model, x, calibration, timesteps=4, weight_bits=8)
    """
    compilation = Compilation(Options().with_(**options), default_calibration(example_input, calibration), keep_stages)
    compilation.start(export_torch(model, example_input))
    module = compilation.run_until(stage)
    if keep_stages:
        return module, compilation.texts  # type: ignore[return-value]
    return module


__all__ = ["import_model"]
