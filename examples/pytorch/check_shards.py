"""Reads every shard of a local `augmix run --layout shards` output with augmix_shards and prints, as JSON, what
it found: per sample its key, relative key, label, fields and whether every member decodes and the provenance
parses. Used by the project's tests; also a quick check of a dataset:

    python3 examples/pytorch/check_shards.py OUTPUT_FOLDER [--labels labels.csv]
"""

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from augmix_shards import iter_shard, label_of, labels_from_csv, read_manifest, shard_paths  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("output")
    parser.add_argument("--labels")
    args = parser.parse_args()
    labels = labels_from_csv(args.labels) if args.labels else None
    manifest = read_manifest(args.output)
    samples = []
    for shard in shard_paths(args.output):
        for sample in iter_shard(shard):
            document = sample.document()
            sizes = {}
            for field in sorted(sample.fields):
                if field != "json":
                    img = sample.image(field)
                    sizes[field] = [img.width, img.height]
            samples.append(
                {
                    "shard": shard.name,
                    "key": sample.key,
                    "input": sample.input,
                    "documentInput": document["input"],
                    "label": label_of(sample.input, labels),
                    "fields": sorted(sample.fields),
                    "records": len(document["variants"]),
                    "recordFields": [variant["field"] for variant in document["variants"]],
                    "sizes": sizes,
                }
            )
    print(json.dumps({"manifestSamples": manifest["samples"], "samples": samples}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
