// Package extract finds processing records in a document: each layout has its
// own parser in a sub-package, and the parser whose layout the document's
// content matches best does the work.
package extract

import (
	"context"
	"fmt"
	"strings"

	"registre"
	"registre/extract/generic"
)

// Parser recognises one layout and extracts its records.
type Parser interface {
	// Name is the layout's name, recorded on every record it produces.
	Name() string
	// Detect scores in [0, 1] how sure the parser is that the document has
	// its layout. It looks at content only, never at the file name.
	Detect(doc *registre.Document) float64
	// Extract returns the document's records, verbatim, with evidence. A
	// document of the layout that describes no processing gives none.
	Extract(ctx context.Context, doc *registre.Document) ([]registre.RawRecord, error)
}

// Extractor runs the parsers over documents.
type Extractor struct {
	Parsers []Parser
	// Fallback handles documents no parser recognises (may be nil).
	Fallback Parser
}

// MinScore is the detection score a parser needs to claim a document.
const MinScore = 0.5

// New returns an extractor with every layout parser of the project.
func New() *Extractor {
	return &Extractor{Parsers: defaultParsers(), Fallback: generic.Parser{}}
}

// Extract returns the raw records of a document and the layout that produced
// them ("" when no parser claimed the document and there is no fallback).
func (e *Extractor) Extract(ctx context.Context, doc *registre.Document) ([]registre.RawRecord, string, error) {
	var best Parser
	bestScore := 0.0
	for _, p := range e.Parsers {
		if s := p.Detect(doc); s > bestScore {
			best, bestScore = p, s
		}
	}
	if bestScore < MinScore {
		best = e.Fallback
	}
	if best == nil {
		return nil, "", nil
	}
	recs, err := best.Extract(ctx, doc)
	if err != nil {
		return nil, best.Name(), fmt.Errorf("extract %s layout: %w", best.Name(), err)
	}
	kept := recs[:0]
	for _, r := range recs {
		if r.Layout == "" {
			r.Layout = best.Name()
		}
		if CountsAsRecord(r) {
			kept = append(kept, r)
		}
	}
	return kept, best.Name(), nil
}

// art30 are the elements of an Art. 30 entry besides its purpose.
var art30 = []registre.Field{
	registre.FieldLegalBasis, registre.FieldDataSubjects, registre.FieldDataCategories,
	registre.FieldRecipients, registre.FieldRecipientsInternal, registre.FieldRecipientsExternal,
	registre.FieldPersonsWithAccess, registre.FieldProcessors, registre.FieldTransfers,
	registre.FieldRetention, registre.FieldSecurity, registre.FieldJointControllers,
}

// CountsAsRecord applies the contract's definition of a record, whatever
// the layout: a processing activity described with a purpose and at least
// one other Art. 30 element. A register entry that lost its purpose but
// states two other elements is still an activity (flagged missing_purpose);
// a row or paragraph with a purpose alone is not.
func CountsAsRecord(r registre.RawRecord) bool {
	stated := func(f registre.Field) bool {
		for _, v := range r.Fields[f] {
			if strings.TrimSpace(v.Text) != "" {
				return true
			}
		}
		return false
	}
	others := 0
	for _, f := range art30 {
		if stated(f) {
			others++
		}
	}
	purpose := stated(registre.FieldPurposes) || stated(registre.FieldSubPurposes)
	return purpose && others >= 1 || others >= 2
}
