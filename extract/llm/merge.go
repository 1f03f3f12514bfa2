package llm

import (
	"fmt"
	"sort"
	"strings"

	"registre"
	"registre/extract/labels"
)

// coreFields are the Art. 30 elements whose absence says a rule parser
// probably missed the record's labels; minMissing of them missing make a
// rule record worth a question (a register that simply has no retention
// column is not).
var coreFields = [][]registre.Field{
	{registre.FieldPurposes, registre.FieldSubPurposes},
	{registre.FieldLegalBasis},
	{registre.FieldDataSubjects},
	{registre.FieldDataCategories},
	{registre.FieldRecipients, registre.FieldRecipientsInternal, registre.FieldRecipientsExternal, registre.FieldPersonsWithAccess},
	{registre.FieldRetention},
}

const minMissing = 3

// needsHelp says whether a rule record should be completed: it has no name
// or no purpose, a value the rules were unsure of, or most core elements
// missing.
func needsHelp(r registre.RawRecord) bool {
	// Registers that title each record by its purpose list the details as
	// sub-purposes (Cnam): those count as purposes.
	if !hasAny(r, registre.FieldName) || !hasAny(r, registre.FieldPurposes, registre.FieldSubPurposes) {
		return true
	}
	for _, vs := range r.Fields {
		for _, v := range vs {
			if !v.Inherited && v.Confidence > 0 && v.Confidence < LowConfidence {
				return true
			}
		}
	}
	missing := 0
	for _, fs := range coreFields {
		if !hasAny(r, fs...) {
			missing++
		}
	}
	return missing >= minMissing
}

func hasAny(r registre.RawRecord, fs ...registre.Field) bool {
	for _, f := range fs {
		if len(r.Fields[f]) > 0 {
			return true
		}
	}
	return false
}

// plan lists the chunks to ask about: one per rule record that needs help,
// or, when the rules found no record, the sections of the document that use
// the vocabulary of processing records. It returns how many document
// chunks were skipped.
func (a *Assistant) plan(doc *registre.Document, raws []registre.RawRecord) ([]chunk, int) {
	us := units(doc)
	var out []chunk
	if len(raws) > 0 {
		for i, r := range raws {
			if !needsHelp(r) {
				continue
			}
			core, ok := recordRegion(r)
			if !ok {
				continue // no span to ground against
			}
			lo, hi := recordChunk(doc, us, core, a.cfg.ContextBytes, a.cfg.MaxChunkBytes)
			c := chunk{Start: lo, End: hi, Core: core, Record: i}
			if v, ok := r.First(registre.FieldName); ok {
				c.Name = v.Text
			}
			c.Text = render(doc, lo, hi, 2*a.cfg.MaxChunkBytes)
			out = append(out, c)
		}
		return out, 0
	}
	skipped := 0
	for _, sp := range documentChunks(doc, us, a.cfg.MaxChunkBytes) {
		if !hasCues(doc.Text[sp.Start:sp.End]) {
			skipped++
			continue
		}
		if len(out) >= a.cfg.MaxChunksPerDocument {
			skipped++
			continue
		}
		out = append(out, chunk{
			Start: sp.Start, End: sp.End, Core: sp, Record: -1,
			Text: render(doc, sp.Start, sp.End, 2*a.cfg.MaxChunkBytes),
		})
	}
	return out, skipped
}

// merger grounds answers in the document and merges them into the records.
type merger struct {
	a   *Assistant
	doc *registre.Document
}

// grounded is one answer record after grounding: per field, the values
// found in the source.
type grounded map[registre.Field][]registre.RawValue

// ground finds every value of an answer record in the chunk's region and
// turns it into a RawValue with its span; values not found are dropped and
// counted.
func (m *merger) ground(al *Aligner, c chunk, rec answerRecord) grounded {
	g := grounded{}
	found, lost := 0, 0
	for _, k := range answerKeys {
		seen := map[[2]int]bool{}
		for _, v := range rec[k.key] {
			mt, ok := al.Find(v, c.Core.Start-c.Start, c.Core.End-c.Start)
			if !ok {
				lost++
				continue
			}
			s, e := mt.Start+c.Start, mt.End+c.Start
			if seen[[2]int{s, e}] {
				continue
			}
			seen[[2]int{s, e}] = true
			found++
			conf := ConfidenceExact
			if !mt.Exact {
				conf = ConfidenceFuzzy
			}
			loc, page := m.where(s)
			g[k.field] = append(g[k.field], registre.RawValue{
				Text: m.doc.Text[s:e], Start: s, End: e, Locator: loc, Page: page,
				Method: registre.MethodLLM, Confidence: conf,
			})
		}
	}
	m.a.count(func(st *Stats) { st.Grounded += found; st.Ungrounded += lost })
	return g
}

// identified says whether a grounded record can stand as a record: it
// needs a grounded name or a grounded purpose.
func (g grounded) identified() bool {
	return len(g[registre.FieldName]) > 0 || len(g[registre.FieldPurposes]) > 0
}

// complete fills the empty fields of a rule record from the answer record
// that is about it. Fields the rules filled are left alone, whatever their
// confidence: an LLM value never replaces a rule value.
func (m *merger) complete(r *registre.RawRecord, c chunk, answer []answerRecord) {
	al := NewAligner(m.doc.Text[c.Start:c.End])
	var best grounded
	bestScore := -1.0
	for _, rec := range answer {
		g := m.ground(al, c, rec)
		if !g.identified() {
			m.a.count(func(s *Stats) { s.RecordsDropped++ })
			continue
		}
		if s := aboutScore(*r, c, g); s > bestScore {
			best, bestScore = g, s
		}
	}
	if best == nil || bestScore <= 0 {
		return
	}
	// Copy the map: the rule parser's record must not change under it.
	fields := make(map[registre.Field][]registre.RawValue, len(r.Fields)+len(best))
	for f, vs := range r.Fields {
		fields[f] = vs
	}
	filled, kept := 0, 0
	for f, vs := range best {
		taken := hasAny(*r, f)
		switch f {
		case registre.FieldRecipients:
			taken = hasAny(*r, registre.FieldRecipients, registre.FieldRecipientsInternal, registre.FieldRecipientsExternal)
		case registre.FieldPurposes:
			taken = hasAny(*r, registre.FieldPurposes, registre.FieldSubPurposes)
		}
		if taken {
			kept += len(vs)
			continue
		}
		fields[f] = vs
		filled++
	}
	r.Fields = fields
	if r.Key == "" {
		if v, ok := r.First(registre.FieldName); ok {
			r.Key = v.Text
		}
	}
	m.a.count(func(s *Stats) { s.FieldsFilled += filled; s.KeptRule += kept })
}

// aboutScore says how surely a grounded answer record is the rule record
// the chunk was cut around: the same name, or values inside the record's
// own span. 0 means "some other record of the context".
func aboutScore(r registre.RawRecord, c chunk, g grounded) float64 {
	if v, ok := r.First(registre.FieldName); ok {
		if n, ok := g[registre.FieldName]; ok && len(n) > 0 {
			// Names are matched the way eval matches records: below 0.5
			// it is another record of the context.
			if f := tokenF1(v.Text, n[0].Text); f >= 0.5 {
				return 2 * f
			}
			return 0
		}
	}
	in, all := 0, 0
	for _, vs := range g {
		for _, v := range vs {
			all++
			if v.Start >= c.Core.Start && v.End <= c.Core.End {
				in++
			}
		}
	}
	if all == 0 {
		return 0
	}
	return float64(in) / float64(all)
}

// add appends the records found in a document chunk, skipping those
// without a grounded name or purpose and those already present (a record
// straddling two chunks).
func (m *merger) add(out []registre.RawRecord, c chunk, answer []answerRecord) []registre.RawRecord {
	al := NewAligner(m.doc.Text[c.Start:c.End])
	for _, rec := range answer {
		g := m.ground(al, c, rec)
		if !g.identified() {
			m.a.count(func(s *Stats) { s.RecordsDropped++ })
			continue
		}
		r := registre.RawRecord{Layout: "llm", Fields: map[registre.Field][]registre.RawValue(g)}
		anchor := firstValue(g)
		if n, ok := g[registre.FieldName]; ok {
			r.Key = n[0].Text
			anchor = n[0]
		}
		if dup(out, r) {
			continue
		}
		r.Locator = anchor.Locator
		if r.Locator == "" {
			r.Locator = fmt.Sprintf("caractères %d-%d", anchor.Start, anchor.End)
		}
		r.Pages = pages(g)
		out = append(out, r)
		m.a.count(func(s *Stats) { s.RecordsAdded++ })
	}
	return out
}

func firstValue(g grounded) registre.RawValue {
	var first registre.RawValue
	ok := false
	for _, vs := range g {
		for _, v := range vs {
			if !ok || v.Start < first.Start {
				first, ok = v, true
			}
		}
	}
	return first
}

func pages(g grounded) []int {
	set := map[int]bool{}
	for _, vs := range g {
		for _, v := range vs {
			if v.Page > 0 {
				set[v.Page] = true
			}
		}
	}
	var out []int
	for p := range set {
		out = append(out, p)
	}
	sort.Ints(out)
	return out
}

// dup says whether out already holds a record with the same name (folded)
// or, without names, the same first purpose span.
func dup(out []registre.RawRecord, r registre.RawRecord) bool {
	name := foldedFirst(r, registre.FieldName)
	purpose := foldedFirst(r, registre.FieldPurposes)
	for _, o := range out {
		if name != "" && foldedFirst(o, registre.FieldName) == name {
			return true
		}
		if name == "" && purpose != "" && foldedFirst(o, registre.FieldPurposes) == purpose {
			return true
		}
	}
	return false
}

func foldedFirst(r registre.RawRecord, f registre.Field) string {
	if v, ok := r.First(f); ok {
		return labels.Fold(v.Text)
	}
	return ""
}

// where returns the locator and page of the innermost block holding offset.
func (m *merger) where(off int) (string, int) {
	var find func(bs []registre.Block) (string, int, bool)
	find = func(bs []registre.Block) (string, int, bool) {
		for _, b := range bs {
			if off < b.Start || off > b.End || b.Kind == registre.BlockPageBreak {
				continue
			}
			for _, row := range b.Rows {
				for _, c := range row {
					if off >= c.Start && off <= c.End {
						if p, pg, ok := find(c.Blocks); ok {
							if pg == 0 {
								pg = b.Page
							}
							return p, pg, true
						}
					}
				}
			}
			if b.Kind != registre.BlockTable || b.Path != "" {
				return b.Path, b.Page, true
			}
		}
		return "", 0, false
	}
	p, pg, _ := find(m.doc.Blocks)
	return p, pg
}

// tokenF1 is the token F1 of two names, folded (the measure eval matches
// records with).
func tokenF1(a, b string) float64 {
	ta, tb := nameTokens(a), nameTokens(b)
	if len(ta) == 0 || len(tb) == 0 {
		return 0
	}
	count := map[string]int{}
	for _, t := range ta {
		count[t]++
	}
	common := 0
	for _, t := range tb {
		if count[t] > 0 {
			count[t]--
			common++
		}
	}
	if common == 0 {
		return 0
	}
	p, r := float64(common)/float64(len(tb)), float64(common)/float64(len(ta))
	return 2 * p * r / (p + r)
}

func nameTokens(s string) []string {
	return strings.FieldsFunc(labels.Fold(s), func(r rune) bool { return !isWord(r) })
}
