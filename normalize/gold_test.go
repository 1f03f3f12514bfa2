package normalize

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// goldRecord is the part of a gold record (../shared/contract/gold-format.md)
// the normalizers are checked against. The gold files are copied under
// fixtures/normalize.
type goldRecord struct {
	Name           *string  `json:"name"`
	LegalBases     []string `json:"legal_bases"`
	LegalBasisText *string  `json:"legal_basis_text"`
	DataSubjects   []string `json:"data_subjects"`
	DataCategories []string `json:"data_categories"`
	Health         *bool    `json:"health_data"`
	NIR            *bool    `json:"nir"`
	Purposes       []string `json:"purposes"`
	TransferEU     *bool    `json:"transfer_outside_eu"`
	TransferText   *string  `json:"transfer_text"`
	RetentionText  *string  `json:"retention_text"`
	RightsContact  *string  `json:"rights_contact"`
	Date           *string  `json:"implementation_date"`
	Fiche          int      `json:"fiche"`
	N              int      `json:"n"`
}

func loadGold(t *testing.T, name string) []goldRecord {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "fixtures", "normalize", name))
	if err != nil {
		t.Fatalf("read gold %s: %v", name, err)
	}
	var g struct {
		Records []goldRecord `json:"records"`
	}
	if err := json.Unmarshal(b, &g); err != nil {
		t.Fatalf("parse gold %s: %v", name, err)
	}
	return g.Records
}

// The Cnam register states its legal bases as lines of text; the codes the
// gold gives must come out of those lines.
func TestLegalBasesAgainstCnamGold(t *testing.T) {
	recs := loadGold(t, "seed-cnam.json")
	checked, ok := 0, 0
	for _, r := range recs {
		if r.LegalBasisText == nil {
			continue
		}
		checked++
		var got []string
		for _, b := range LegalBases(strings.Split(*r.LegalBasisText, "\n")...) {
			if b.Code != CodeNational && b.Code != CodeUnknown {
				got = append(got, b.Code)
			}
		}
		sort.Strings(got)
		want := append([]string(nil), r.LegalBases...)
		sort.Strings(want)
		if strings.Join(got, ",") == strings.Join(want, ",") {
			ok++
			continue
		}
		t.Errorf("fiche %d: codes %v, gold %v\n%s", r.Fiche, got, want, *r.LegalBasisText)
	}
	t.Logf("legal bases: %d/%d Cnam fiches match the gold codes", ok, checked)
}

func triStr(b *bool) string {
	if b == nil {
		return "null"
	}
	if *b {
		return "true"
	}
	return "false"
}

// Health and NIR markers, computed from the gold's own data categories
// (and name/purposes), must agree with the DPO's annotation.
func TestSensitiveAgainstGold(t *testing.T) {
	for _, file := range []string{"seed-cramif.json", "seed-cnam.json"} {
		recs := loadGold(t, file)
		okH, okN, n := 0, 0, 0
		for _, r := range recs {
			n++
			ctx := append([]string(nil), r.Purposes...)
			if r.Name != nil {
				ctx = append(ctx, *r.Name)
			}
			h, nir := Sensitive(r.DataCategories, ctx)
			if triStr(h) == triStr(r.Health) {
				okH++
			} else {
				t.Logf("%s #%d%d health %s, gold %s: %q", file, r.N, r.Fiche, triStr(h), triStr(r.Health), r.DataCategories)
			}
			if triStr(nir) == triStr(r.NIR) {
				okN++
			} else {
				t.Logf("%s #%d%d nir %s, gold %s: %q", file, r.N, r.Fiche, triStr(nir), triStr(r.NIR), r.DataCategories)
			}
		}
		t.Logf("%s: health %d/%d, nir %d/%d", file, okH, n, okN, n)
		// The gold is hand-made; allow a few judgement calls to differ.
		if float64(okH) < 0.97*float64(n) || float64(okN) < 0.97*float64(n) {
			t.Errorf("%s: health %d/%d, nir %d/%d below the bar", file, okH, n, okN, n)
		}
	}
}

// cramifValues returns, in document order, the value of every bullet of the
// Cramif seed whose label is label.
func cramifValues(t *testing.T, label string) []string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "fixtures", "normalize", "cramif-seed-001.txt"))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, line := range strings.Split(string(b), "\n") {
		l := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(line), "•"))
		if k := strings.Index(l, ":"); k > 0 && fold(strings.TrimSpace(l[:k])) == fold(label) {
			out = append(out, clean(l[k+1:]))
		}
	}
	return out
}

// The Cramif data values are split per group and their subjects found as a
// careful DPO did in the gold.
func TestSplitDataCategoriesAgainstCramifGold(t *testing.T) {
	recs := loadGold(t, "seed-cramif.json")
	vals := cramifValues(t, "Données à caractère personnel")
	if len(vals) != len(recs) {
		t.Fatalf("%d values for %d gold records", len(vals), len(recs))
	}
	okItems, okSubj := 0, 0
	for i, r := range recs {
		items, subjects := SplitDataCategories(vals[i])
		if strings.Join(norms(items), "|") == strings.Join(norms(r.DataCategories), "|") {
			okItems++
		} else {
			t.Logf("#%d items:\n got  %q\n gold %q", r.N, items, r.DataCategories)
		}
		gs := r.DataSubjects
		if strings.Join(norms(subjects), "|") == strings.Join(norms(gs), "|") {
			okSubj++
		} else {
			t.Logf("#%d subjects: got %q gold %q", r.N, subjects, gs)
		}
	}
	t.Logf("Cramif data categories: items %d/%d, subjects %d/%d", okItems, len(recs), okSubj, len(recs))
	if okItems < len(recs)*9/10 || okSubj < len(recs)*9/10 {
		t.Errorf("items %d/%d, subjects %d/%d below the bar", okItems, len(recs), okSubj, len(recs))
	}
}

// norms compares values as the scorer does: spaces (NBSP included) collapsed.
func norms(xs []string) []string {
	out := make([]string, 0, len(xs))
	for _, x := range xs {
		out = append(out, strings.Join(strings.Fields(strings.ReplaceAll(x, "\u00a0", " ")), " "))
	}
	return out
}
