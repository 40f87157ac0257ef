"""Reads the WebDataset shards that `augmix run --layout shards` and the backfill write, with the standard
library's tarfile and Pillow (no webdataset package needed).

A shard is a POSIX tar. Members that share a key are one sample (WebDataset's rule: the key is the member name up
to the first "." of its last path segment; the rest is the field):

    <key>.aug0.<ext> ... <key>.aug{K-1}.<ext>    plain mode: K AugMix variants
    <key>.clean.<ext>, <key>.aug{j}a.<ext>, <key>.aug{j}b.<ext>    JSD mode: the clean view and K pairs
    <key>.json                                   provenance: input key, source, every variant's record

<key> is the input's relative key with "%" and "." in its last segment written as %25 and %2E
(`train/cat/001.jpg` -> `train/cat/001%2Ejpg`); `relative_key()` undoes it. The output's manifest.json lists
the shards, so nothing has to be listed.
"""

from __future__ import annotations

import csv
import io
import json
import random
import re
import tarfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Dict, Iterator, List, Optional, Tuple

from PIL import Image

# WebDataset's split of a member name into (key, field)
_KEY_FIELD = re.compile(r"^((?:.*/|)[^./]+)\.([^/]*)$")


def relative_key(sample_key: str) -> str:
    """The input's relative key of a sample key (undoes the %25 / %2E escapes of the last segment)."""
    head, _, last = sample_key.rpartition("/")
    last = re.sub(r"%(25|2E)", lambda m: "%" if m.group(1) == "25" else ".", last)
    return f"{head}/{last}" if head else last


@dataclass
class Sample:
    """One sample of a shard: its key and every member's bytes by field name (`aug0.jpg`, `json`)."""

    key: str
    fields: Dict[str, bytes]

    @property
    def input(self) -> str:
        return relative_key(self.key)

    def document(self) -> dict:
        """The provenance document (the `json` member)."""
        return json.loads(self.fields["json"].decode("utf-8"))

    def image(self, field: str) -> Image.Image:
        """A member decoded with Pillow, as RGB."""
        with Image.open(io.BytesIO(self.fields[field])) as img:
            return img.convert("RGB")


def iter_shard(path: str | Path) -> Iterator[Sample]:
    """The samples of one shard, in order: adjacent members with the same key are grouped."""
    current: Optional[Sample] = None
    with tarfile.open(path, mode="r:") as tar:
        for member in tar:
            if not member.isfile():
                continue
            match = _KEY_FIELD.match(member.name)
            if match is None:
                raise ValueError(f"{path}: member {member.name!r} has no field (no '.' in its last segment)")
            key, field = match.group(1), match.group(2)
            data = tar.extractfile(member).read()
            if current is None or current.key != key:
                if current is not None:
                    yield current
                current = Sample(key, {})
            if field in current.fields:
                raise ValueError(f"{path}: sample {key!r} has two {field!r} members")
            current.fields[field] = data
    if current is not None:
        yield current


def read_manifest(root: str | Path) -> dict:
    """The dataset manifest (`manifest.json`) of a local output folder."""
    return json.loads((Path(root) / "manifest.json").read_text(encoding="utf-8"))


def shard_paths(root: str | Path) -> List[Path]:
    """The shard files of a local output folder, from its manifest."""
    return [Path(root) / shard["url"] for shard in read_manifest(root)["shards"]]


def labels_from_csv(path: str | Path) -> Dict[str, str]:
    """`file,label` rows (file = the relative key) as a dict."""
    with open(path, newline="", encoding="utf-8") as handle:
        return {row["file"]: row["label"] for row in csv.DictReader(handle)}


def label_of(key: str, labels: Optional[Dict[str, str]] = None) -> str:
    """A sample's label: its row in `labels` when there is one, else the first folder of its relative key
    (ImageFolder style), else the empty string."""
    if labels is not None and key in labels:
        return labels[key]
    head, sep, _ = key.partition("/")
    return head if sep else ""


def views_field(sample: Sample, name: str) -> str:
    """The field holding view `name` (`clean`, `aug0a`, ...), whatever its image extension."""
    for field in sample.fields:
        if field.rsplit(".", 1)[0] == name:
            return field
    raise KeyError(f"sample {sample.key!r} has no {name!r} view (fields: {sorted(sample.fields)})")


class AugMixShards:
    """Iterates (clean, aug1, aug2, label) over JSD-mode shards (`--jsd`): the clean view and one of the sample's
    pairs (`aug{j}a`, `aug{j}b`, j drawn per sample from `rng`, or 0), decoded with Pillow and passed through
    `transform`; the label is the class index of `label_of` among `classes`."""

    def __init__(
        self,
        shards: List[Path],
        classes: List[str],
        labels: Optional[Dict[str, str]] = None,
        transform: Callable[[Image.Image], object] = lambda img: img,
        rng: Optional[random.Random] = None,
    ):
        self.shards = shards
        self.classes = classes
        self.labels = labels
        self.transform = transform
        self.rng = rng

    def __iter__(self) -> Iterator[Tuple[object, object, object, int]]:
        for shard in self.shards:
            for sample in iter_shard(shard):
                document = sample.document()
                if document.get("clean") is None:
                    raise ValueError(f"{shard}: sample {sample.key!r} has no clean view; write the shards with --jsd")
                pairs = len(document["variants"]) // 2
                j = self.rng.randrange(pairs) if self.rng is not None else 0
                clean = sample.image(document["clean"])
                aug1 = sample.image(views_field(sample, f"aug{j}a"))
                aug2 = sample.image(views_field(sample, f"aug{j}b"))
                label = self.classes.index(label_of(document["input"], self.labels))
                yield self.transform(clean), self.transform(aug1), self.transform(aug2), label
