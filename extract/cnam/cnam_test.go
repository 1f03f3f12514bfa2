package cnam

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"sort"
	"strings"
	"sync"
	"testing"

	"registre"
	"registre/ingest/pdf"
)

var (
	cnamOnce sync.Once
	cnamDoc  *registre.Document
	cnamErr  error
)

// cnamRegister reads the real Cnam register PDF once for all tests.
func cnamRegister(t *testing.T) *registre.Document {
	t.Helper()
	cnamOnce.Do(func() {
		data, err := os.ReadFile("../../fixtures/pdf/cnam-registre.pdf")
		if err != nil {
			cnamErr = err
			return
		}
		cnamDoc, cnamErr = pdf.Read(context.Background(), "cnam-registre.pdf", data)
	})
	if cnamErr != nil {
		t.Fatal(cnamErr)
	}
	return cnamDoc
}

// goldFiches are the fiche numbers of ../shared/gold/seed-cnam.json.
var goldFiches = []int{1, 2, 3, 5, 6, 7, 9, 10, 11, 13, 14, 15, 17, 18, 19, 21, 22, 23, 25, 26, 27, 29, 30, 31, 33, 34, 35, 37, 38, 39, 41, 42, 43, 45, 46, 47, 49, 50, 51, 53, 54, 55, 57, 58, 59, 61, 62, 63, 65, 66, 67, 69, 70, 71, 73, 74, 75, 77, 78, 79, 81, 82, 83, 85, 86, 87}

func texts(vs []registre.RawValue) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = v.Text
	}
	return out
}

func TestExtractCnamRegister(t *testing.T) {
	doc := cnamRegister(t)
	if s := (Parser{}).Detect(doc); s < 0.9 {
		t.Errorf("Detect = %.2f on the Cnam register", s)
	}
	recs, err := Parser{}.Extract(t.Context(), doc)
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 66 {
		t.Fatalf("%d records, want 66 (one per fiche)", len(recs))
	}
	byKey := map[string]registre.RawRecord{}
	var numbers []int
	for _, r := range recs {
		var n int
		if _, err := fmt.Sscanf(r.Key, "fiche-%d", &n); err != nil {
			t.Errorf("key %q is not fiche-N", r.Key)
		}
		numbers = append(numbers, n)
		byKey[r.Key] = r
		if r.Organisation != "Cnam" || r.Layout != Layout || r.Locator != fmt.Sprintf("Fiche %d", n) {
			t.Errorf("%s: organisation %q layout %q locator %q", r.Key, r.Organisation, r.Layout, r.Locator)
		}
		if len(r.Pages) < 2 {
			t.Errorf("%s: pages %v, every fiche spans at least two pages", r.Key, r.Pages)
		}
		checkValues(t, doc, r)
	}
	sort.Ints(numbers)
	if fmt.Sprint(numbers) != fmt.Sprint(goldFiches) {
		t.Errorf("fiche numbers\n got %v\nwant %v", numbers, goldFiches)
	}

	f1 := byKey["fiche-1"]
	want := map[registre.Field][]string{
		registre.FieldName:      {"Gérer les immatriculations et les affiliations"},
		registre.FieldReference: {"Fiche 1"},
		registre.FieldLegalBasis: {
			"Article 6-1-c du RGPD : le traitement est nécessaire au respect d'une obligation légale notamment :",
			"L. 111-2-2 sur l'affiliation à un régime obligatoire de sécurité sociale",
		},
		registre.FieldRetention: {"3 ans après la fin de validité des droits"},
		registre.FieldObjection: {"Obligation légale"},
		registre.FieldDataSubjects: {
			"Bénéficiaires de l'Assurance Maladie (ayant-droit/ouvrant-droit)",
			"Employeurs qui fournissent les informations nécessaires aux immatriculations et affiliations",
			"Agents de l'Assurance Maladie pour traces des actions dans les outils",
		},
	}
	for f, w := range want {
		if got := texts(f1.Fields[f]); strings.Join(got, "|") != strings.Join(w, "|") {
			t.Errorf("fiche 1 %s\n got %q\nwant %q", f, got, w)
		}
	}
	if fmt.Sprint(f1.Pages) != "[3 4]" || len(f1.Fields[registre.FieldSubPurposes]) != 5 || len(f1.Fields[registre.FieldDataCategories]) != 11 {
		t.Errorf("fiche 1: pages %v, %d sub-purposes, %d data items", f1.Pages, len(f1.Fields[registre.FieldSubPurposes]), len(f1.Fields[registre.FieldDataCategories]))
	}
	if v := f1.Fields[registre.FieldRetention][0]; v.Page != 4 || v.Locator != "Fiche 1, page 4" || v.Label != "Durée de conservation" || v.Confidence != 1 {
		t.Errorf("fiche 1 retention evidence: %+v", v)
	}

	// Fiches without a title: their number comes from the banner.
	for key, first := range map[string]string{"fiche-50": "Calcul des cotisations AT/MP", "fiche-83": "Gestion et suivi des demandes d'actions sociales"} {
		r := byKey[key]
		if _, ok := r.First(registre.FieldName); ok {
			t.Errorf("%s has a name, the register prints none", key)
		}
		if v, _ := r.First(registre.FieldSubPurposes); v.Text != first {
			t.Errorf("%s first sub-purpose %q, want %q", key, v.Text, first)
		}
	}

	// "(suite)": the continued data list is one field; the repeated subjects
	// are kept once; an item cut by a page break is one value.
	f22 := byKey["fiche-22"]
	data := strings.Join(texts(f22.Fields[registre.FieldDataCategories]), "|")
	for _, s := range []string{
		"Données relatives à l'ouverture des droits dont données administratives, exonération du ticket modérateur",
		"Données d'ordre juridique dont PV d'audition et pièces complémentaires",
	} {
		if !strings.Contains(data, s) {
			t.Errorf("fiche 22 data lacks %q", s)
		}
	}
	if n := len(f22.Fields[registre.FieldDataSubjects]); n != 4 {
		t.Errorf("fiche 22 has %d data subjects, want the 4 printed (repeated on the suite page)", n)
	}
	for _, v := range f22.Fields[registre.FieldDataCategories] {
		if strings.HasSuffix(v.Text, "exonération du ticket modérateur") && (v.Page != 38 || v.Confidence != confContinued) {
			t.Errorf("item continued on page 39: page %d confidence %.1f", v.Page, v.Confidence)
		}
	}

	// Mislabelled 5th row: the security text under a second "Droits des
	// personnes concernées" header.
	f3 := byKey["fiche-3"]
	sec := f3.Fields[registre.FieldSecurity]
	if len(sec) == 0 || !strings.Contains(sec[0].Text, "PSSI-MCAS") || sec[0].Label != "Droits des personnes concernées" || sec[0].Confidence != confPosition {
		t.Errorf("fiche 3 security: %+v", sec)
	}
	for _, v := range f3.Fields[registre.FieldRights] {
		if strings.Contains(v.Text, "PSSI") {
			t.Errorf("fiche 3 rights holds the security text %q", v.Text)
		}
	}

	// Boilerplate is kept and marked shared; a fiche's own text is not.
	if v := f1.Fields[registre.FieldSecurity][0]; !v.Shared {
		t.Errorf("PSSI-MCAS paragraph not marked shared: %+v", v)
	}
	for _, v := range byKey["fiche-29"].Fields[registre.FieldSecurity] {
		if strings.Contains(v.Text, "PGSSI-S") && v.Shared {
			t.Errorf("fiche 29's own security text marked shared: %q", v.Text)
		}
	}

	// The co-controller row.
	jc := byKey["fiche-45"].Fields[registre.FieldJointControllers]
	if len(jc) != 1 || jc[0].Text != "Ministère de la Santé et des Solidarité (DNS)" || doc.Text[jc[0].Start:jc[0].End] != jc[0].Text {
		t.Errorf("fiche 45 joint controllers: %+v", jc)
	}
	// Purpose lines printed under a title.
	if got := texts(byKey["fiche-57"].Fields[registre.FieldPurposes]); len(got) != 2 || !strings.HasPrefix(got[1], "Communiquer au Fonds de Garantie") {
		t.Errorf("fiche 57 purposes: %q", got)
	}
	// Title spelling that changes between pages: the first page's.
	f41 := byKey["fiche-41"]
	if n, _ := f41.First(registre.FieldName); !strings.Contains(n.Text, "(y compris dématérialisés)") {
		t.Errorf("fiche 41 name %q", n.Text)
	}
}

// checkValues: every value carries its evidence.
func checkValues(t *testing.T, doc *registre.Document, r registre.RawRecord) {
	t.Helper()
	pages := map[int]bool{}
	for _, p := range r.Pages {
		pages[p] = true
	}
	for f, vs := range r.Fields {
		for _, v := range vs {
			if v.Start < 0 || v.End > len(doc.Text) || v.Start >= v.End {
				t.Fatalf("%s %s: span %d-%d", r.Key, f, v.Start, v.End)
			}
			src := doc.Text[v.Start:v.End]
			// A value drawn on one page is its span's text; an item cut by a
			// page break starts and ends its span.
			if src != v.Text && !(strings.HasPrefix(v.Text, firstLine(src)) && strings.HasSuffix(v.Text, lastLine(src))) {
				t.Errorf("%s %s: text %q, span holds %q", r.Key, f, v.Text, src)
			}
			if !pages[v.Page] || !strings.HasPrefix(v.Locator, r.Locator+", page ") || v.Method != registre.MethodRule || v.Confidence <= 0 || v.Confidence > 1 {
				t.Errorf("%s %s: evidence page %d locator %q method %q confidence %.2f", r.Key, f, v.Page, v.Locator, v.Method, v.Confidence)
			}
		}
	}
}

func firstLine(s string) string { return strings.SplitN(s, "\n", 2)[0] }

func lastLine(s string) string {
	i := strings.LastIndex(s, "\n")
	return s[i+1:]
}

func TestDetectOtherLayouts(t *testing.T) {
	data, err := os.ReadFile("../../fixtures/pdf/cramif-registre-print.pdf")
	if err != nil {
		t.Fatal(err)
	}
	cramif, err := pdf.Read(t.Context(), "cramif.pdf", data)
	if err != nil {
		t.Fatal(err)
	}
	if s := (Parser{}).Detect(cramif); s != 0 {
		t.Errorf("Detect = %.2f on the Cramif register", s)
	}
	// The same labels without positions (a text rendering) are not ours.
	b := registre.NewBuilder("x.txt", registre.FormatTXT, "")
	for _, s := range []string{"01 | GESTION DES DROITS – Fiche 1", "Sous-finalités", "Fondements juridiques", "Sous-finalités"} {
		b.Add(registre.Block{Kind: registre.BlockParagraph, Text: s, Bold: true})
	}
	if s := (Parser{}).Detect(b.Doc()); s != 0 {
		t.Errorf("Detect = %.2f on blocks without positions", s)
	}
	if s := (Parser{}).Detect(nil); s != 0 {
		t.Errorf("Detect(nil) = %.2f", s)
	}
}

// When ledongthuc cannot open the file, the PDF reader falls back to
// pdftotext: no styles, positions on a character grid. The fiches still come
// out, one per fiche, numbered from their banners.
func TestExtractCnamFallbackReader(t *testing.T) {
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("poppler-utils not installed")
	}
	data, err := os.ReadFile("../../fixtures/pdf/cnam-registre.pdf")
	if err != nil {
		t.Fatal(err)
	}
	// Point startxref nowhere: ledongthuc refuses the file, poppler
	// rebuilds the cross-reference table.
	i := strings.LastIndex(string(data), "startxref")
	broken := append(append([]byte(nil), data[:i]...), "startxref\n999999999\n%%EOF\n"...)
	doc, err := pdf.Read(t.Context(), "cnam-broken.pdf", broken)
	if err != nil {
		t.Fatal(err)
	}
	if len(doc.Warnings) == 0 || !strings.Contains(doc.Warnings[0], "pdftotext") {
		t.Fatalf("not read by the fallback: warnings %v", doc.Warnings)
	}
	recs := extract(t, doc)
	var numbers []int
	for _, r := range recs {
		var n int
		fmt.Sscanf(r.Key, "fiche-%d", &n)
		numbers = append(numbers, n)
	}
	sort.Ints(numbers)
	if fmt.Sprint(numbers) != fmt.Sprint(goldFiches) {
		t.Errorf("fiche numbers\n got %v\nwant %v", numbers, goldFiches)
	}
	for _, r := range recs {
		if r.Key == "fiche-1" {
			if n, _ := r.First(registre.FieldName); n.Text != "Gérer les immatriculations et les affiliations" {
				t.Errorf("fiche 1 name %q", n.Text)
			}
			if v, _ := r.First(registre.FieldRetention); v.Text != "3 ans après la fin de validité des droits" {
				t.Errorf("fiche 1 retention %q", v.Text)
			}
		}
	}
}
