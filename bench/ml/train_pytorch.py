#!/usr/bin/env python3
"""The peer of the training benchmark: what a user would write in PyTorch instead of using the platform.

Reads the CSV that io.modelyard.ml.BenchDataExport writes (text,topic,split or f0,...,topic,split), keeps the
train rows, and trains the platform's network for the architecture with the same sizes, initialisation, loss,
optimizer (Adam, constant rate), batch size, epochs and threads. Tokenising, the vocabulary, padding and the
batches (shuffled once, on the device) are made before the timer, as in io.modelyard.ml.MinimalTrainingLoop, so
samples_per_s is the training loop alone.

The networks mirror src/main/java/io/modelyard/ml/nn: a token table initialised uniformly in +-0.05, every other
weight (linear, convolution, LSTM) from N(0, 2 / fan_in) as DJL's default initializer does, biases at zero,
LayerNorm at one and zero, learned positions from N(0, 0.02).

  python3 bench/ml/train_pytorch.py --csv data.csv --architecture bilstm --epochs 3 [--device cuda]
  python3 bench/ml/train_pytorch.py --csv data.csv --architecture mlp --check-loss-falls   (exit 1 if it does not)
"""
import argparse
import collections
import csv
import math
import random
import re
import sys
import time

import torch
import torch.nn.functional as F
from torch import nn

TOKEN = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
PAD, UNK = 0, 1
WIDEST_KERNEL = 5
KERNELS = (3, 4, WIDEST_KERNEL)
TEXT_ARCHITECTURES = ("bag_of_embeddings", "text_cnn", "bilstm", "lstm_classic", "transformer")


def he_normal(weight):
    """DJL's default weight initializer: Xavier, Gaussian, fan in, magnitude 2."""
    fan_in = weight.numel() // weight.shape[0]
    with torch.no_grad():
        weight.normal_(0.0, math.sqrt(2.0 / fan_in))


def init_like_djl(module):
    for m in module.modules():
        if isinstance(m, (nn.Linear, nn.Conv1d)):
            he_normal(m.weight)
            nn.init.zeros_(m.bias)
        elif isinstance(m, nn.LSTM):
            for name, p in m.named_parameters():
                if name.startswith("weight"):
                    he_normal(p)
                else:
                    nn.init.zeros_(p)


def masked_mean(values, mask):
    total = (values * mask.unsqueeze(2)).sum(1)
    return total / mask.sum(1, keepdim=True).clamp(min=1.0)


def reverse_rows(values, reverse):
    return values.gather(1, reverse.unsqueeze(2).expand_as(values))


class TextCnn(nn.Module):
    def __init__(self, width, filters):
        super().__init__()
        self.convolutions = nn.ModuleList(nn.Conv1d(width, filters, k) for k in KERNELS)

    def forward(self, embedded, mask):
        x = embedded.transpose(1, 2)
        lengths = mask.sum(1).unsqueeze(1)
        length = embedded.shape[1]
        pooled = []
        for k, conv in zip(KERNELS, self.convolutions):
            activations = F.relu(conv(x))
            starts = torch.arange(0, length - k + 1, device=x.device, dtype=torch.float32) + k
            valid = (starts.unsqueeze(0) <= lengths.clamp(min=float(k))).float().unsqueeze(1)
            pooled.append((activations * valid).amax(2))
        return torch.cat(pooled, 1)


class BiLstm(nn.Module):
    def __init__(self, width, hidden, layers, dropout):
        super().__init__()
        self.forward_lstms = nn.ModuleList()
        self.backward_lstms = nn.ModuleList()
        for layer in range(layers):
            size = width if layer == 0 else 2 * hidden
            self.forward_lstms.append(nn.LSTM(size, hidden, batch_first=True))
            self.backward_lstms.append(nn.LSTM(size, hidden, batch_first=True))
        self.dropout = nn.Dropout(dropout)

    def forward(self, embedded, mask, reverse):
        in_order, reversed_ = embedded, reverse_rows(embedded, reverse)
        joined = None
        for layer, (f_lstm, b_lstm) in enumerate(zip(self.forward_lstms, self.backward_lstms)):
            if layer > 0:
                in_order = self.dropout(joined)
                reversed_ = reverse_rows(in_order, reverse)
            f = f_lstm(in_order)[0]
            b = b_lstm(reversed_)[0]
            joined = torch.cat((f, reverse_rows(b, reverse)), 2)
        top = (joined + (mask.unsqueeze(2) - 1.0) * 2.0).amax(1)
        return torch.cat((top, masked_mean(joined, mask)), 1)


class ClassicLstm(nn.Module):
    def __init__(self, width, hidden):
        super().__init__()
        self.first = nn.LSTM(width, hidden, batch_first=True)
        self.second = nn.LSTM(hidden, hidden // 2, batch_first=True)

    def forward(self, embedded, mask):
        return self.second(self.first(embedded)[0])[0][:, -1, :]


class TransformerLayer(nn.Module):
    def __init__(self, width, heads, feed_forward, dropout):
        super().__init__()
        self.width, self.heads = width, heads
        self.attention_norm = nn.LayerNorm(width, eps=1e-5)
        self.qkv = nn.Linear(width, 3 * width)
        self.attention_out = nn.Linear(width, width)
        self.ff_norm = nn.LayerNorm(width, eps=1e-5)
        self.ff_expand = nn.Linear(width, feed_forward)
        self.ff_contract = nn.Linear(feed_forward, width)
        self.dropout = nn.Dropout(dropout)

    def forward(self, x, key_mask):
        batch, length, _ = x.shape
        head_width = self.width // self.heads
        qkv = self.qkv(self.attention_norm(x)).reshape(batch, length, 3, self.heads, head_width)
        qkv = qkv.permute(2, 0, 3, 1, 4)
        scores = qkv[0].matmul(qkv[1].transpose(2, 3)) / math.sqrt(head_width) + key_mask
        context = self.dropout(scores.softmax(-1)).matmul(qkv[2])
        context = context.transpose(1, 2).reshape(batch, length, self.width)
        x = x + self.dropout(self.attention_out(context))
        hidden = self.ff_contract(F.gelu(self.ff_expand(self.ff_norm(x))))
        return x + self.dropout(hidden)


class Transformer(nn.Module):
    def __init__(self, max_length, width, heads, feed_forward, layers, dropout):
        super().__init__()
        self.positions = nn.Parameter(torch.empty(max_length, width).normal_(0.0, 0.02))
        self.layers = nn.ModuleList(TransformerLayer(width, heads, feed_forward, dropout) for _ in range(layers))
        self.final_norm = nn.LayerNorm(width, eps=1e-5)

    def forward(self, embedded, mask):
        batch, length, _ = embedded.shape
        x = embedded + self.positions[:length]
        key_mask = ((mask - 1.0) * 1e9).reshape(batch, 1, 1, length)
        for layer in self.layers:
            x = layer(x, key_mask)
        return masked_mean(self.final_norm(x), mask)


class TextClassifier(nn.Module):
    """Token table, encoder, dropout, linear head: TextClassifierBlock."""

    def __init__(self, vocabulary, width, encoder, features, dropout, outputs):
        super().__init__()
        self.table = nn.Parameter(torch.empty(vocabulary, width).uniform_(-0.05, 0.05))
        self.encoder = encoder
        self.dropout = nn.Dropout(dropout)
        self.head = nn.Linear(features, outputs)

    def forward(self, ids, *rest):
        mask = (ids != PAD).float()
        features = self.encoder(F.embedding(ids, self.table), mask, *rest)
        return self.head(self.dropout(features))


def mlp(inputs, hidden, layers, dropout, outputs):
    blocks, size = [], inputs
    for _ in range(layers):
        blocks += [nn.Linear(size, hidden), nn.ReLU(), nn.Dropout(dropout)]
        size = hidden
    return nn.Sequential(*blocks, nn.Linear(size, outputs))


def network(a, input_size, outputs):
    w, h = a.width, a.width
    if a.architecture == "mlp":
        return mlp(input_size, h, a.layers, a.dropout, outputs)
    encoders = {
        "bag_of_embeddings": lambda: (None, w),
        "text_cnn": lambda: (TextCnn(w, h), h * len(KERNELS)),
        "bilstm": lambda: (BiLstm(w, h, a.layers, a.dropout), 4 * h),
        "lstm_classic": lambda: (ClassicLstm(w, h), h // 2),
        "transformer": lambda: (Transformer(a.length, w, a.heads, h, a.layers, a.dropout), w),
    }
    encoder, features = encoders[a.architecture]()
    if encoder is None:
        encoder = MeanPool()
    return TextClassifier(input_size, w, encoder, features, a.dropout, outputs)


class MeanPool(nn.Module):
    def forward(self, embedded, mask):
        return masked_mean(embedded, mask)


def read_rows(path):
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        header = next(reader)
        rows = [r for r in reader if r and r[-1] == "train"]
    return header, rows


def text_inputs(a, rows):
    """Token indexes per row (vocabulary of the most frequent words plus PAD and UNK), as the platform."""
    tokenized = [TOKEN.findall(r[0].lower()) for r in rows]
    counts = collections.Counter(t for tokens in tokenized for t in tokens)
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[: max(0, a.vocabulary - 2)]
    index = {token: i + 2 for i, (token, _) in enumerate(ranked)}
    encoded = []
    for tokens in tokenized:
        if a.architecture == "lstm_classic":
            tokens = tokens[-a.length:]
        else:
            tokens = tokens[: a.length]
        encoded.append([index.get(t, UNK) for t in tokens] or [UNK])
    return encoded, len(index) + 2


def text_batch(a, encoded):
    """One padded (batch, length) array, plus the reverse index for bilstm: TextBatches."""
    if a.architecture == "lstm_classic":
        length = a.length
    else:
        length = max(WIDEST_KERNEL if a.architecture == "text_cnn" else 1, max(len(e) for e in encoded))
    ids = torch.zeros(len(encoded), length, dtype=torch.long)
    reverse = torch.arange(length).repeat(len(encoded), 1)
    for r, e in enumerate(encoded):
        n = min(len(e), length)
        start = length - n if a.architecture == "lstm_classic" else 0
        ids[r, start:start + n] = torch.tensor(e[:n])
        reverse[r, :n] = torch.arange(n - 1, -1, -1)
    return (ids, reverse) if a.architecture == "bilstm" else (ids,)


def tabular_inputs(rows):
    values = torch.tensor([[float(v) for v in r[:-2]] for r in rows])
    mean = values.mean(0)
    std = values.std(0, unbiased=False).clamp(min=1e-12)
    return (values - mean) / std


def batches(a, header, rows, device):
    labels = sorted({r[-2] for r in rows})
    order = list(range(len(rows)))
    random.Random(a.seed).shuffle(order)
    if a.architecture == "mlp":
        features = tabular_inputs(rows)
        input_size = features.shape[1]
    else:
        encoded, input_size = text_inputs(a, rows)
    out = []
    for start in range(0, len(rows), a.batch):
        chosen = order[start:start + a.batch]
        if a.architecture == "mlp":
            inputs = (features[chosen],)
        else:
            inputs = text_batch(a, [encoded[i] for i in chosen])
        classes = torch.tensor([labels.index(rows[i][-2]) for i in chosen])
        target = classes.float().unsqueeze(1) if a.architecture == "lstm_classic" else classes
        out.append((tuple(x.to(device) for x in inputs), target.to(device)))
    outputs = 1 if a.architecture == "lstm_classic" else len(labels)
    return out, input_size, outputs


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--csv", required=True)
    p.add_argument("--architecture", default="bag_of_embeddings", choices=TEXT_ARCHITECTURES + ("mlp",))
    p.add_argument("--epochs", type=int, default=20)
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--length", type=int, default=32)
    p.add_argument("--vocabulary", type=int, default=5000)
    p.add_argument("--width", type=int, default=64)
    p.add_argument("--layers", type=int, default=1)
    p.add_argument("--heads", type=int, default=4)
    p.add_argument("--dropout", type=float, default=0.1)
    p.add_argument("--learning-rate", type=float, default=5e-3)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--warmup", type=int, default=20, help="untimed steps first")
    p.add_argument("--device", default="cpu", choices=("cpu", "cuda"))
    p.add_argument("--check-loss-falls", action="store_true",
                   help="train two steps on the first batch; exit 1 unless the loss fell")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.set_num_interop_threads(1)
    torch.manual_seed(a.seed)
    device = torch.device(a.device)

    header, rows = read_rows(a.csv)
    data, input_size, outputs = batches(a, header, rows, device)
    model = network(a, input_size, outputs)
    init_like_djl(model)
    model.to(device).train()
    loss_fn = nn.BCEWithLogitsLoss() if outputs == 1 else nn.CrossEntropyLoss()
    optimizer = torch.optim.Adam(model.parameters(), lr=a.learning_rate, betas=(0.9, 0.999), eps=1e-8)

    def step(inputs, target):
        optimizer.zero_grad(set_to_none=True)
        loss = loss_fn(model(*inputs), target)
        loss.backward()
        optimizer.step()
        return loss

    if a.check_loss_falls:
        first = step(*data[0]).item()
        second = step(*data[0]).item()
        print(f"loss_first={first:.6f} loss_second={second:.6f}")
        sys.exit(0 if second < first else 1)

    for inputs, target in data[: a.warmup]:
        step(inputs, target)
    if device.type == "cuda":
        torch.cuda.synchronize()
    started = time.perf_counter()
    for _ in range(a.epochs):
        for inputs, target in data:
            step(inputs, target)
    if device.type == "cuda":
        torch.cuda.synchronize()
    seconds = time.perf_counter() - started
    print(f"pytorch_training architecture={a.architecture} samples={len(rows)} epochs={a.epochs} batch={a.batch} "
          f"threads={a.threads} device={a.device} torch={torch.__version__}")
    print(f"samples_per_s={len(rows) * a.epochs / seconds:.1f}")
    print(f"seconds={seconds:.2f}")


if __name__ == "__main__":
    main()
