#!/usr/bin/env bash
# Build the Pulumi CLI and a Python language host from the Go module proxy.
#
# Usage: tools/pulumi-cli/build.sh OUTDIR
#
# Afterwards OUTDIR holds pulumi, pulumi-language-python,
# pulumi-language-python-exec and pulumi-resource-pulumi-python; put OUTDIR
# first on PATH. The pins live in the go.mod files next to this script:
#   go.mod                 github.com/pulumi/pulumi/pkg/v3 (the CLI version)
#   python-langhost/go.mod github.com/pulumi/pulumi/sdk/v3 (the language host)
# Prints exactly one line on success. Uses the default Go module and build
# caches, so a rebuild after a pin change or on a warm machine is quick.
set -euo pipefail

if [ "$#" -ne 1 ]; then
    echo "usage: $0 OUTDIR" >&2
    exit 2
fi

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
mkdir -p "$1"
out=$(cd "$1" && pwd)

# pin_of GOMOD MODULE: the version of MODULE required by GOMOD (no network).
pin_of() {
    awk -v m="$2" '{ for (i = 1; i < NF; i++) if ($i == m) { print $(i + 1); exit } }' "$1"
}

cli_pin=$(pin_of "$here/go.mod" github.com/pulumi/pulumi/pkg/v3)
host_pin=$(pin_of "$here/python-langhost/go.mod" github.com/pulumi/pulumi/sdk/v3)
if [ -z "$cli_pin" ] || [ -z "$host_pin" ]; then
    echo "build.sh: could not read the pins from $here/go.mod and $here/python-langhost/go.mod" >&2
    exit 1
fi
stamp="cli=$cli_pin langhost=$host_pin"
companions=(pulumi-language-python pulumi-language-python-exec pulumi-resource-pulumi-python)

# version_of BIN: what `BIN version` prints, or nothing.
version_of() {
    PULUMI_SKIP_UPDATE_CHECK=true "$1" version 2>/dev/null | head -n 1 || true
}

# 1. Already built into OUTDIR at these pins?
if [ -x "$out/pulumi" ] && [ "$(version_of "$out/pulumi")" = "$cli_pin" ]; then
    complete=1
    for f in "${companions[@]}"; do [ -x "$out/$f" ] || complete=0; done
    if [ "$complete" = 1 ] && { [ ! -f "$out/.build-stamp" ] || [ "$(cat "$out/.build-stamp")" = "$stamp" ]; }; then
        echo "pulumi $cli_pin found in $out"
        exit 0
    fi
fi

# 2. A pulumi of the pinned version, with its Python plugins, already on PATH?
#    Link it into OUTDIR instead of building.
if on_path=$(command -v pulumi 2>/dev/null) && [ "$(version_of "$on_path")" = "$cli_pin" ]; then
    bindir=$(dirname "$(readlink -f "$on_path")")
    complete=1
    for f in "${companions[@]}"; do [ -x "$bindir/$f" ] || complete=0; done
    if [ "$complete" = 1 ] && [ "$bindir" != "$out" ]; then
        for f in pulumi "${companions[@]}"; do ln -sfn "$bindir/$f" "$out/$f"; done
        rm -f "$out/.build-stamp"
        echo "pulumi $cli_pin found on PATH in $bindir, linked into $out"
        exit 0
    fi
fi

# 3. Build. Keep the go command's download chatter out of the output unless
#    something fails.
log=$(mktemp)
tmp=$(mktemp -d "$out/.build.XXXXXX")
trap 'rm -rf "$tmp" "$log"' EXIT
fail() {
    cat "$log" >&2
    echo "build.sh: $1" >&2
    exit 1
}
ldflags_for() {
    echo "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$1"
}

(cd "$here" && go build -trimpath -buildvcs=false -ldflags "$(ldflags_for "$cli_pin")" \
    -o "$tmp/pulumi" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi) >"$log" 2>&1 ||
    fail "building the pulumi CLI $cli_pin failed"

(cd "$here/python-langhost" && go build -trimpath -buildvcs=false -ldflags "$(ldflags_for "$host_pin")" \
    -o "$tmp/pulumi-language-python" github.com/pulumi/pulumi/sdk/v3/python/cmd/pulumi-language-python) \
    >"$log" 2>&1 || fail "building pulumi-language-python from sdk $host_pin failed"

# The exec shim and the dynamic-provider script must match the Python SDK, so
# they come from the sdk/v3 module that the CLI was built with.
sdk_dir=$(cd "$here" && go list -m -f '{{.Dir}}' github.com/pulumi/pulumi/sdk/v3 2>"$log") ||
    fail "locating the sdk/v3 module failed"
[ -n "$sdk_dir" ] || fail "the sdk/v3 module is not in the module cache"
install -m 0755 "$sdk_dir/python/cmd/pulumi-language-python-exec" "$tmp/" ||
    fail "copying pulumi-language-python-exec failed"
install -m 0755 "$sdk_dir/python/dist/pulumi-resource-pulumi-python" "$tmp/" ||
    fail "copying pulumi-resource-pulumi-python failed"

[ "$(version_of "$tmp/pulumi")" = "$cli_pin" ] || fail "the built pulumi does not report $cli_pin"

for f in pulumi "${companions[@]}"; do mv -f "$tmp/$f" "$out/$f"; done
echo "$stamp" >"$out/.build-stamp"
echo "pulumi $cli_pin built into $out (Python language host from sdk $host_pin)"
