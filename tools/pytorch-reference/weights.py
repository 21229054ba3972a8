"""PyTorch-trained weights for the tests of loading PyTorch files, made by real PyTorch.

Builds two networks with torch.nn under the state_dict names the generated networks use (the README's key
scheme: conv1, bn1, hidden1, output, res1.conv1, res1.downsample.0, ...), trains each for a few steps on random
data so that no tensor is at its initial value and batch norm has running statistics, and writes:

- weights/<name>.pt: torch.save(model.state_dict()), PyTorch's own (zip) format;
- weights/<name>.safetensors: the same tensors in the safetensors format (written here from its specification,
  as Debian 12 packages no safetensors module: an 8-byte little-endian header length, a JSON header of dtype,
  shape and data offsets, then the raw little-endian data);
- weights/<name>.json: a fixed input (seeded) and PyTorch's logits for it in evaluation mode, for the tests to
  compare with what the generated network computes after loading;
- weights/small-conv-teacher.onnx: the conv net exported by torch.onnx.export (input [batch, 784], dynamic
  batch), for the tests of ONNX teachers.

Run with Debian's PyTorch:  apt-get install python3-torch  &&  python3 tools/pytorch-reference/weights.py
"""
import json
import os
import struct

import torch
from torch import nn

from architectures import BasicBlock  # the residual block as res(C, stride: S) declares it

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "weights")


class SmallConvTeacher(nn.Module):
    """1x28x28, conv(16, 5), bn, maxpool(2), conv(32, 5), bn, maxpool(2), 64, 10 (ReLU)."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 16, 5, bias=False)
        self.bn1 = nn.BatchNorm2d(16)
        self.conv2 = nn.Conv2d(16, 32, 5, bias=False)
        self.bn2 = nn.BatchNorm2d(32)
        self.hidden1 = nn.Linear(512, 64)
        self.output = nn.Linear(64, 10)

    def forward(self, x):
        x = x.reshape(x.shape[0], 1, 28, 28)
        x = nn.functional.max_pool2d(torch.relu(self.bn1(self.conv1(x))), 2)
        x = nn.functional.max_pool2d(torch.relu(self.bn2(self.conv2(x))), 2)
        return self.output(torch.relu(self.hidden1(x.flatten(1))))


class TinyResNet(nn.Module):
    """3x8x8, conv(4, 3, pad: 1), bn, res(8, stride: 2), gap, 4 (ReLU)."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 4, 3, 1, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(4)
        self.res1 = BasicBlock(4, 8, 2)
        self.output = nn.Linear(8, 4)

    def forward(self, x):
        x = x.reshape(x.shape[0], 3, 8, 8)
        x = self.res1(torch.relu(self.bn1(self.conv1(x))))
        return self.output(x.mean((2, 3)))


class LayerNormConvNet(nn.Module):
    """1x12x12, conv(4, 3), layernorm, maxpool(2), 10 (ReLU): layer norm over each example's 4x10x10 values."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 4, 3)
        self.ln1 = nn.LayerNorm([4, 10, 10])
        self.output = nn.Linear(100, 10)

    def forward(self, x):
        x = x.reshape(x.shape[0], 1, 12, 12)
        x = nn.functional.max_pool2d(torch.relu(self.ln1(self.conv1(x))), 2)
        return self.output(x.flatten(1))


def train_a_little(model, inputs, classes):
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    labels = torch.randint(0, classes, (inputs.shape[0],))
    model.train()
    for _ in range(20):
        optimizer.zero_grad()
        nn.functional.cross_entropy(model(inputs), labels).backward()
        optimizer.step()
    model.eval()


def write_safetensors(path, state):
    dtypes = {torch.float32: "F32", torch.int64: "I64"}
    header, blobs, offset = {}, [], 0
    for key, tensor in state.items():
        data = tensor.detach().contiguous().numpy().tobytes()
        header[key] = {"dtype": dtypes[tensor.dtype], "shape": list(tensor.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for blob in blobs:
            f.write(blob)


def main():
    os.makedirs(HERE, exist_ok=True)
    torch.manual_seed(0)
    for name, model, features, classes in [
        ("small-conv-teacher", SmallConvTeacher(), 784, 10),
        ("tiny-resnet", TinyResNet(), 192, 4),
        ("layernorm-conv-net", LayerNormConvNet(), 144, 10),
    ]:
        train_a_little(model, torch.randn(64, features), classes)
        state = model.state_dict()
        torch.save(state, os.path.join(HERE, name + ".pt"))
        write_safetensors(os.path.join(HERE, name + ".safetensors"), state)
        probe = torch.randn(3, features)
        with torch.no_grad():
            logits = model(probe)
        with open(os.path.join(HERE, name + ".json"), "w") as f:
            json.dump({"torch": torch.__version__, "input": probe.flatten().tolist(), "logits": logits.flatten().tolist(),
                       "keys": {k: list(v.shape) for k, v in state.items()}}, f, indent=1)
        if name == "small-conv-teacher":
            torch.onnx.export(model, torch.randn(1, features), os.path.join(HERE, name + ".onnx"), input_names=["pixels"],
                              output_names=["scores"], dynamic_axes={"pixels": {0: "batch"}, "scores": {0: "batch"}}, opset_version=13)
        print(name, sum(p.numel() for p in model.parameters()), "parameters,", len(state), "tensors")


if __name__ == "__main__":
    main()
