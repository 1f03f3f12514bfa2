package pipeline

import (
	"fmt"

	"registre"
	"registre/ingest"
	"registre/normalize"
)

// Versioned is implemented by checkers that report a version (the flag
// engine does).
type Versioned interface {
	Version() string
}

// Versions names the versions of every stage a file of format f goes
// through: reader, parsers, normalizers and rules. The bulk ledger keys
// its work on it: a file is processed again only when its content or this
// string changes.
func (p *Pipeline) Versions(f registre.Format) string {
	checker := "none"
	if p.opt.Checker != nil {
		checker = "unversioned"
		if v, ok := p.opt.Checker.(Versioned); ok {
			checker = v.Version()
		}
	}
	v := fmt.Sprintf("%s | extract %s | normalize/%d | %s | schema/%s",
		ingest.ReaderVersion(f), p.extractor.Version(), normalize.Version, checker, registre.SchemaVersion)
	if p.opt.Assist != nil && p.opt.AssistVersion != "" {
		v += " | " + p.opt.AssistVersion
	}
	return v
}
