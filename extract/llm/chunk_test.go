package llm

import (
	"fmt"
	"strings"
	"testing"

	"registre"
)

func TestDocumentChunksAreCappedAndCoverTheText(t *testing.T) {
	var md strings.Builder
	md.WriteString("# Registre\n\n")
	for i := 1; i <= 30; i++ {
		fmt.Fprintf(&md, "## Fiche %d\n\nFinalité : gestion numéro %d des dossiers des assurés et de leurs ayants droit.\n\n", i, i)
		if i%10 == 0 {
			// One very long paragraph, longer than a chunk.
			md.WriteString(strings.Repeat("Les données traitées sont conservées cinq ans. ", 80) + "\n\n")
		}
	}
	md.WriteString("| Traitement | Description |\n|---|---|\n")
	for i := 0; i < 40; i++ {
		fmt.Fprintf(&md, "| Ligne %d | Finalité : suivi des prestations versées aux assurés, données d'identité. |\n", i)
	}
	doc := readText(t, "registre.md", md.String())
	for _, maxBytes := range []int{500, 2000, 8000} {
		us := units(doc)
		chunks := documentChunks(doc, us, maxBytes)
		covered := 0
		prevEnd := 0
		for i, c := range chunks {
			if c.End-c.Start > maxBytes {
				t.Errorf("max %d: chunk %d is %d bytes", maxBytes, i, c.End-c.Start)
			}
			if c.Start < prevEnd {
				t.Errorf("max %d: chunk %d overlaps the previous one", maxBytes, i)
			}
			prevEnd = c.End
			covered += c.End - c.Start
			if r := render(doc, c.Start, c.End, 2*maxBytes); len(r) > 2*maxBytes || r == "" {
				t.Errorf("max %d: chunk %d renders to %d bytes", maxBytes, i, len(r))
			}
		}
		// Every unit's text is in some chunk.
		for _, u := range us {
			in := false
			for _, c := range chunks {
				if u.start >= c.Start && u.start < c.End {
					in = true
				}
			}
			if !in {
				t.Errorf("max %d: unit %q in no chunk", maxBytes, doc.Text[u.start:min(u.end, u.start+40)])
			}
		}
		if maxBytes == 8000 && len(chunks) > (len(doc.Text)/4000)+2 {
			t.Errorf("max %d: %d chunks for %d bytes: sections are not packed", maxBytes, len(chunks), len(doc.Text))
		}
	}
}

func TestRecordChunk(t *testing.T) {
	var md strings.Builder
	for i := 1; i <= 50; i++ {
		fmt.Fprintf(&md, "## Fiche %d\n\nFinalité : gestion numéro %d.\n\nDonnées : identité.\n\n", i, i)
	}
	doc := readText(t, "r.md", md.String())
	us := units(doc)
	i := strings.Index(doc.Text, "Fiche 25")
	j := strings.Index(doc.Text, "Fiche 26")
	core := registre.Span{Start: i, End: j - 1}
	tests := []struct{ ctx, max int }{{0, 8000}, {200, 8000}, {1500, 600}, {1500, 20}}
	for _, tc := range tests {
		lo, hi := recordChunk(doc, us, core, tc.ctx, tc.max)
		if hi-lo > tc.max {
			t.Errorf("ctx %d max %d: chunk is %d bytes", tc.ctx, tc.max, hi-lo)
		}
		if tc.max > core.End-core.Start && (lo > core.Start || hi < core.End) {
			t.Errorf("ctx %d max %d: chunk [%d,%d) does not hold the record [%d,%d)", tc.ctx, tc.max, lo, hi, core.Start, core.End)
		}
		if tc.ctx == 0 && (lo != core.Start || hi != core.End) {
			// Snapped to the record's own blocks.
			t.Errorf("ctx 0: chunk %q", doc.Text[lo:hi])
		}
	}
}

func TestNeedsHelp(t *testing.T) {
	v := func(conf float64) []registre.RawValue {
		return []registre.RawValue{{Text: "x", Start: 0, End: 1, Confidence: conf}}
	}
	full := func() registre.RawRecord {
		return registre.RawRecord{Fields: map[registre.Field][]registre.RawValue{
			registre.FieldName: v(1), registre.FieldPurposes: v(1), registre.FieldDataCategories: v(0.9),
			registre.FieldRecipientsExternal: v(1), registre.FieldRetention: v(0),
		}}
	}
	tests := []struct {
		name string
		edit func(r *registre.RawRecord)
		want bool
	}{
		{"complete enough", func(r *registre.RawRecord) {}, false},
		{"no name", func(r *registre.RawRecord) { delete(r.Fields, registre.FieldName) }, true},
		{"no purpose", func(r *registre.RawRecord) { delete(r.Fields, registre.FieldPurposes) }, true},
		{"sub-purposes only (Cnam)", func(r *registre.RawRecord) {
			r.Fields[registre.FieldSubPurposes] = r.Fields[registre.FieldPurposes]
			delete(r.Fields, registre.FieldPurposes)
		}, false},
		{"low confidence value", func(r *registre.RawRecord) { r.Fields[registre.FieldRetention] = v(0.5) }, true},
		{"low confidence inherited value", func(r *registre.RawRecord) {
			r.Fields[registre.FieldController] = []registre.RawValue{{Text: "x", Confidence: 0.3, Inherited: true}}
		}, false},
		{"three core elements missing", func(r *registre.RawRecord) {
			delete(r.Fields, registre.FieldRetention)
		}, true},
	}
	for _, tc := range tests {
		r := full()
		tc.edit(&r)
		if got := needsHelp(r); got != tc.want {
			t.Errorf("%s: needsHelp = %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestParseAnswer(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		records  int
		problems int
		check    func(t *testing.T, recs []answerRecord)
	}{
		{"nulls and missing keys", `{"records":[{"name":"A","purposes":null,"retention_text":"5 ans"}]}`, 1, 0, func(t *testing.T, recs []answerRecord) {
			if recs[0]["name"][0] != "A" || recs[0]["retention_text"][0] != "5 ans" || len(recs[0]["purposes"]) != 0 {
				t.Errorf("%v", recs)
			}
		}},
		{"fenced", "```json\n{\"records\":[]}\n```", 0, 0, nil},
		{"blank items dropped", `{"records":[{"purposes":["a","  ",""]}]}`, 1, 0, func(t *testing.T, recs []answerRecord) {
			if len(recs[0]["purposes"]) != 1 {
				t.Errorf("%v", recs)
			}
		}},
		{"unknown key", `{"records":[{"nom":"A"}]}`, 0, 1, nil},
		{"wrong types", `{"records":[{"name":1,"purposes":"a"}]}`, 0, 2, nil},
		{"extra top-level key", `{"records":[],"notes":"x"}`, 0, 1, nil},
		{"no records", `{"items":[]}`, 0, 2, nil},
		{"not an object", `[1,2]`, 0, 1, nil},
		{"truncated", `{"records":[{"name":"A"`, 0, 1, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			recs, problems := parseAnswer(tc.in)
			if len(recs) != tc.records || len(problems) != tc.problems {
				t.Fatalf("records %d problems %v", len(recs), problems)
			}
			if tc.check != nil {
				tc.check(t, recs)
			}
		})
	}
}

// FuzzParseAnswer: any answer is either records or problems, never both,
// never a panic.
func FuzzParseAnswer(f *testing.F) {
	f.Add(`{"records":[{"name":"A","purposes":["b"]}]}`)
	f.Add("```json\n{\"records\":[]}\n```")
	f.Add(`{"records":[{"name":null,"x":1}]}`)
	f.Fuzz(func(t *testing.T, s string) {
		recs, problems := parseAnswer(s)
		if len(recs) > 0 && len(problems) > 0 {
			t.Fatalf("both records and problems for %q", s)
		}
		for _, r := range recs {
			for k := range r {
				found := false
				for _, ak := range answerKeys {
					found = found || ak.key == k
				}
				if !found {
					t.Fatalf("unknown key %q accepted", k)
				}
			}
		}
	})
}
