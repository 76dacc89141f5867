"""PyTorch twins of this library's COIN networks and losses, shared by the benchmark scripts
(bench_generator_torch.py, bench_coin_torch.py). They follow the Java specs op for op (block order, widths,
pooling, bias, where spectral norm sits) so that a SameDiff/PyTorch ratio compares the same arithmetic; weights are
random and losses need not match numerically.

Sources of truth: coin-core model/UNetPerturbation.java (+ nn/internal/EncoderResBlock, GeneratorResBlock),
model/ResNetDiscriminator.java (+ nn/internal/DiscriminatorResBlock, nn/SpectralNorm), model/classifier/ResNet18.java
(+ nn/internal/BasicBlock), and coin-losses (Adversarial, ClassifierKl, Reconstruction, TotalVariation)."""
import os
import resource
import statistics
import time

import torch
import torch.nn.functional as F
from torch import nn


def set_threads():
    """The thread count is the caller's choice (the shell harness runs 1 and 2 via BENCH_THREADS)."""
    torch.set_num_threads(int(os.environ.get("BENCH_THREADS", "2")))
    torch.set_num_interop_threads(1)


def timed(fn, repeats, warmup=1):
    for _ in range(warmup):
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


# ---- spectral norm: the reference's own (one power iteration per forward, sigma a constant) -------------------

@torch.no_grad()
def _power_iterate(weight, u):
    w = weight.reshape(weight.shape[0], -1)
    v = u @ w
    v = v / (v.norm() + 1e-12)
    u1 = v @ w.t()
    u1 = u1 / (u1.norm() + 1e-12)
    u.copy_(u1)
    return (u1 @ w @ v.t()).reshape(())


class SNConv2d(nn.Conv2d):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.register_buffer("u", torch.randn(1, self.out_channels))

    def forward(self, x):
        sigma = _power_iterate(self.weight, self.u)
        return F.conv2d(x, self.weight / sigma, self.bias, self.stride, self.padding)


class SNLinear(nn.Linear):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.register_buffer("u", torch.randn(1, self.out_features))

    def forward(self, x):
        return F.linear(x, self.weight / _power_iterate(self.weight, self.u), self.bias)


def _conv1x1(cin, cout, sn):
    return (SNConv2d if sn else nn.Conv2d)(cin, cout, 1, bias=False)


def _upsample(kind):
    # the library's BILINEAR is align-corners bilinear (UpsamplingBilinear2d), NEAREST plain nearest x2
    return nn.UpsamplingBilinear2d(scale_factor=2) if kind == "bilinear" else nn.Upsample(scale_factor=2)


# ---- generator (encoder + decoder, skips 1-4, conditional BN, x_cf = tanh(x + g)) -----------------------------

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
    def __init__(self, cin, cout, sn=False):
        super().__init__()
        self.short = nn.Sequential(nn.AvgPool2d(2), _conv1x1(cin, cout, sn))
        self.res = nn.Sequential(nn.BatchNorm2d(cin), nn.ReLU(), nn.AvgPool2d(2),
                                 nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(),
                                 nn.Conv2d(cout, cout, 3, padding=1, bias=False))

    def forward(self, x):
        return self.short(x) + self.res(x)


class GenBlock(nn.Module):
    def __init__(self, cin, cout, upsample="bilinear", sn=False):
        super().__init__()
        self.up = _upsample(upsample)
        self.short = _conv1x1(cin, cout, sn)
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
    """Encoder widths base..16*base. TUH COIN: bilinear, no SN (the defaults); synthetic COIN: nearest, SN on the
    1x1 shortcut convolutions of encoder and decoder."""

    def __init__(self, base, upsample="bilinear", sn=False):
        super().__init__()
        ch = [base * m for m in (1, 2, 4, 8, 16)]
        # The reference's stem is 64 wide whatever the block widths (enc.first_block), so base 16 still has it.
        self.stem = nn.Sequential(nn.Conv2d(1, 64, 3, padding=1, bias=False), nn.ReLU(), nn.BatchNorm2d(64))
        ins = [64] + ch[:-1]
        self.enc = nn.ModuleList([EncBlock(i, o, sn) for i, o in zip(ins, ch)])
        dec_out = ch[::-1]
        rev = ch[::-1]
        dec_in = [rev[0]] + [dec_out[i - 1] + rev[i] for i in range(1, 5)]
        self.dec = nn.ModuleList([GenBlock(i, o, upsample, sn) for i, o in zip(dec_in, dec_out)])
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


# ---- discriminator (ResNetDiscriminator: SN residual blocks, ReLU, sum pool, SN head + class projection) --------

class DiscBlock(nn.Module):
    def __init__(self, cin, cout, down, first):
        super().__init__()
        self.first, self.down = first, down
        self.short = SNConv2d(cin, cout, 1) if first or cin != cout else None
        self.conv1 = SNConv2d(cin, cout, 3, padding=1)
        self.conv2 = SNConv2d(cout, cout, 3, padding=1)

    def _pool(self, t):
        return F.avg_pool2d(t, 2) if self.down > 1 else t

    def forward(self, x):
        if self.first:  # pool before the 1x1 conv, no ReLU on the image
            left, r = self.short(self._pool(x)), x
        else:           # 1x1 conv (or identity) before the pool
            left, r = self._pool(self.short(x) if self.short is not None else x), torch.relu(x)
        r = self.conv2(torch.relu(self.conv1(r)))
        return left + self._pool(r)


class Discriminator(nn.Module):
    """Default: the synthetic preset's six blocks 64..1024,1024 with downsample 2,2,2,2,2,1 and 2 classes.
    classes=None: unconditional (no projection), as COIN-Aligned's discriminator; forward then ignores y."""

    def __init__(self, widths=(64, 128, 256, 512, 1024, 1024), down=(2, 2, 2, 2, 2, 1), classes=2):
        super().__init__()
        ins = (1,) + tuple(widths[:-1])
        self.blocks = nn.ModuleList([DiscBlock(i, o, d, k == 0)
                                     for k, (i, o, d) in enumerate(zip(ins, widths, down))])
        self.head = SNLinear(widths[-1], 1)
        self.embed = nn.Embedding(classes, widths[-1]) if classes else None

    def forward(self, x, y=None):
        h = x
        for b in self.blocks:
            h = b(h)
        h = torch.relu(h).sum((2, 3))
        out = self.head(h)
        return out if self.embed is None else out + (self.embed(y) * h).sum(1, keepdim=True)


# ---- classifier (torchvision's resnet18 with a 1-channel stem and one logit) ------------------------------------

class BasicBlock(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.downsample = (nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))
                           if stride != 1 or cin != cout else None)

    def forward(self, x):
        r = self.bn2(self.conv2(torch.relu(self.bn1(self.conv1(x)))))
        return torch.relu(r + (self.downsample(x) if self.downsample is not None else x))


class ResNet18(nn.Module):
    def __init__(self, width=64):
        super().__init__()
        self.conv1 = nn.Conv2d(1, width, 7, 2, 3, bias=False)
        self.bn1 = nn.BatchNorm2d(width)
        blocks, cin = [], width
        for stage in range(4):
            cout = width << stage
            for i in range(2):
                blocks.append(BasicBlock(cin, cout, 2 if stage > 0 and i == 0 else 1))
                cin = cout
        self.blocks = nn.Sequential(*blocks)
        self.fc = nn.Linear(8 * width, 1)

    def forward(self, x):
        h = F.max_pool2d(torch.relu(self.bn1(self.conv1(x))), 3, 2, 1)
        return self.fc(self.blocks(h).mean((2, 3)))


def frozen(module):
    """Eval mode and no parameter gradients: the classifier is a constant that gradients flow through."""
    module.eval()
    module.requires_grad_(False)
    return module


# ---- losses (coin-losses; BCE written as softplus like the library) ---------------------------------------------

def bce_one(logits):
    return F.softplus(-logits).mean()


def bce_zero(logits):
    return F.softplus(logits).mean()


def kl(pred, target, eps=1e-5):
    """Bernoulli KL(target || pred) per sample, both clamped to [eps, 1 - eps], mean over the batch."""
    q, t = pred.clamp(eps, 1 - eps), target.clamp(eps, 1 - eps)
    return (t * torch.log(t / q) + (1 - t) * torch.log((1 - t) / (1 - q))).mean()


def l1(a, b):
    return (a - b).abs().mean()


def total_variation(x, x_cf):
    """Squared neighbour differences of 255 * |x - x_cf| / 2 (unit space), means per direction and sample."""
    d = (x - x_cf).abs() * 127.5
    w = (d[..., :, 1:] - d[..., :, :-1]).pow(2).mean((1, 2, 3))
    h = (d[..., 1:, :] - d[..., :-1, :]).pow(2).mean((1, 2, 3))
    return (h + w).mean()
