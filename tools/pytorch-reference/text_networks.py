"""Independent figures for the text-network tests, computed by real PyTorch.

Builds the test project's text networks (tests/DeclarativeDistill.Tests/Declarations/TextNetworks.cs) with torch.nn
exactly as their Layers declare them: nn.Embedding(V, D, padding_idx=0), nn.Conv1d over the steps, nn.LSTM / nn.GRU
(batch_first, bidirectional for bilstm / bigru), nn.LayerNorm(D) per step, learned positions (an nn.Embedding(L, D)'s
rows added), nn.TransformerEncoderLayer(D, H, F, dropout=0, batch_first=True) with the padding as its key mask, readouts that leave out the padding (id 0):
gap the mean over the steps holding a token, gmp their largest value, first the first step. Writes to text/ beside this
script:
  counts.json            trainable parameters, multiply-accumulates (convolutions: weights x output steps; recurrent
                         layers: gates x H x (D + H) per step and direction; fully connected: in x out), state_dict keys
  <Network>.pt           a state_dict of random weights
  <Network>.json         token ids (some rows padded with 0 at the end) and the logits PyTorch computes for them

Run with Debian's PyTorch:  apt-get install python3-torch  &&  python3 tools/pytorch-reference/text_networks.py
"""
import json
import os

import torch
from torch import nn

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "text")


class TextNet(nn.Module):
    """A network of the grammar's text items, built from a list of (kind, arguments)."""

    def __init__(self, vocabulary, length, items, classes):
        super().__init__()
        self.plan = []
        width, steps, counts = None, length, {"embed": 0, "conv": 0, "lstm": 0, "gru": 0, "ln": 0, "hidden": 0}
        self.macs = 0
        for kind, *args in items:
            if kind == "embed":
                counts["embed"] += 1
                name = f"embed{counts['embed']}"
                setattr(self, name, nn.Embedding(vocabulary, args[0], padding_idx=0))
                width = args[0]
            elif kind == "conv1d":
                channels, kernel, stride, pad = args
                counts["conv"] += 1
                name = f"conv{counts['conv']}"
                setattr(self, name, nn.Conv1d(width, channels, kernel, stride=stride, padding=pad))
                steps = (steps + 2 * pad - kernel) // stride + 1
                self.macs += channels * width * kernel * steps
                self.plan.append(("conv1d", name, kernel, stride, pad))
                width = channels
                continue
            elif kind in ("lstm", "bilstm", "gru", "bigru"):
                cell = "lstm" if kind.endswith("lstm") else "gru"
                bidirectional = kind.startswith("bi")
                counts[cell] += 1
                name = f"{cell}{counts[cell]}"
                module = (nn.LSTM if cell == "lstm" else nn.GRU)(width, args[0], batch_first=True, bidirectional=bidirectional)
                setattr(self, name, module)
                gates = 4 if cell == "lstm" else 3
                directions = 2 if bidirectional else 1
                self.macs += directions * gates * args[0] * (width + args[0]) * steps
                width = directions * args[0]
            elif kind == "positions":
                counts["pos"] = counts.get("pos", 0) + 1
                name = f"pos{counts['pos']}"
                setattr(self, name, nn.Embedding(steps, width))
            elif kind == "transformer":
                heads, feedforward = args
                counts["transformer"] = counts.get("transformer", 0) + 1
                name = f"transformer{counts['transformer']}"
                setattr(self, name, nn.TransformerEncoderLayer(width, heads, feedforward, dropout=0.0, batch_first=True))
                self.macs += 4 * steps * width * width + 2 * steps * steps * width + 2 * steps * width * feedforward
            elif kind == "layernorm":
                counts["ln"] += 1
                name = f"ln{counts['ln']}"
                setattr(self, name, nn.LayerNorm(width))
            elif kind in ("gap", "gmp", "first"):
                name = None
            elif kind == "dense":
                counts["hidden"] += 1
                name = f"hidden{counts['hidden']}"
                setattr(self, name, nn.Linear(width, args[0]))
                self.macs += width * args[0]
                width = args[0]
            self.plan.append((kind, name))
        self.output = nn.Linear(width, classes)
        self.macs += width * classes

    def normalized_after(self, step):
        index = self.plan.index(step)
        return index + 1 < len(self.plan) and self.plan[index + 1][0] == "layernorm"

    def follows_convolution(self, step):
        index = self.plan.index(step)
        return index > 0 and self.plan[index - 1][0] == "conv1d"

    def forward(self, ids):
        mask = ids.ne(0)
        x = ids
        for step in self.plan:
            kind, name = step[0], step[1]
            if kind == "embed":
                x = getattr(self, name)(x)
            elif kind == "conv1d":
                _, _, kernel, stride, pad = step
                x = getattr(self, name)(x.transpose(1, 2)).transpose(1, 2)
                if not self.normalized_after(step):
                    x = torch.relu(x)  # a layernorm directly after the convolution takes over its activation
                if stride != 1 or kernel != 2 * pad + 1:
                    mask = torch.nn.functional.max_pool1d(mask.unsqueeze(1).float(), kernel, stride, pad).squeeze(1).gt(0)
            elif kind in ("lstm", "bilstm", "gru", "bigru"):
                x = getattr(self, name)(x)[0]
            elif kind == "positions":
                x = x + getattr(self, name).weight
            elif kind == "transformer":
                x = getattr(self, name)(x, src_key_padding_mask=~mask)
            elif kind == "layernorm":
                x = getattr(self, name)(x)
                if self.follows_convolution(step):
                    x = torch.relu(x)
            elif kind == "gap":
                weights = mask.unsqueeze(-1).float()
                x = (x * weights).sum(1) / weights.sum(1).clamp_min(1)
            elif kind == "gmp":
                largest = x.masked_fill(~mask.unsqueeze(-1), float("-inf")).amax(1)
                x = largest.masked_fill(largest.isinf(), 0)
            elif kind == "first":
                x = x[:, 0]
            elif kind == "dense":
                x = torch.relu(getattr(self, name)(x))
        return self.output(x)


# As in TextNetworks.cs: tokens(40, 12) and 3 classes throughout.
NETWORKS = {
    "LstmTextTeacher": [("embed", 8), ("bilstm", 6), ("gap",)],
    "ConvTextStudent": [("embed", 8), ("conv1d", 10, 3, 1, 0), ("gmp",)],
    "GruTextStudent": [("embed", 6), ("conv1d", 6, 4, 2, 0), ("layernorm",), ("bigru", 5), ("first",), ("dense", 7)],
    "LstmTextStudent": [("embed", 6), ("lstm", 5), ("gmp",)],
    "TransformerTextStudent": [("embed", 8), ("positions",), ("transformer", 2, 16), ("gap",)],
}


def main():
    os.makedirs(HERE, exist_ok=True)
    torch.manual_seed(20261207)
    counts = {}
    for name, items in NETWORKS.items():
        model = TextNet(40, 12, items, 3).eval()
        counts[name] = {
            "parameters": sum(p.numel() for p in model.parameters()),
            "multiplyAdds": model.macs,
            "keys": sorted(model.state_dict().keys()),
        }
        ids = torch.randint(1, 40, (6, 12))
        for row, length in enumerate([12, 9, 5, 3, 12, 1]):
            ids[row, length:] = 0
        with torch.no_grad():
            logits = model(ids)
        torch.save(model.state_dict(), os.path.join(HERE, f"{name}.pt"))
        with open(os.path.join(HERE, f"{name}.json"), "w") as f:
            json.dump({"ids": ids.tolist(), "logits": logits.tolist()}, f)
            f.write("\n")
    with open(os.path.join(HERE, "counts.json"), "w") as f:
        json.dump(counts, f, indent=2, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
