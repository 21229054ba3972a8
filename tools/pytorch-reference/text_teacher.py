"""A text teacher exported by real PyTorch, as a Hugging Face classifier is: int64 input_ids and attention_mask in,
logits out.

The model embeds 12 token ids of a vocabulary of 40 (nn.Embedding, padding_idx=0), averages the embeddings of the
tokens the mask marks, and maps them to 3 classes. It is trained a little on the keyword task of the tests (the class
is which of the ids 1, 2, 3 a sequence holds) so that it teaches something, then exported with torch.onnx.export
(opset 14, batch dynamic) to text/text-teacher.onnx, and without dynamic axes (a batch of exactly 8) to
text/text-teacher-batch-8.onnx; text/text-teacher.json holds ids and PyTorch's logits.

Run with Debian's PyTorch:  apt-get install python3-torch  &&  python3 tools/pytorch-reference/text_teacher.py
"""
import json
import os

import torch
from torch import nn

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "text")


class MeanPooledClassifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.embeddings = nn.Embedding(40, 8, padding_idx=0)
        self.classifier = nn.Linear(8, 3)

    def forward(self, input_ids, attention_mask):
        weights = attention_mask.unsqueeze(-1).to(torch.float32)
        pooled = (self.embeddings(input_ids) * weights).sum(1) / weights.sum(1).clamp(min=1)
        return self.classifier(pooled)


def keyword_batch(generator, count):
    ids = torch.randint(4, 40, (count, 12), generator=generator)
    lengths = torch.randint(3, 13, (count,), generator=generator)
    labels = torch.randint(0, 3, (count,), generator=generator)
    for row in range(count):
        ids[row, lengths[row]:] = 0
        ids[row, torch.randint(0, int(lengths[row]), (1,), generator=generator)] = labels[row] + 1
    return ids, ids.ne(0).to(torch.int64), labels


def main():
    os.makedirs(HERE, exist_ok=True)
    torch.manual_seed(7)
    generator = torch.Generator().manual_seed(7)
    model = MeanPooledClassifier()
    optimizer = torch.optim.Adam(model.parameters(), lr=0.05)
    for _ in range(300):
        ids, mask, labels = keyword_batch(generator, 64)
        loss = nn.functional.cross_entropy(model(ids, mask), labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    model.eval()
    ids, mask, labels = keyword_batch(generator, 8)
    with torch.no_grad():
        logits = model(ids, mask)
    torch.onnx.export(model, (ids, mask), os.path.join(HERE, "text-teacher.onnx"), input_names=["input_ids", "attention_mask"],
                      output_names=["logits"], dynamic_axes={"input_ids": {0: "batch"}, "attention_mask": {0: "batch"}, "logits": {0: "batch"}},
                      opset_version=14)
    # The same model exported as many scripts do, without dynamic axes: a batch of exactly 8.
    torch.onnx.export(model, (ids, mask), os.path.join(HERE, "text-teacher-batch-8.onnx"), input_names=["input_ids", "attention_mask"],
                      output_names=["logits"], opset_version=14)
    with open(os.path.join(HERE, "text-teacher.json"), "w") as f:
        json.dump({"ids": ids.tolist(), "logits": logits.tolist(), "loss": float(loss)}, f)
        f.write("\n")


if __name__ == "__main__":
    main()
