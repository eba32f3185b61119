#!/usr/bin/env bash
# Make sure OUTDIR has a Pulumi CLI of a supported version and its Python plugins.
#
# Usage: tools/pulumi-cli/build.sh OUTDIR
#
# 1. A `pulumi` on PATH of a supported version (the pin below or newer, below 4), with
#    its own Python language host beside it, is linked into OUTDIR as it is.
# 2. Otherwise a supported CLI linked into OUTDIR before, or the pinned CLI built
#    there before, is kept.
# 3. Otherwise it is built with Go from the Go module proxy. The pins live in the go.mod
#    files next to this script:
#      go.mod                 github.com/pulumi/pulumi/pkg/v3 (the CLI version, also the
#                             oldest CLI supported: the one the tests run)
#      python-langhost/go.mod github.com/pulumi/pulumi/sdk/v3 (the language host)
#
# Afterwards OUTDIR holds pulumi, pulumi-language-python, pulumi-resource-pulumi-python
# and, when the CLI has one, pulumi-language-python-exec; put OUTDIR first on PATH.
# Prints exactly one line on success, saying which CLI it found or built. Uses the
# default Go module and build caches, so a rebuild on a warm machine is quick.
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
required=(pulumi-language-python pulumi-resource-pulumi-python)

# version_of BIN: what `BIN version` prints, or nothing.
version_of() {
    PULUMI_SKIP_UPDATE_CHECK=true "$1" version 2>/dev/null | head -n 1 || true
}

# supported VERSION: true when VERSION (vX.Y.Z) is the pin or newer, and still 3.x.
supported() {
    local v="${1#v}" floor="${cli_pin#v}"
    [[ "$v" =~ ^3\.[0-9]+\.[0-9]+ ]] || return 1
    [ "$(printf '%s\n%s\n' "$floor" "${BASH_REMATCH[0]}" | sort -V | head -n 1)" = "$floor" ]
}

# 1. A pulumi of a supported version on PATH, with its Python plugins? Link it into
#    OUTDIR, plugins and all, instead of building. (A pulumi in OUTDIR that is a link
#    resolves to where it came from, so running this again relinks the same one.)
why=""
if on_path=$(command -v pulumi 2>/dev/null); then
    bindir=$(dirname "$(readlink -f "$on_path")")
    found=$(version_of "$on_path")
    if [ "$bindir" = "$out" ]; then
        : # the CLI built into OUTDIR: step 3
    elif ! supported "$found"; then
        why="pulumi ${found:-of unknown version} on PATH in $bindir is not supported (${cli_pin} or newer, below v4)"
    else
        missing=()
        for f in "${required[@]}"; do [ -x "$bindir/$f" ] || missing+=("$f"); done
        if [ "${#missing[@]}" = 0 ]; then
            for f in pulumi "${companions[@]}"; do
                if [ -x "$bindir/$f" ]; then ln -sfn "$bindir/$f" "$out/$f"; else rm -f "$out/$f"; fi
            done
            rm -f "$out/.build-stamp"
            echo "pulumi $found found on PATH in $bindir (with its own Python language host), linked into $out"
            exit 0
        fi
        why="pulumi $found on PATH in $bindir has no ${missing[*]} beside it"
    fi
fi

# 2. Linked into OUTDIR before from a supported CLI that is still there (though not on
#    PATH now)? Keep it.
if [ -L "$out/pulumi" ] && [ -x "$out/pulumi" ]; then
    linked=$(version_of "$out/pulumi")
    complete=1
    for f in "${required[@]}"; do [ -x "$out/$f" ] || complete=0; done
    if [ "$complete" = 1 ] && supported "$linked"; then
        echo "pulumi $linked found in $out (linked from $(dirname "$(readlink -f "$out/pulumi")") before)"
        exit 0
    fi
fi

# 3. Already built into OUTDIR at these pins?
if [ -f "$out/.build-stamp" ] && [ "$(cat "$out/.build-stamp")" = "$stamp" ] &&
    [ "$(version_of "$out/pulumi")" = "$cli_pin" ]; then
    complete=1
    for f in "${companions[@]}"; do [ -x "$out/$f" ] || complete=0; done
    if [ "$complete" = 1 ]; then
        echo "pulumi $cli_pin found in $out (built here before)"
        exit 0
    fi
fi

# 4. Build. Keep the go command's download chatter out of the output unless
#    something fails.
if ! command -v go >/dev/null 2>&1; then
    echo "build.sh: ${why:-no pulumi on PATH}; building pulumi $cli_pin needs Go, which is not on PATH." >&2
    echo "build.sh: install the Pulumi CLI ($cli_pin or newer, below v4) or Go, then run this again." >&2
    exit 1
fi
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
echo "pulumi $cli_pin built into $out (Python language host from sdk $host_pin)${why:+; $why}"
