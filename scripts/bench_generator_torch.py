#!/usr/bin/env python3
"""PyTorch twin of GeneratorBenchmark: the same COIN generator (encoder + decoder, skips 1-4, align-corners
bilinear upsampling, conditional BN, x_cf = tanh(x + g)) timed for a training step (forward, backward, Adam) and
an eval-mode forward at 256x256. Prints `RESULT torch <case> <phase> <median> <min> <max> <peak RSS MiB>` lines.
Usage: BENCH_THREADS=2 bench_generator_torch.py [repeats] [case ...]   (cases like b16x4 = base 16, batch 4)."""
import resource
import statistics
import sys
import time

import os

import torch
from torch import nn

# the thread count is the caller's choice (the shell harness runs 1 and 2), never fixed on import
torch.set_num_threads(int(os.environ.get("BENCH_THREADS", "2")))
torch.set_num_interop_threads(1)


class CondBN(nn.Module):
    def __init__(self, c, classes=2):
        super().__init__()
        self.c = c
        self.bn = nn.BatchNorm2d(c, affine=False)
        self.embed = nn.Embedding(classes, 2 * c)
        self.embed.weight.data[:, :c].normal_(1, 0.02)
        self.embed.weight.data[:, c:].zero_()

    def forward(self, x, y):
        gb = self.embed(y)
        return gb[:, :self.c, None, None] * self.bn(x) + gb[:, self.c:, None, None]


class EncBlock(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.short = nn.Sequential(nn.AvgPool2d(2), nn.Conv2d(cin, cout, 1, bias=False))
        self.res = nn.Sequential(nn.BatchNorm2d(cin), nn.ReLU(), nn.AvgPool2d(2),
                                 nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(),
                                 nn.Conv2d(cout, cout, 3, padding=1, bias=False))

    def forward(self, x):
        return self.short(x) + self.res(x)


class GenBlock(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.up = nn.UpsamplingBilinear2d(scale_factor=2)
        self.short = nn.Conv2d(cin, cout, 1, bias=False)
        self.cbn1 = CondBN(cin)
        self.conv1 = nn.Conv2d(cin, cout, 3, padding=1, bias=False)
        self.cbn2 = CondBN(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, padding=1, bias=False)

    def forward(self, x, y):
        h = torch.relu(self.cbn1(x, y))
        h = self.conv1(self.up(h))
        h = self.conv2(torch.relu(self.cbn2(h, y)))
        return self.short(self.up(x)) + h


class Generator(nn.Module):
    def __init__(self, base):
        super().__init__()
        ch = [base * m for m in (1, 2, 4, 8, 16)]
        # The reference's stem is 64 wide whatever the block widths (enc.first_block), so base 16 still has it.
        self.stem = nn.Sequential(nn.Conv2d(1, 64, 3, padding=1, bias=False), nn.ReLU(), nn.BatchNorm2d(64))
        ins = [64] + ch[:-1]
        self.enc = nn.ModuleList([EncBlock(i, o) for i, o in zip(ins, ch)])
        dec_out = ch[::-1]
        rev = ch[::-1]
        dec_in = [rev[0]] + [dec_out[i - 1] + rev[i] for i in range(1, 5)]
        self.dec = nn.ModuleList([GenBlock(i, o) for i, o in zip(dec_in, dec_out)])
        self.last = nn.Sequential(nn.BatchNorm2d(dec_out[-1]), nn.ReLU(), nn.Conv2d(dec_out[-1], 1, 3, padding=1))

    def forward(self, x, y):
        h = self.stem(x)
        feats = []
        for b in self.enc:
            h = b(h)
            feats.append(h)
        r = feats[::-1]
        h = r[0]
        for i, b in enumerate(self.dec):
            if i > 0:
                h = torch.cat([h, r[i]], 1)
            h = b(h, y)
        return torch.tanh(x + self.last(h))


def timed(fn, repeats):
    fn()
    out = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return out


def report(case, phase, s):
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"RESULT torch {case} {phase} {statistics.median(s):.4f} {min(s):.4f} {max(s):.4f} {rss:.0f}", flush=True)


def main():
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    cases = sys.argv[2:] or ["b16x4", "b16x16", "b64x4", "b64x16"]
    torch.manual_seed(777)
    for case in cases:
        base, batch = (int(v) for v in case[1:].split("x"))
        g = Generator(base)
        opt = torch.optim.Adam(g.parameters(), lr=2e-4, betas=(0.0, 0.999), eps=1e-8)
        x = torch.rand(batch, 1, 256, 256) * 1.8 - 0.9
        y = torch.zeros(batch, dtype=torch.long)

        def step():
            g.train()
            opt.zero_grad()
            loss = (g(x, y) - x).abs().mean()
            loss.backward()
            opt.step()

        def infer():
            g.eval()
            with torch.no_grad():
                g(x, y)

        report(case, "train", timed(step, repeats))
        report(case, "infer", timed(infer, repeats))


if __name__ == "__main__":
    main()
