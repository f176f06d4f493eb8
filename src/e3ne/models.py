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


def digits_lenet(linear_hidden: bool = False) -> nn.Module:
    """A LeNet-class network for scikit-learn's 8x8 digits (with biases, to exercise the bias path);
    ``linear_hidden``: no ReLU after the hidden linear layer (its codes are signed, docs/numerics.md 2.4)."""
    return nn.Sequential(
        nn.Conv2d(1, 6, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(6, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(64, 32), *([] if linear_hidden else [nn.ReLU()]),
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


def train_digits_lenet(epochs: int = 60, seed: int = 0, signed: bool = False, linear_hidden: bool = False) -> nn.Module:
    """Train :func:`digits_lenet` on the digits training split (about 10 s on 2 CPU cores);
    ``signed``: on inputs normalised to [-1, 1] (:func:`to_signed`); ``linear_hidden``: see
    :func:`digits_lenet`."""
    torch.manual_seed(seed)
    x_train, y_train, _, _ = digits_split()
    if signed:
        x_train = to_signed(x_train)
    model = digits_lenet(linear_hidden)
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


# --------------------------------------------------------------------------- model families
# Written here with the layer lists torchvision uses (torchvision is not a dependency); random
# weights, so they document what e3ne compiles (docs/models.md), not accuracy.


def _conv_bn(cin: int, cout: int, kernel: int, stride: int = 1, groups: int = 1) -> list[nn.Module]:
    """conv (no bias, padding (k-1)/2) + BatchNorm, torchvision's building block."""
    conv = nn.Conv2d(cin, cout, kernel, stride, (kernel - 1) // 2, groups=groups, bias=False)
    return [conv, nn.BatchNorm2d(cout)]


class BasicBlock(nn.Module):
    """torchvision's ResNet BasicBlock: two 3x3 conv + BN, the shortcut added before the last ReLU;
    a 1x1 conv + BN projects the shortcut where the shape changes (He et al.'s option B)."""

    def __init__(self, cin: int, cout: int, stride: int = 1) -> None:
        super().__init__()
        self.conv1, self.bn1 = _conv_bn(cin, cout, 3, stride)
        self.relu = nn.ReLU()
        self.conv2, self.bn2 = _conv_bn(cout, cout, 3)
        self.downsample = nn.Sequential(*_conv_bn(cin, cout, 1, stride)) if stride != 1 or cin != cout else None

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        identity = x if self.downsample is None else self.downsample(x)
        out = self.relu(self.bn1(self.conv1(x)))
        return self.relu(self.bn2(self.conv2(out)) + identity)


class ResNet(nn.Module):
    """A CIFAR-stem ResNet of BasicBlocks: 3x3 conv + BN + ReLU (stride 1, no max pool), the
    stages, global average pooling, one linear layer."""

    def __init__(self, widths: tuple[int, ...], blocks: tuple[int, ...], num_classes: int = 10) -> None:
        super().__init__()
        self.conv1, self.bn1 = _conv_bn(3, widths[0], 3)
        self.relu = nn.ReLU()
        layers: list[nn.Module] = []
        cin = widths[0]
        for i, (width, count) in enumerate(zip(widths, blocks, strict=True)):
            stage = [BasicBlock(cin if b == 0 else width, width, 2 if i and b == 0 else 1) for b in range(count)]
            layers.append(nn.Sequential(*stage))
            cin = width
        self.layer1, self.layer2, self.layer3, *rest = layers
        self.layer4 = rest[0] if rest else None
        self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
        self.fc = nn.Linear(cin, num_classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.layer3(self.layer2(self.layer1(self.relu(self.bn1(self.conv1(x))))))
        if self.layer4 is not None:
            x = self.layer4(x)
        return self.fc(torch.flatten(self.avgpool(x), 1))


def resnet20(num_classes: int = 10) -> nn.Module:
    """ResNet-20 for CIFAR-10 (He et al., "Deep Residual Learning for Image Recognition", CVPR 2016,
    section 4.2): 16-32-64 channels, three BasicBlocks each, 1x1 projection shortcuts (option B)."""
    return ResNet((16, 32, 64), (3, 3, 3), num_classes)


def resnet18_cifar(num_classes: int = 10) -> nn.Module:
    """ResNet-18 (He et al. 2016) in torchvision's BasicBlock layout (2-2-2-2 blocks, 64-512
    channels) with the usual CIFAR stem: a 3x3 conv of stride 1, no max pool; 32x32 input."""
    return ResNet((64, 128, 256, 512), (2, 2, 2, 2), num_classes)


class InvertedResidual(nn.Module):
    """torchvision's MobileNetV2 block: 1x1 expansion (t > 1), 3x3 depthwise, 1x1 linear projection,
    each with BN (ReLU6 after the first two); the input is added when the shape stays."""

    def __init__(self, cin: int, cout: int, stride: int, expand: int) -> None:
        super().__init__()
        hidden = cin * expand
        layers: list[nn.Module] = []
        if expand != 1:
            layers.append(nn.Sequential(*_conv_bn(cin, hidden, 1), nn.ReLU6()))
        layers += [
            nn.Sequential(*_conv_bn(hidden, hidden, 3, stride, groups=hidden), nn.ReLU6()),
            *_conv_bn(hidden, cout, 1),
        ]
        self.conv = nn.Sequential(*layers)
        self.use_res_connect = stride == 1 and cin == cout

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x + self.conv(x) if self.use_res_connect else self.conv(x)


class MobileNetV2(nn.Module):
    """MobileNetV2 (Sandler et al., "MobileNetV2: Inverted Residuals and Linear Bottlenecks", CVPR
    2018) in torchvision's layer list, for 32x32 CIFAR input: the first conv and the first 24-channel
    stage have stride 1 (torchvision: 2), so the last map is 4x4."""

    SETTINGS = (
        (1, 16, 1, 1),
        (6, 24, 2, 1),
        (6, 32, 3, 2),
        (6, 64, 4, 2),
        (6, 96, 3, 1),
        (6, 160, 3, 2),
        (6, 320, 1, 1),
    )
    """(expansion t, channels c, blocks n, stride s) of each stage; torchvision's, with (6, 24, 2, 2) -> stride 1."""

    def __init__(self, num_classes: int = 10) -> None:
        super().__init__()
        features: list[nn.Module] = [nn.Sequential(*_conv_bn(3, 32, 3, 1), nn.ReLU6())]
        cin = 32
        for t, c, n, s in self.SETTINGS:
            for i in range(n):
                features.append(InvertedResidual(cin, c, s if i == 0 else 1, t))
                cin = c
        features.append(nn.Sequential(*_conv_bn(cin, 1280, 1), nn.ReLU6()))
        self.features = nn.Sequential(*features)
        self.classifier = nn.Sequential(nn.Dropout(0.2), nn.Linear(1280, num_classes))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = nn.functional.adaptive_avg_pool2d(self.features(x), (1, 1))
        return self.classifier(torch.flatten(x, 1))


def mobilenet_v2_cifar(num_classes: int = 10) -> nn.Module:
    """MobileNetV2 for 32x32 input (see :class:`MobileNetV2`)."""
    return MobileNetV2(num_classes)


class Fire(nn.Module):
    """SqueezeNet's Fire module: a 1x1 squeeze conv, then 1x1 and 3x3 expand convs concatenated."""

    def __init__(self, cin: int, squeeze: int, expand1x1: int, expand3x3: int) -> None:
        super().__init__()
        self.squeeze, self.squeeze_activation = nn.Conv2d(cin, squeeze, 1), nn.ReLU()
        self.expand1x1, self.expand1x1_activation = nn.Conv2d(squeeze, expand1x1, 1), nn.ReLU()
        self.expand3x3, self.expand3x3_activation = nn.Conv2d(squeeze, expand3x3, 3, padding=1), nn.ReLU()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.squeeze_activation(self.squeeze(x))
        return torch.cat(
            [self.expand1x1_activation(self.expand1x1(x)), self.expand3x3_activation(self.expand3x3(x))], 1
        )


class SqueezeNet(nn.Module):
    """SqueezeNet 1.0 (Iandola et al., "SqueezeNet: AlexNet-level accuracy with 50x fewer parameters
    and <0.5MB model size", arXiv 1602.07360, 2016), torchvision's layer list. Its sizes allow a
    32x32 input: 13x13 after the 7x7 conv, 6x6, 3x3 and 1x1 after the max pools (ceil mode)."""

    def __init__(self, num_classes: int = 10) -> None:
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 96, 7, stride=2), nn.ReLU(), nn.MaxPool2d(3, 2, ceil_mode=True),
            Fire(96, 16, 64, 64), Fire(128, 16, 64, 64), Fire(128, 32, 128, 128),
            nn.MaxPool2d(3, 2, ceil_mode=True),
            Fire(256, 32, 128, 128), Fire(256, 48, 192, 192), Fire(384, 48, 192, 192), Fire(384, 64, 256, 256),
            nn.MaxPool2d(3, 2, ceil_mode=True),
            Fire(512, 64, 256, 256),
        )  # fmt: skip
        self.classifier = nn.Sequential(
            nn.Dropout(0.5), nn.Conv2d(512, num_classes, 1), nn.ReLU(), nn.AdaptiveAvgPool2d((1, 1))
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.flatten(self.classifier(self.features(x)), 1)


def squeezenet1_0(num_classes: int = 10) -> nn.Module:
    """SqueezeNet 1.0 for 32x32 input (see :class:`SqueezeNet`)."""
    return SqueezeNet(num_classes)


def alexnet(num_classes: int = 1000) -> nn.Module:
    """The original AlexNet (Krizhevsky et al., "ImageNet Classification with Deep Convolutional Neural
    Networks", NeurIPS 2012) in torchvision's single-tower layer list, its own 224x224 input:
    overlapping 3x3 max pools of stride 2, adaptive average pooling to 6x6, dropout."""
    return nn.Sequential(
        nn.Conv2d(3, 64, 11, stride=4, padding=2), nn.ReLU(), nn.MaxPool2d(3, 2),
        nn.Conv2d(64, 192, 5, padding=2), nn.ReLU(), nn.MaxPool2d(3, 2),
        nn.Conv2d(192, 384, 3, padding=1), nn.ReLU(),
        nn.Conv2d(384, 256, 3, padding=1), nn.ReLU(),
        nn.Conv2d(256, 256, 3, padding=1), nn.ReLU(), nn.MaxPool2d(3, 2),
        nn.AdaptiveAvgPool2d((6, 6)), nn.Flatten(),
        nn.Dropout(0.5), nn.Linear(256 * 6 * 6, 4096), nn.ReLU(),
        nn.Dropout(0.5), nn.Linear(4096, 4096), nn.ReLU(),
        nn.Linear(4096, num_classes),
    )  # fmt: skip


def vgg11_bn_cifar(num_classes: int = 10) -> nn.Module:
    """VGG-11 with BatchNorm (Simonyan and Zisserman, "Very Deep Convolutional Networks for Large-Scale
    Image Recognition", ICLR 2015, configuration A) in torchvision's feature list (biased convs, BN,
    ReLU, 2x2 max pools), with the usual CIFAR head for 32x32 input: the 512 features of the 1x1 map
    into one linear layer."""
    layers: list[nn.Module] = []
    cin = 3
    for v in (64, "M", 128, "M", 256, 256, "M", 512, 512, "M", 512, 512, "M"):
        if v == "M":
            layers.append(nn.MaxPool2d(2, 2))
        else:
            assert isinstance(v, int)
            layers += [nn.Conv2d(cin, v, 3, padding=1), nn.BatchNorm2d(v), nn.ReLU()]
            cin = v
    return nn.Sequential(nn.Sequential(*layers), nn.Flatten(), nn.Linear(512, num_classes))


def _seeded_example(build: Any, shape: tuple[int, ...], seed: int) -> tuple[nn.Module, torch.Tensor, np.ndarray]:
    """``_random_example`` of ``build()`` with the weights drawn after seeding too."""
    torch.manual_seed(seed)
    return _random_example(build(), shape, seed=seed)


def resnet20_example(seed: int = 5) -> tuple[nn.Module, torch.Tensor, np.ndarray]:
    return _seeded_example(resnet20, (1, 3, 32, 32), seed)


def resnet18_example(seed: int = 6) -> tuple[nn.Module, torch.Tensor, np.ndarray]:
    return _seeded_example(resnet18_cifar, (1, 3, 32, 32), seed)


def mobilenet_v2_example(seed: int = 7) -> tuple[nn.Module, torch.Tensor, np.ndarray]:
    return _seeded_example(mobilenet_v2_cifar, (1, 3, 32, 32), seed)


def squeezenet_example(seed: int = 8) -> tuple[nn.Module, torch.Tensor, np.ndarray]:
    return _seeded_example(squeezenet1_0, (1, 3, 32, 32), seed)


def alexnet_original_example(seed: int = 9) -> tuple[nn.Module, torch.Tensor, np.ndarray]:
    return _seeded_example(alexnet, (1, 3, 224, 224), seed)


def vgg11_bn_cifar_example(seed: int = 10) -> tuple[nn.Module, torch.Tensor, np.ndarray]:
    return _seeded_example(vgg11_bn_cifar, (1, 3, 32, 32), seed)


MODEL_FAMILIES = {
    "resnet20": resnet20_example,
    "resnet18": resnet18_example,
    "mobilenetv2": mobilenet_v2_example,
    "squeezenet1_0": squeezenet_example,
    "alexnet-original": alexnet_original_example,
    "vgg11-bn-cifar": vgg11_bn_cifar_example,
}
"""The model families of docs/models.md, name -> example function (random weights, seeded)."""


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
