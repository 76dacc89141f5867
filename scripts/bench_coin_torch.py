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
  r<base>x<batch>     COIN-Aligned thesis row 4 discriminator-only step: a train-mode generator forward (bilinear,
                      no SN, x_cf = tanh(x + g), condition 0) for the fakes (no grad); the unconditional five-block
                      D on tanh(healthy) and on the detached x_cf; relativistic loss softplus(-(D(real) - D(fake)));
                      R1 + R2 = ||grad_x D(real)||^2 + ||grad_x D(fake)||^2 by double backpropagation
                      (create_graph=True), weight gamma/2 = 25; backward, Adam(1e-4, betas (0, 0.999)).
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


class AlignedTrainer:
    """COIN-Aligned row 4's discriminator step with exact R1/R2 (the thesis's double backpropagation)."""

    GAMMA = 50.0

    def __init__(self, base, batch):
        self.g = Generator(base, upsample="bilinear", sn=False)
        self.d = Discriminator(widths=(64, 128, 256, 512, 1024), down=(2, 2, 2, 2, 2), classes=None)
        self.opt_d = torch.optim.Adam(self.d.parameters(), lr=1e-4, betas=(0.0, 0.999), eps=1e-8)
        self.x = torch.rand(batch, 1, 256, 256) * 1.8 - 0.9
        self.healthy = torch.rand(batch, 1, 256, 256) * 1.8 - 0.9
        self.c = torch.zeros(batch, dtype=torch.long)

    def d_step(self):
        self.g.train()
        with torch.no_grad():
            x_cf = self.g(self.x, self.c)
        real = torch.tanh(self.healthy).requires_grad_(True)
        fake = x_cf.requires_grad_(True)
        self.opt_d.zero_grad(set_to_none=True)
        d_real, d_fake = self.d(real), self.d(fake)
        adv = torch.nn.functional.softplus(-(d_real - d_fake)).mean()
        g_real, = torch.autograd.grad(d_real.sum(), real, create_graph=True)
        g_fake, = torch.autograd.grad(d_fake.sum(), fake, create_graph=True)
        r1 = g_real.square().sum((1, 2, 3)).mean()
        r2 = g_fake.square().sum((1, 2, 3)).mean()
        (adv + self.GAMMA / 2 * (r1 + r2)).backward()
        self.opt_d.step()


def main():
    set_threads()
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    cases = sys.argv[2:] or ["d16x4", "coin16x4"]
    for case in cases:
        m = re.fullmatch(r"(d|coin|r)(\d+)x(\d+)", case)
        if not m:
            sys.exit(f"case '{case}' is not d<base>x<batch>, coin<base>x<batch> or r<base>x<batch>, e.g. d16x4")
        torch.manual_seed(777)
        if m.group(1) == "r":
            trainer = AlignedTrainer(int(m.group(2)), int(m.group(3)))
            s = timed(trainer.d_step, repeats)
            report(case, "train", s)
            continue
        trainer = CoinTrainer(int(m.group(2)), int(m.group(3)))
        if m.group(1) == "d":
            trainer.coin_step()
            s = timed(trainer.d_step, repeats)
        else:
            s = timed(trainer.coin_step, repeats)
        report(case, "train", s)


if __name__ == "__main__":
    main()
