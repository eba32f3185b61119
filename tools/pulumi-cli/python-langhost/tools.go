//go:build tools

// Package tools pins the Python language host. Upstream later moved it into
// its own, untagged module, which the reachable module proxy does not serve,
// so it is built from the last sdk/v3 release that still holds it (see
// ../README.md and ../build.sh).
package tools

import (
	_ "github.com/pulumi/pulumi/sdk/v3/python/cmd/pulumi-language-python"
)
