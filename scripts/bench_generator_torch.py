#!/usr/bin/env python3
"""PyTorch twin of GeneratorBenchmark: the same COIN generator (encoder + decoder, skips 1-4, align-corners
bilinear upsampling, conditional BN, x_cf = tanh(x + g); coin_torch.Generator) timed for a training step (forward,
backward, Adam) and an eval-mode forward at 256x256. Prints `RESULT torch <case> <phase> <median> <min> <max>
<peak RSS MiB>` lines.
Usage: BENCH_THREADS=2 bench_generator_torch.py [repeats] [case ...]   (cases like b16x4 = base 16, batch 4)."""
import sys

import torch

from coin_torch import Generator, report, set_threads, timed


def main():
    set_threads()
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
