#!/usr/bin/env bash
# The README's two commands:
#   bash scripts/run.sh start   install what the app needs, then start it on the embedded sandbox
#   bash scripts/run.sh test    install what the tests need (Chromium, ffmpeg, Node 24, npm
#                               packages), then run every test
# Both put the project's Node 24 first on PATH: the machines ship Node 20 and Electron 45 embeds 24.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
what="${1:-}"
case "$what" in start|test) ;; *) echo "usage: bash scripts/run.sh start|test" >&2; exit 2 ;; esac

need_packages=()
if [ "$what" = test ]; then
  command -v ffmpeg >/dev/null 2>&1 || need_packages+=(ffmpeg)
  [ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ] || need_packages+=(chromium)
  # CJK and emoji glyphs, so the zh-TW window and captions render (and screenshot) as users see them.
  if command -v dpkg-query >/dev/null 2>&1; then
    for font in fonts-wqy-microhei fonts-noto-color-emoji; do
      dpkg-query -W -f='${Status}' "$font" 2>/dev/null | grep -q "ok installed" || need_packages+=("$font")
    done
  fi
fi
if [ "${#need_packages[@]}" -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing ${need_packages[*]} from Debian's packages..." >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need_packages[@]}" >/dev/null
  else
    echo "The tests need: ${need_packages[*]}. Install them (e.g. sudo apt-get install ${need_packages[*]}) and run again." >&2
    exit 1
  fi
fi

export PATH="$(bash scripts/node24.sh):$PATH"
# npm ci only when the lockfile changed since the last install (CI always starts clean).
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
exec npm "$what"
