#!/usr/bin/env bash
# The committed bundle (static/js/editor.js) must be exactly what a fresh
# `npm ci && make assets` makes from the locked packages and assets/editor/.
set -euo pipefail
cd "$(dirname "$0")/.."
bundle=static/js/editor.js
committed=$(mktemp)
trap 'cp "$committed" "$bundle"; rm -f "$committed"' EXIT
cp "$bundle" "$committed"
npm ci --no-audit --no-fund --loglevel=error
touch node_modules/.installed
make --no-print-directory assets >/dev/null
if cmp -s "$committed" "$bundle"; then
    echo "assets: $bundle is reproduced byte for byte"
else
    echo "assets: $bundle differs from a fresh build: run make assets and commit it" >&2
    exit 1
fi
