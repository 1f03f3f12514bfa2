package form

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"registre"
	"registre/ingest"
	"registre/ingest/office"
)

const fixtures = "../../fixtures/docx"

// docs caches read fixtures: converting a .doc through LibreOffice takes
// seconds, and several tests read the same files.
var docs sync.Map

func readCached(name string) (*registre.Document, error) {
	if d, ok := docs.Load(name); ok {
		return d.(*registre.Document), nil
	}
	doc, err := ingest.ReadFile(context.Background(), filepath.Join(fixtures, name), ingest.Options{})
	if err == nil {
		docs.Store(name, doc)
	}
	return doc, err
}

func extractFile(t testing.TB, name string) (*registre.Document, []registre.RawRecord) {
	t.Helper()
	if strings.HasSuffix(name, ".doc") || strings.HasSuffix(name, ".odt") || strings.HasSuffix(name, ".rtf") {
		if _, err := exec.LookPath("soffice"); err != nil {
			t.Skip("LibreOffice (soffice) not installed")
		}
	}
	doc, err := readCached(name)
	if err != nil {
		t.Fatalf("read %s: %v", name, err)
	}
	recs, err := Parser{}.Extract(context.Background(), doc)
	if err != nil {
		t.Fatalf("extract %s: %v", name, err)
	}
	for _, r := range recs {
		checkEvidence(t, doc, r)
	}
	return doc, recs
}

// checkEvidence asserts what every value must carry: its verbatim text at
// its span, a locator, the printed label, the method and a confidence.
func checkEvidence(t testing.TB, doc *registre.Document, r registre.RawRecord) {
	t.Helper()
	for f, vs := range r.Fields {
		for _, v := range vs {
			if v.Start < 0 || v.End > len(doc.Text) || v.Start >= v.End || doc.Text[v.Start:v.End] != v.Text {
				t.Errorf("%s: value %q does not match its span [%d,%d)", f, v.Text, v.Start, v.End)
			}
			if v.Locator == "" || v.Label == "" || v.Method != registre.MethodRule || v.Confidence <= 0 || v.Confidence > 1 {
				t.Errorf("%s: incomplete evidence %+v", f, v)
			}
		}
	}
}

func texts(r registre.RawRecord, f registre.Field) []string {
	var out []string
	for _, v := range r.Fields[f] {
		out = append(out, v.Text)
	}
	return out
}

func TestRecordsPerFile(t *testing.T) {
	tests := []struct {
		file   string
		want   int
		layout string
	}{
		{"declaration-contact-covid.docx", 1, LayoutTable},
		{"declaration-demarche-d-evaluation-qualitative-des-offres-de-service-du.docx", 1, LayoutTable},
		{"declaration-enregistrement-et-suivi-des-situations-de-cellules.docx", 1, LayoutTable},
		{"declaration-fonctionnement-de-plateformes-telephoniques-pft-dans-le.docx", 1, LayoutTable},
		{"declaration-medialog.docx", 1, LayoutTable},
		{"declaration-mise-a-disposition-d-etats-pour-les-differents-metiers.docx", 1, LayoutTable},
		{"declaration-prise-de-rendez-vous-des-patients-du-centre-medical.docx", 1, LayoutTable},
		{"declaration-prise-de-rendez-vous-des-patients-du-centre-medical.doc", 1, LayoutTable},
		{"declaration-sntrp.docx", 1, LayoutTable},
		{"declaration-sntrp.doc", 1, LayoutTable},
		{"declaration-sntrp.odt", 1, LayoutTable},
		// The .docx printed to PDF by LibreOffice: the label column, then
		// the value column.
		{"declaration-sntrp.pdf", 1, LayoutTable},
		{"declaration-medialog.rtf", 1, LayoutTable},
		{"fiche-registre-journal-d-entreprise-10-minutes.docx", 1, LayoutParagraphs},
		{"fiche-registre-journal-d-entreprise-10-minutes.pdf", 1, LayoutParagraphs},
		{"fiche-registre-lm2a-automatisation-des-liaisons-medico-administratives.docx", 1, LayoutParagraphs},
		{"fiche-registre-mise-a-disposition-de-donnees-dans-le-cadre-d-echanges-avec.docx", 1, LayoutParagraphs},
		{"fiche-registre-paiement-des-creances-en-ligne.docx", 1, LayoutParagraphs},
		{"fiche-registre-participation-a-la-cohorte-constances-et-a-la-collecte-d.docx", 1, LayoutParagraphs},
		// The CGSS guide holds a blank declaration form: no record.
		{"cgss-rgpd-crise.docx", 0, ""},
		{"features.docx", 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			doc, recs := extractFile(t, tt.file)
			if len(recs) != tt.want {
				t.Fatalf("%d records, want %d", len(recs), tt.want)
			}
			if tt.want == 0 {
				return
			}
			if s := (Parser{}).Detect(doc); s < 0.5 {
				t.Errorf("Detect = %.2f", s)
			}
			r := recs[0]
			if r.Layout != tt.layout || r.Organisation != "Cramif" || r.Key == "" || r.Locator == "" {
				t.Errorf("layout %q org %q key %q locator %q", r.Layout, r.Organisation, r.Key, r.Locator)
			}
			// Every form prints 13 filled fields at most; the name and the
			// purpose are always there.
			for _, f := range []registre.Field{registre.FieldName, registre.FieldPurposes, registre.FieldRetention, registre.FieldSecurity} {
				if len(r.Fields[f]) == 0 {
					t.Errorf("%s missing", f)
				}
			}
			// Empty template fields stay empty.
			if len(r.Fields[registre.FieldLegalBasis]) != 0 || len(r.Fields[registre.FieldDataSubjects]) != 0 {
				t.Errorf("empty fields got values: %v %v", r.Fields[registre.FieldLegalBasis], r.Fields[registre.FieldDataSubjects])
			}
		})
	}
}

func TestFieldValues(t *testing.T) {
	tests := []struct {
		file  string
		field registre.Field
		want  []string
	}{
		{"declaration-sntrp.docx", registre.FieldName, []string{"SNTRP ( ex base SGE/TAPR)"}},
		{"declaration-sntrp.docx", registre.FieldRecipientsInternal, []string{"Service AT/MP Cramif"}},
		{"declaration-sntrp.docx", registre.FieldRecipientsExternal, []string{"DRP Cnam, URSSAF, INRS, Adjuvance partenaire BVA uniquement en septembre/octobre 2016 et pour des fichiers d'entreprises TPE-PME (réalisation d'un sondage)"}},
		{"declaration-sntrp.docx", registre.FieldRights, []string{"DTE"}},
		{"declaration-sntrp.docx", registre.FieldImplementationDate, []string{"6 décembre 1993"}},
		{"declaration-sntrp.docx", registre.FieldDataCategories, []string{"Suivant décision Cnam"}},
		{"declaration-sntrp.doc", registre.FieldRecipientsInternal, []string{"Service AT/MP Cramif"}},
		{"declaration-demarche-d-evaluation-qualitative-des-offres-de-service-du.docx", registre.FieldRecipientsInternal, []string{"/"}},
		{"declaration-mise-a-disposition-d-etats-pour-les-differents-metiers.docx", registre.FieldTransfers, nil},
		{"declaration-mise-a-disposition-d-etats-pour-les-differents-metiers.docx", registre.FieldRecipientsExternal, nil},
		{"declaration-mise-a-disposition-d-etats-pour-les-differents-metiers.docx", registre.FieldImplementationDate, []string{"2009"}},
		{"declaration-fonctionnement-de-plateformes-telephoniques-pft-dans-le.docx", registre.FieldProcessors, []string{"PROSODIE"}},
		{"fiche-registre-journal-d-entreprise-10-minutes.docx", registre.FieldProcessors, []string{"Aut O’ Mattic Ltd. Hébergement du site Web"}},
		{"fiche-registre-journal-d-entreprise-10-minutes.docx", registre.FieldRecipientsExternal, []string{"tout public intéressé en externe"}},
		{"fiche-registre-journal-d-entreprise-10-minutes.pdf", registre.FieldProcessors, []string{"Aut O’ Mattic Ltd. Hébergement du site Web"}},
		{"fiche-registre-journal-d-entreprise-10-minutes.pdf", registre.FieldTransfers, []string{"non"}},
		{"fiche-registre-mise-a-disposition-de-donnees-dans-le-cadre-d-echanges-avec.docx", registre.FieldJointControllers, nil},
		{"fiche-registre-mise-a-disposition-de-donnees-dans-le-cadre-d-echanges-avec.docx", registre.FieldRecipientsInternal, []string{"non"}},
		{"fiche-registre-mise-a-disposition-de-donnees-dans-le-cadre-d-echanges-avec.docx", registre.FieldRetention, []string{"5 jours dans l'applicatif PETRA"}},
		{"fiche-registre-participation-a-la-cohorte-constances-et-a-la-collecte-d.docx", registre.FieldJointControllers, []string{"oui : IBBL (prestataire en charge de la biobanque)"}},
		{"fiche-registre-lm2a-automatisation-des-liaisons-medico-administratives.docx", registre.FieldJointControllers, []string{"Service Médical"}},
	}
	for _, tt := range tests {
		t.Run(tt.file+"/"+string(tt.field), func(t *testing.T) {
			_, recs := extractFile(t, tt.file)
			if len(recs) != 1 {
				t.Fatalf("%d records", len(recs))
			}
			got := texts(recs[0], tt.field)
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("%s = %q, want %q", tt.field, got, tt.want)
			}
		})
	}
}

// Every rendering of one form gives the same values.
func TestRenderingsAgree(t *testing.T) {
	groups := [][]string{
		{"declaration-sntrp.docx", "declaration-sntrp.doc", "declaration-sntrp.odt", "declaration-sntrp.pdf"},
		{"declaration-medialog.docx", "declaration-medialog.rtf"},
		{"fiche-registre-journal-d-entreprise-10-minutes.docx", "fiche-registre-journal-d-entreprise-10-minutes.pdf"},
	}
	dump := func(r registre.RawRecord) string {
		var lines []string
		for f, vs := range r.Fields {
			for _, v := range vs {
				lines = append(lines, string(f)+"="+v.Text)
			}
		}
		sort.Strings(lines)
		return strings.Join(lines, "\n")
	}
	for _, g := range groups {
		_, ref := extractFile(t, g[0])
		for _, other := range g[1:] {
			_, got := extractFile(t, other)
			if len(ref) != 1 || len(got) != 1 {
				t.Fatalf("%s/%s: %d/%d records", g[0], other, len(ref), len(got))
			}
			if a, b := dump(ref[0]), dump(got[0]); a != b {
				t.Errorf("%s and %s differ:\n%s\n---\n%s", g[0], other, a, b)
			}
		}
	}
}

// Without LibreOffice a .doc is read as text by catdoc: the form's table
// comes out as "Label<TAB>value" lines, which still give the record.
func TestCatdocText(t *testing.T) {
	if _, err := exec.LookPath("catdoc"); err != nil {
		t.Skip("catdoc not installed")
	}
	data, err := os.ReadFile(filepath.Join(fixtures, "declaration-sntrp.doc"))
	if err != nil {
		t.Fatal(err)
	}
	doc, err := office.Converter{Soffice: "/nonexistent/soffice"}.Read(context.Background(), "declaration-sntrp.doc", data)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := Parser{}.Extract(context.Background(), doc)
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 1 {
		t.Fatalf("%d records", len(recs))
	}
	checkEvidence(t, doc, recs[0])
	_, ref := extractFile(t, "declaration-sntrp.docx")
	for f, vs := range ref[0].Fields {
		var a, b []string
		for _, v := range vs {
			a = append(a, v.Text)
		}
		b = texts(recs[0], f)
		if strings.Join(a, "|") != strings.Join(b, "|") {
			t.Errorf("%s: catdoc %q, docx %q", f, b, a)
		}
	}
	if len(recs[0].Fields[registre.FieldLegalBasis]) != 0 {
		t.Errorf("empty Base légale got %v", recs[0].Fields[registre.FieldLegalBasis])
	}
}
