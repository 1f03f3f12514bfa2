package extract

import (
	"fmt"
	"strings"
)

// Versioned is implemented by parsers that report a version. Bump a parser's
// version when a change alters its records; a parser without one counts as
// version 0.
type Versioned interface {
	Version() int
}

// Version names the versions of every layout parser. Any parser may claim
// any document (detection is by content), so a bump of one parser
// re-processes every file.
func (e *Extractor) Version() string {
	var parts []string
	for _, p := range e.Parsers {
		v := 0
		if vp, ok := p.(Versioned); ok {
			v = vp.Version()
		}
		parts = append(parts, fmt.Sprintf("%s/%d", p.Name(), v))
	}
	if e.Fallback != nil {
		v := 0
		if vp, ok := e.Fallback.(Versioned); ok {
			v = vp.Version()
		}
		parts = append(parts, fmt.Sprintf("fallback:%s/%d", e.Fallback.Name(), v))
	}
	return strings.Join(parts, " ")
}
