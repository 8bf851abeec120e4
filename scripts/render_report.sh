#!/usr/bin/env bash
# Picture the bundled catalog's HTML report for the docs: docs/report.png, the first screen of
# 'orbat report --format html' rendered by headless Chromium (installed with apt-get when missing).
#
#   scripts/render_report.sh [CATALOG]      # CATALOG defaults to 'catalog'
#
# Not part of the test run (tests/test_html.py renders the page in Chromium itself).
set -euo pipefail
cd "$(dirname "$0")/.."

catalog="${1:-catalog}"
orbat=".venv/bin/orbat"
[[ -x "$orbat" ]] || orbat="orbat"
browser="$(command -v chromium || command -v chromium-browser || true)"
if [[ -z "$browser" ]]; then
    apt-get update && apt-get install -y chromium
    browser="$(command -v chromium)"
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$orbat" report "$catalog" --format html --output "$work/report.html"
"$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$work/profile" --hide-scrollbars --window-size=1280,1600 \
    --screenshot="$PWD/docs/report.png" "file://$work/report.html" 2> /dev/null
echo "wrote docs/report.png"
