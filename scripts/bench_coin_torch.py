#!/usr/bin/env python3
"""PyTorch twin of CoinStepBenchmark: COIN's two-player training step with the synthetic preset's networks and
losses (coin_torch: generator with nearest upsampling and SN shortcuts, six-block SN projection discriminator,
frozen ResNet18), Adam(2e-4, betas (0, 0.999)) for G and for D, at 256x256.

Cases, built to do the same work as the library's PipelineTrainer step:
  d<base>x<batch>     discriminator-only step: p(x) (no grad), a train-mode generator forward for the fakes
                      (no grad), then D on (x, bin p(x)) and on the detached x_cf with class 0, BCE, backward, Adam.
  coin<base>x<batch>  generator step then discriminator step: x_cf = G(x); BCE(D(x_cf)); KL on the classifier's
                      p(x_cf) (weight 5); L1(x, x_cf) + L1(x, G(x_cf)) (cyclic, second full generator pass); minc
                      L1 (weight 1); total variation (0.05); backward, Adam on G; then the D step on the same x_cf.
D's parameters are frozen during the generator step (the library's G graph holds them as constants, so it computes
no weight gradients for them; the reference computes and then discards them).
Warm-up as in the Java twin: d cases run one COIN step and one D step first, coin cases one COIN step.
Prints `RESULT torch <case> train <median> <min> <max> <peak RSS MiB>`.
Usage: BENCH_THREADS=2 bench_coin_torch.py [repeats] [case ...]   (default 5 d16x4 coin16x4)."""
import re
import sys

import torch

from coin_torch import (Discriminator, Generator, ResNet18, bce_one, bce_zero, frozen, kl, l1, report,
                        set_threads, timed, total_variation)

LAMBDA_KL, LAMBDA_REC, LAMBDA_MINC, LAMBDA_TV = 5.0, 1.0, 1.0, 0.05


def adam(module):
    return torch.optim.Adam(module.parameters(), lr=2e-4, betas=(0.0, 0.999), eps=1e-8)


class CoinTrainer:
    """One COIN v1 training step split into its parts, on a fixed random batch."""

    def __init__(self, base, batch):
        self.g = Generator(base, upsample="nearest", sn=True)
        self.d = Discriminator()
        self.clf = frozen(ResNet18())
        self.opt_g, self.opt_d = adam(self.g), adam(self.d)
        self.x = torch.rand(batch, 1, 256, 256) * 1.8 - 0.9

    def targets(self):
        """COIN v1 target rule: bin b = p >= 0.5; target 1e-6 where b = 1, else p; generator/fake condition 0."""
        with torch.no_grad():
            p = torch.sigmoid(self.clf(self.x))
        b = (p >= 0.5).long().view(-1)
        t = torch.where(b.view(-1, 1) == 1, torch.full_like(p, 1e-6), p)
        return b, t, torch.zeros_like(b)

    def generator_step(self, t, c):
        self.g.train()
        self.opt_g.zero_grad(set_to_none=True)
        self.d.requires_grad_(False)
        x = self.x
        x_cf = self.g(x, c)
        adv = bce_one(self.d(x_cf, c))
        kl_term = LAMBDA_KL * kl(torch.sigmoid(self.clf(x_cf)), t)
        forward = l1(x, x_cf)
        rec = LAMBDA_REC * (forward + l1(x, self.g(x_cf, c)))
        loss = adv + kl_term + rec + LAMBDA_MINC * forward + LAMBDA_TV * total_variation(x, x_cf)
        loss.backward()
        self.opt_g.step()
        self.d.requires_grad_(True)
        return x_cf.detach()

    def fakes(self, c):
        self.g.train()  # batch-norm statistics advance, as in the reference's non-generator steps
        with torch.no_grad():
            return self.g(self.x, c)

    def discriminator_step(self, b, x_cf, c):
        self.opt_d.zero_grad(set_to_none=True)
        loss = (bce_one(self.d(self.x, b)) + bce_zero(self.d(x_cf, c))) / 2
        loss.backward()
        self.opt_d.step()

    def coin_step(self):
        b, t, c = self.targets()
        self.discriminator_step(b, self.generator_step(t, c), c)

    def d_step(self):
        b, _, c = self.targets()
        self.discriminator_step(b, self.fakes(c), c)


def main():
    set_threads()
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    cases = sys.argv[2:] or ["d16x4", "coin16x4"]
    for case in cases:
        m = re.fullmatch(r"(d|coin)(\d+)x(\d+)", case)
        if not m:
            sys.exit(f"case '{case}' is not d<base>x<batch> or coin<base>x<batch>, e.g. d16x4 or coin64x16")
        torch.manual_seed(777)
        trainer = CoinTrainer(int(m.group(2)), int(m.group(3)))
        if m.group(1) == "d":
            trainer.coin_step()
            s = timed(trainer.d_step, repeats)
        else:
            s = timed(trainer.coin_step, repeats)
        report(case, "train", s)


if __name__ == "__main__":
    main()
