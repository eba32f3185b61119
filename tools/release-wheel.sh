#!/usr/bin/env bash
# Build the wheel of a tagged release into tests/upgrade/releases/ and list it there.
#
# Usage: tools/release-wheel.sh TAG      (for example v0.1.0; or `make release-wheel TAG=v0.1.0`)
#
# The upgrade tests install these wheels: they need no tag and no history, which a clone may
# lack. The wheel is built from the tagged tree (git archive), not from the working tree, with
# its timestamps taken from the tagged commit, so rebuilding a tag gives the same wheel.
# PYTHON (default: .venv/bin/python) runs pip.
set -euo pipefail

if [ "$#" -ne 1 ]; then
    echo "usage: $0 TAG   (for example v0.1.0)" >&2
    exit 2
fi
tag=$1
version=${tag#v}
root=$(git rev-parse --show-toplevel)
releases=$root/tests/upgrade/releases
python=${PYTHON:-$root/.venv/bin/python}

git -C "$root" rev-parse --verify --quiet "refs/tags/$tag" >/dev/null || {
    echo "release-wheel.sh: no tag $tag" >&2
    exit 1
}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/src" "$tmp/dist"
git -C "$root" archive --format=tar "$tag" | tar -x -C "$tmp/src"
SOURCE_DATE_EPOCH=$(git -C "$root" log -1 --format=%ct "$tag") \
    "$python" -m pip wheel --no-deps --quiet --disable-pip-version-check -w "$tmp/dist" "$tmp/src"

wheel=pulumi_macie_invitations-$version-py3-none-any.whl
if [ ! -f "$tmp/dist/$wheel" ]; then
    echo "release-wheel.sh: $tag built $(ls "$tmp/dist"), not $wheel:" \
        "does the tag's pyproject.toml say version $version?" >&2
    exit 1
fi
mkdir -p "$releases"
cp "$tmp/dist/$wheel" "$releases/$wheel"
touch "$releases/RELEASES"
grep -qxF "$version" "$releases/RELEASES" || echo "$version" >>"$releases/RELEASES"
echo "tests/upgrade/releases/$wheel"
