"""Trains a tiny CNN for a few steps on AugMix shards with the Jensen-Shannon consistency loss of the AugMix
paper (Hendrycks et al., 2020: cross-entropy on the clean view plus lambda = 12 times the mean KL divergence of
the clean and two augmented views' predictions from their mixture).

Make the shards first (JSD mode, one size for every image):

    augmix run samples /tmp/augmix-shards --layout shards --jsd --variants 2 --size 32 --shard-size 4
    python3 examples/pytorch/train_jsd.py /tmp/augmix-shards --labels samples/labels.csv --steps 30
"""

import argparse
import random
import sys
from pathlib import Path

import torch
import torch.nn.functional as F
from torch import nn
from torch.utils.data import DataLoader, IterableDataset

sys.path.insert(0, str(Path(__file__).resolve().parent))
from augmix_shards import AugMixShards, iter_shard, label_of, labels_from_csv, shard_paths  # noqa: E402

JSD_LAMBDA = 12.0


def to_tensor(img):
    """A PIL RGB image as a float tensor (3, H, W) in [0, 1]."""
    data = torch.frombuffer(bytearray(img.tobytes()), dtype=torch.uint8)
    return data.view(img.height, img.width, 3).permute(2, 0, 1).float() / 255.0


class ShardDataset(IterableDataset):
    def __init__(self, shards, classes, labels, seed):
        self.shards, self.classes, self.labels, self.seed = shards, classes, labels, seed
        self.epoch = 0

    def __iter__(self):
        self.epoch += 1
        rng = random.Random(self.seed * 1000 + self.epoch)
        return iter(AugMixShards(self.shards, self.classes, self.labels, to_tensor, rng))


class TinyCnn(nn.Module):
    def __init__(self, classes: int):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(8, 16, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1),
        )
        self.head = nn.Linear(16, classes)

    def forward(self, x):
        return self.head(self.features(x).flatten(1))


def jsd_loss(logits_clean, logits_aug1, logits_aug2, labels):
    """Cross-entropy on the clean view + lambda * JS consistency over the three views. Returns (total, ce, js)."""
    ce = F.cross_entropy(logits_clean, labels)
    p_clean, p_aug1, p_aug2 = (F.softmax(logits, dim=1) for logits in (logits_clean, logits_aug1, logits_aug2))
    log_mixture = torch.clamp((p_clean + p_aug1 + p_aug2) / 3.0, 1e-7, 1.0).log()
    js = (
        F.kl_div(log_mixture, p_clean, reduction="batchmean")
        + F.kl_div(log_mixture, p_aug1, reduction="batchmean")
        + F.kl_div(log_mixture, p_aug2, reduction="batchmean")
    ) / 3.0
    return ce + JSD_LAMBDA * js, ce, js


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("shards", help="a local output folder of augmix run --layout shards --jsd")
    parser.add_argument("--labels", help="file,label CSV (else the first folder of each key)")
    parser.add_argument("--steps", type=int, default=30)
    parser.add_argument("--batch-size", type=int, default=4)
    parser.add_argument("--lr", type=float, default=0.05)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    torch.manual_seed(args.seed)
    labels = labels_from_csv(args.labels) if args.labels else None
    shards = shard_paths(args.shards)
    classes = sorted({label_of(sample.input, labels) for shard in shards for sample in iter_shard(shard)})
    print(f"torch {torch.__version__}; {len(shards)} shards; classes {classes}")
    loader = DataLoader(ShardDataset(shards, classes, labels, args.seed), batch_size=args.batch_size)
    model = TinyCnn(len(classes))
    optimizer = torch.optim.SGD(model.parameters(), lr=args.lr, momentum=0.9)

    step = 0
    while step < args.steps:
        for clean, aug1, aug2, target in loader:
            logits = model(torch.cat([clean, aug1, aug2]))
            logits_clean, logits_aug1, logits_aug2 = torch.split(logits, clean.shape[0])
            loss, ce, js = jsd_loss(logits_clean, logits_aug1, logits_aug2, target)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            step += 1
            print(f"step {step:3d}  batch {clean.shape[0]}  loss {loss.item():.4f}  ce {ce.item():.4f}  js {js.item():.3e}")
            if step >= args.steps:
                break
    return 0


if __name__ == "__main__":
    sys.exit(main())
