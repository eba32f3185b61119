#!/usr/bin/env bash
# Make VENV/bin/pulumi work without activating the virtualenv.
#
# Usage: tools/pulumi-cli/venv-wrapper.sh VENV
#
# Run after build.sh VENV/bin. The Python language host that build.sh builds ignores
# Pulumi.yaml's `virtualenv` option and runs programs with the first python on PATH, so
# `VENV/bin/pulumi` run without activating VENV fails with "No module named 'pulumi'".
# This moves the CLI that build.sh left in VENV/bin/pulumi to VENV/bin/pulumi-cli (a
# link, when it was one) and puts in its place a small script that runs it with VENV/bin
# first on PATH, as activating VENV would. Idempotent; prints one line when it changes
# something.
set -euo pipefail

if [ "$#" -ne 1 ]; then
    echo "usage: $0 VENV" >&2
    exit 2
fi

bin=$(cd "$1/bin" && pwd)
marker="# pulumi-macie-invitations: runs pulumi-cli with this virtualenv first on PATH"
wrapper="#!/bin/sh
$marker
# (the Python language host next to it ignores Pulumi.yaml's virtualenv option). The
# virtualenv is the folder this script is run from, or the one it lives in when that
# folder has no python (a link to it from elsewhere).
real=\$(dirname \"\$(readlink -f \"\$0\")\")
venv_bin=\$(cd \"\$(dirname \"\$0\")\" && pwd)
[ -x \"\$venv_bin/python\" ] || venv_bin=\$real
PATH=\"\$venv_bin:\$PATH\" exec \"\$real/pulumi-cli\" \"\$@\""

is_wrapper() {
    [ -f "$1" ] && head -n 2 "$1" | grep -qF "$marker"
}

if is_wrapper "$bin/pulumi" && [ ! -L "$bin/pulumi" ] && [ -x "$bin/pulumi-cli" ]; then
    # Already in place: only bring an older wrapper up to date.
    [ "$(cat "$bin/pulumi")" = "$wrapper" ] || printf '%s\n' "$wrapper" >"$bin/pulumi"
    exit 0
fi

# The CLI itself: what VENV/bin/pulumi is or links to; when that is another checkout's
# wrapper, the CLI that wrapper runs.
cli=$(readlink -f "$bin/pulumi")
if is_wrapper "$cli"; then
    cli=$(readlink -f "$(dirname "$cli")/pulumi-cli")
fi
if [ "$cli" = "$bin/pulumi" ]; then
    mv -f "$bin/pulumi" "$bin/pulumi-cli"
else
    ln -sfn "$cli" "$bin/pulumi-cli"
    rm -f "$bin/pulumi"
fi
printf '%s\n' "$wrapper" >"$bin/pulumi"
chmod 0755 "$bin/pulumi"
echo "pulumi in $bin runs with that virtualenv first on PATH (the CLI is $bin/pulumi-cli)"
