"""Model zoo: the networks of the E3NE paper and a small LeNet-class model for scikit-learn's digits.

Layer lists follow the E3NE reference models (DanielGerlinghoff/pytorch-cifar @ebc640a,
branch radix-encoding, ``models/*.py``): no biases in the paper models, 2x2 max pooling,
BatchNorm after every convolution of AlexNet and VGG-11. Each ``*_example`` function returns
``(model, example_input, calibration)`` as ``e3ne compile package.module:function`` expects.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import nn

DATA = Path(__file__).resolve().parent / "data"
DIGITS_WEIGHTS = DATA / "digits_lenet.pt"


def lenet5() -> nn.Module:
    """LeNet-5 on 1x32x32 (MNIST resized), as in the E3NE paper."""
    return nn.Sequential(
        nn.Conv2d(1, 6, 5, bias=False), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(6, 16, 5, bias=False), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(16, 120, 5, bias=False), nn.ReLU(), nn.Flatten(),
        nn.Linear(120, 84, bias=False), nn.ReLU(),
        nn.Linear(84, 10, bias=False),
    )  # fmt: skip


def fang_cnn() -> nn.Module:
    """Fang et al.'s 32C3-P2-32C3-P2-256-10 on 1x28x28."""
    return nn.Sequential(
        nn.Conv2d(1, 32, 3, bias=False), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 32, 3, bias=False), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(800, 256, bias=False), nn.ReLU(),
        nn.Linear(256, 10, bias=False),
    )  # fmt: skip


def _conv_bn_relu(cin: int, cout: int, stride: int = 1) -> list[nn.Module]:
    return [nn.Conv2d(cin, cout, 3, stride=stride, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU()]


def alexnet_bn(num_classes: int = 10) -> nn.Module:
    """AlexNet with BatchNorm for CIFAR-10 shapes (3x32x32)."""
    return nn.Sequential(
        *_conv_bn_relu(3, 64, stride=2), nn.MaxPool2d(2),
        *_conv_bn_relu(64, 192), nn.MaxPool2d(2),
        *_conv_bn_relu(192, 384),
        *_conv_bn_relu(384, 256),
        *_conv_bn_relu(256, 256), nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Dropout(0.5), nn.Linear(1024, 4096, bias=False), nn.ReLU(),
        nn.Dropout(0.5), nn.Linear(4096, 4096, bias=False), nn.ReLU(),
        nn.Linear(4096, num_classes, bias=False),
    )  # fmt: skip


def vgg11_bn(num_classes: int = 100) -> nn.Module:
    """VGG-11 with BatchNorm for CIFAR-100 shapes (3x32x32)."""
    layers: list[nn.Module] = []
    cin = 3
    for v in (64, "M", 128, "M", 256, 256, "M", 512, 512, "M", 512, 512, "M"):
        if v == "M":
            layers.append(nn.MaxPool2d(2))
        else:
            assert isinstance(v, int)
            layers += _conv_bn_relu(cin, v)
            cin = v
    return nn.Sequential(
        *layers,
        nn.Flatten(),
        nn.Linear(512, 4096, bias=False), nn.ReLU(),
        nn.Linear(4096, 4096, bias=False), nn.ReLU(),
        nn.Linear(4096, num_classes, bias=False),
    )  # fmt: skip


def digits_lenet() -> nn.Module:
    """A LeNet-class network for scikit-learn's 8x8 digits (with biases, to exercise the bias path)."""
    return nn.Sequential(
        nn.Conv2d(1, 6, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(6, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(64, 32), nn.ReLU(),
        nn.Linear(32, 10),
    )  # fmt: skip


# --------------------------------------------------------------------------- data


def digits_split(seed: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """scikit-learn's bundled digits as ``(x_train, y_train, x_test, y_test)``.

    Images are float32 in [0, 1] (pixel / 16), shape (N, 1, 8, 8); a fixed stratified 70/30 split.
    """
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    digits: Any = load_digits()
    x = (np.asarray(digits.images) / 16.0).astype(np.float32)[:, None, :, :]
    y = np.asarray(digits.target).astype(np.int64)
    split: Any = train_test_split(x, y, test_size=0.3, random_state=seed, stratify=y)
    x_train, x_test, y_train, y_test = (np.asarray(part) for part in split)
    return x_train, y_train, x_test, y_test


def to_signed(x: np.ndarray) -> np.ndarray:
    """Images in [0, 1] normalised to [-1, 1], as torchvision's ``Normalize(0.5, 0.5)`` does."""
    return (np.asarray(x, dtype=np.float32) - np.float32(0.5)) / np.float32(0.5)


def train_digits_lenet(epochs: int = 60, seed: int = 0, signed: bool = False) -> nn.Module:
    """Train :func:`digits_lenet` on the digits training split (about 10 s on 2 CPU cores);
    ``signed``: on inputs normalised to [-1, 1] (:func:`to_signed`)."""
    torch.manual_seed(seed)
    x_train, y_train, _, _ = digits_split()
    if signed:
        x_train = to_signed(x_train)
    model = digits_lenet()
    optimizer = torch.optim.Adam(model.parameters(), lr=3e-3)
    x, y = torch.from_numpy(x_train), torch.from_numpy(y_train)
    generator = torch.Generator().manual_seed(seed)
    model.train()
    for _ in range(epochs):
        order = torch.randperm(len(x), generator=generator)
        for start in range(0, len(x), 64):
            batch = order[start : start + 64]
            optimizer.zero_grad()
            loss = nn.functional.cross_entropy(model(x[batch]), y[batch])
            loss.backward()
            optimizer.step()
    return model.eval()


def load_digits_lenet() -> nn.Module:
    """The trained digits model shipped with e3ne (``python -m e3ne.models`` re-trains it)."""
    model = digits_lenet()
    model.load_state_dict(torch.load(DIGITS_WEIGHTS, weights_only=True))
    return model.eval()


DIGITS_CALIBRATION = 200
"""The digits training images the embedded default calibrates on (the first ones)."""


def digits_example() -> tuple[nn.Module, torch.Tensor, np.ndarray]:
    """The embedded default: trained digits LeNet, one test image, 200 training images for calibration."""
    x_train, _, x_test, _ = digits_split()
    return load_digits_lenet(), torch.from_numpy(x_test[:1]), x_train[:DIGITS_CALIBRATION]


def _random_example(model: nn.Module, shape: tuple[int, ...], seed: int) -> tuple[nn.Module, torch.Tensor, np.ndarray]:
    """Random weights (cost depends only on shapes) with BatchNorm statistics made non-trivial."""
    torch.manual_seed(seed)
    for module in model.modules():
        if isinstance(module, nn.BatchNorm2d):
            stats = (module.running_mean, module.running_var, module.weight, module.bias)
            ranges = ((-0.1, 0.1), (0.5, 1.5), (0.5, 1.5), (-0.1, 0.1))
            with torch.no_grad():
                for tensor, (lo, hi) in zip(stats, ranges, strict=True):
                    assert tensor is not None
                    tensor.uniform_(lo, hi)
    rng = np.random.default_rng(seed)
    calibration = rng.random((16, *shape[1:]), dtype=np.float32)
    return model.eval(), torch.from_numpy(calibration[:1].copy()), calibration


def lenet5_example(seed: int = 1) -> tuple[nn.Module, torch.Tensor, np.ndarray]:
    return _random_example(lenet5(), (1, 1, 32, 32), seed=seed)


def fang_example(seed: int = 2) -> tuple[nn.Module, torch.Tensor, np.ndarray]:
    return _random_example(fang_cnn(), (1, 1, 28, 28), seed=seed)


def alexnet_example(seed: int = 3) -> tuple[nn.Module, torch.Tensor, np.ndarray]:
    return _random_example(alexnet_bn(), (1, 3, 32, 32), seed=seed)


def vgg11_example(seed: int = 4) -> tuple[nn.Module, torch.Tensor, np.ndarray]:
    return _random_example(vgg11_bn(), (1, 3, 32, 32), seed=seed)


PAPER_MODELS = {
    "lenet5": lenet5_example,
    "fang": fang_example,
    "alexnet": alexnet_example,
    "vgg11": vgg11_example,
}
"""The four networks of the E3NE paper, name -> example function."""


def _float_accuracy(model: nn.Module) -> float:
    _, _, x_test, y_test = digits_split()
    with torch.no_grad():
        predicted = model(torch.from_numpy(x_test)).argmax(dim=1).numpy()
    return float((predicted == y_test).mean())


if __name__ == "__main__":
    import time

    started = time.perf_counter()
    trained = train_digits_lenet()
    DATA.mkdir(exist_ok=True)
    torch.save(trained.state_dict(), DIGITS_WEIGHTS)
    print(f"trained in {time.perf_counter() - started:.1f} s, test accuracy {_float_accuracy(trained):.4f}")
