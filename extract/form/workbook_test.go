package form

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/xuri/excelize/v2"

	"registre"
	"registre/ingest"
)

// writeActivityWorkbook writes a workbook in the manner of the CNIL model
// register: one sheet per activity, labels in column A, values in column B.
func writeActivityWorkbook(t *testing.T, sheets map[string][][2]string, order []string) string {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, name := range order {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", name); err != nil {
				t.Fatal(err)
			}
		} else if _, err := f.NewSheet(name); err != nil {
			t.Fatal(err)
		}
		for r, row := range sheets[name] {
			for c, v := range row {
				cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
				if err := f.SetCellStr(name, cell, v); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	path := filepath.Join(t.TempDir(), "registre-activites.xlsx")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestOneFormPerSheet(t *testing.T) {
	sheets := map[string][][2]string{
		"Activité 1": {
			{"Fiche de registre – CGSS de la Guadeloupe", ""},
			{"Nom / sigle", "Paie des agents"},
			{"N° / REF", "RH-01"},
			{"Objectifs poursuivis", "Verser les salaires"},
			{"Catégories de personnes concernées", "Salariés"},
			{"Catégories de données collectées", "Identité, NIR, coordonnées bancaires"},
			{"Catégories de destinataires", "Trésorerie"},
			{"Transferts des données hors UE", "non"},
			{"Durées de conservation des catégories de données", "5 ans"},
		},
		"Activité 2": {
			{"Nom / sigle", "Badges d'accès"},
			{"Objectifs poursuivis", "Contrôler l'accès aux locaux"},
			{"Catégories de données collectées", "Nom, photo"},
			{"Durées de conservation des catégories de données", "3 mois"},
		},
		"Activité 3": { // not filled in yet
			{"Nom / sigle", ""},
			{"Objectifs poursuivis", ""},
			{"Catégories de données collectées", ""},
		},
	}
	path := writeActivityWorkbook(t, sheets, []string{"Activité 1", "Activité 2", "Activité 3"})
	doc, err := ingest.ReadFile(context.Background(), path, ingest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if s := (Parser{}).Detect(doc); s < 0.5 {
		t.Fatalf("Detect = %.2f", s)
	}
	recs := extract(t, doc)
	if len(recs) != 2 {
		t.Fatalf("%d records, want 2 (the third sheet is blank)", len(recs))
	}
	tests := []struct {
		rec   int
		field registre.Field
		want  string
	}{
		{0, registre.FieldName, "Paie des agents"},
		{0, registre.FieldReference, "RH-01"},
		{0, registre.FieldTransfers, "non"},
		{0, registre.FieldRetention, "5 ans"},
		{1, registre.FieldName, "Badges d'accès"},
		{1, registre.FieldRetention, "3 mois"},
	}
	for _, tt := range tests {
		if got := texts(recs[tt.rec], tt.field); len(got) != 1 || got[0] != tt.want {
			t.Errorf("record %d %s = %q, want %q", tt.rec, tt.field, got, tt.want)
		}
	}
	if recs[0].Locator != "'Activité 1'" || recs[1].Fields[registre.FieldName][0].Locator != "'Activité 2'!B1" {
		t.Errorf("locators %q, %q", recs[0].Locator, recs[1].Fields[registre.FieldName][0].Locator)
	}
	// The body is named on the first sheet only: both activities are its.
	for _, r := range recs {
		if r.Organisation != "CGSS Guadeloupe" {
			t.Errorf("%s: organisation %q", r.Key, r.Organisation)
		}
	}
}
