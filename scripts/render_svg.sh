#!/usr/bin/env bash
# Draw the bundled catalog's timeline picture: docs/timeline.svg, and with --png also
# docs/timeline.png, rendered by headless Chromium (installed with apt-get when missing).
#
#   scripts/render_svg.sh [--png] [CATALOG]      # CATALOG defaults to 'catalog'
#
# Not part of the test run. The SVG needs only orbat; the PNG needs Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."

png=false
if [[ "${1:-}" == "--png" ]]; then
    png=true
    shift
fi
catalog="${1:-catalog}"
orbat=".venv/bin/orbat"
[[ -x "$orbat" ]] || orbat="orbat"

"$orbat" timeline --svg docs/timeline.svg "$catalog" > /dev/null
echo "wrote docs/timeline.svg"

if $png; then
    browser="$(command -v chromium || command -v chromium-browser || true)"
    if [[ -z "$browser" ]]; then
        apt-get update && apt-get install -y chromium
        browser="$(command -v chromium)"
    fi
    # The window is the picture's own size, so the screenshot holds all of it and nothing more.
    size="$(sed -n "s/^<svg [^>]*width='\([0-9]*\)' height='\([0-9]*\)'.*/\1,\2/p" docs/timeline.svg | head -n 1)"
    profile="$(mktemp -d)"
    trap 'rm -rf "$profile"' EXIT
    "$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --user-data-dir="$profile" --screenshot=docs/timeline.png --window-size="${size:-1400,900}" \
        "file://$PWD/docs/timeline.svg" 2> /dev/null
    echo "wrote docs/timeline.png"
fi
