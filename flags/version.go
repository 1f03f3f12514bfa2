package flags

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
)

// EngineVersion is the version of the detectors' code; each rule also has
// its own Version in the catalogue.
const EngineVersion = 1

// Version names the engine and catalogue versions (a digest of every rule id
// and version), so adding, removing or bumping a rule changes it and the
// bulk ledger re-checks the files.
func (e *Engine) Version() string {
	h := sha256.New()
	for _, r := range e.rules {
		fmt.Fprintf(h, "%s/%d\n", r.ID, r.Version)
	}
	// The provider list decides transfer flags as much as the rules do.
	for _, p := range e.providers {
		fmt.Fprintf(h, "%s|%s|%s|%t\n", p.Name, strings.Join(p.Aliases, ","), p.Country, p.EU)
	}
	return fmt.Sprintf("flags/%d:%s", EngineVersion, hex.EncodeToString(h.Sum(nil))[:12])
}
