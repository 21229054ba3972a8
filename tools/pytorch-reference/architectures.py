"""Independent figures for the architecture tests, computed by real PyTorch.

Builds well-known networks with torch.nn exactly as the DSL declares them (dsl-contract, "v2: the
architecture grammar") and writes their trainable parameter counts, multiply-accumulates (convolutions
and fully connected layers: weights x output positions, as FLOP counters report MACs), output shapes and
state_dict keys to architectures.json beside this script. The tests compare the generated constants and
modules with this file.

Run with Debian's PyTorch:  apt-get install python3-torch  &&  python3 tools/pytorch-reference/architectures.py
"""
import json
import os

import torch
from torch import nn


class BasicBlock(nn.Module):
    """He et al. (2016), as res(C, stride: S) declares it; names as torchvision's BasicBlock."""

    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.downsample = None
        if stride != 1 or cin != cout:
            self.downsample = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        out = torch.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        return torch.relu(out + (x if self.downsample is None else self.downsample(x)))


def pytorch_mnist_example():
    """The network of pytorch/examples mnist/main.py."""
    return nn.Sequential(nn.Conv2d(1, 32, 3), nn.ReLU(), nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Dropout(0.25), nn.Flatten(), nn.Linear(9216, 128), nn.ReLU(), nn.Dropout(0.5), nn.Linear(128, 10))


def lenet5():
    """LeCun et al. (1998) on 28x28 digits padded to 32x32, with average pooling."""
    return nn.Sequential(nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.AvgPool2d(2), nn.Conv2d(6, 16, 5), nn.ReLU(),
                         nn.AvgPool2d(2), nn.Flatten(), nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10))


class ResNet(nn.Module):
    """CIFAR ResNet-6n+2 of He et al. (2016), section 4.2, with projection shortcuts (option B)."""

    def __init__(self, n):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 16, 3, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(16)
        blocks, cin = [], 16
        for cout, stride in ((16, 1), (32, 2), (64, 2)):
            for i in range(n):
                blocks.append(BasicBlock(cin, cout, stride if i == 0 else 1))
                cin = cout
        self.blocks = nn.Sequential(*blocks)
        self.fc = nn.Linear(64, 10)

    def forward(self, x):
        x = self.blocks(torch.relu(self.bn1(self.conv1(x))))
        return self.fc(x.mean((2, 3)))


def mobilenet_block_net():
    """A depthwise-separable student: dwconv(3, pad: 1), bn, conv(C, 1), bn, as in MobileNet."""
    return nn.Sequential(nn.Conv2d(1, 16, 3, 2, 1, bias=False), nn.BatchNorm2d(16), nn.ReLU(),
                         nn.Conv2d(16, 16, 3, 1, 1, groups=16, bias=False), nn.BatchNorm2d(16), nn.ReLU(),
                         nn.Conv2d(16, 32, 1, bias=False), nn.BatchNorm2d(32), nn.ReLU(),
                         nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(32, 10))


def layernorm_mlp():
    """784, 256, layernorm, 10: the activation follows the layer norm, as after bn."""
    return nn.Sequential(nn.Linear(784, 256), nn.LayerNorm(256), nn.ReLU(), nn.Linear(256, 10))


def layernorm_conv_net():
    """1x12x12, conv(4, 3), layernorm, maxpool(2), 10: each example normalized over its 4x10x10 values."""
    return nn.Sequential(nn.Conv2d(1, 4, 3), nn.LayerNorm([4, 10, 10]), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(100, 10))


def measure(model, shape):
    macs = []

    def count(module, _, output):
        if isinstance(module, nn.Conv2d):
            macs.append(module.weight.numel() * output.shape[2] * output.shape[3])
        elif isinstance(module, nn.Linear):
            macs.append(module.weight.numel())

    hooks = [m.register_forward_hook(count) for m in model.modules() if isinstance(m, (nn.Conv2d, nn.Linear))]
    model.eval()
    with torch.no_grad():
        output = model(torch.zeros(1, *shape))
    for hook in hooks:
        hook.remove()
    return {
        "parameters": sum(p.numel() for p in model.parameters() if p.requires_grad),
        "multiplyAdds": sum(macs),
        "outputs": output.shape[1],
    }


def main():
    torch.manual_seed(0)
    networks = {
        "PyTorchMnistExample": (pytorch_mnist_example(), (1, 28, 28)),
        "LeNet5": (lenet5(), (1, 28, 28)),
        "ResNet20": (ResNet(3), (3, 32, 32)),
        "ResNet56": (ResNet(9), (3, 32, 32)),
        "SeparableNet": (mobilenet_block_net(), (1, 28, 28)),
        "LayerNormMlp": (layernorm_mlp(), (784,)),
        "LayerNormConvNet": (layernorm_conv_net(), (1, 12, 12)),
    }
    figures = {name: measure(model, shape) for name, (model, shape) in networks.items()}
    figures["BasicBlockKeys"] = sorted(BasicBlock(16, 32, 2).state_dict().keys())
    figures["torch"] = torch.__version__
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "architectures.json")
    with open(path, "w") as f:
        json.dump(figures, f, indent=2, sort_keys=True)
        f.write("\n")
    print(json.dumps(figures, indent=2, sort_keys=True))


if __name__ == "__main__":
    main()
