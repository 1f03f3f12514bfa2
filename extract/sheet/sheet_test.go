package sheet

import (
	"context"
	"strings"
	"testing"

	"registre"
	ingestsheet "registre/ingest/sheet"
)

// grid builds a one-sheet document the way ingest/sheet lays it out.
func grid(title, name string, rows [][]string) *registre.Document {
	b := registre.NewBuilder("g.xlsx", registre.FormatXLSX, "")
	b.Add(registre.Block{Kind: registre.BlockHeading, Level: 1, Text: name, Path: name})
	cells := make([][][]registre.Block, len(rows))
	for i, r := range rows {
		for j, v := range r {
			cells[i] = append(cells[i], []registre.Block{{Kind: registre.BlockParagraph, Text: v, Path: ingestsheet.CellRef(name, j+1, i+1)}})
		}
	}
	b.AddTable(registre.Block{Path: name}, cells, nil)
	d := b.Doc()
	d.Title = title
	return d
}

func extract(t *testing.T, doc *registre.Document) []registre.RawRecord {
	t.Helper()
	recs, err := Parser{}.Extract(context.Background(), doc)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range recs {
		for f, vs := range r.Fields {
			for _, v := range vs {
				if doc.Text[v.Start:v.End] != v.Text || v.Locator == "" || v.Label == "" || v.Method != registre.MethodRule {
					t.Errorf("%s: bad evidence %+v", f, v)
				}
			}
		}
	}
	return recs
}

func texts(r registre.RawRecord, f registre.Field) string {
	var out []string
	for _, v := range r.Fields[f] {
		out = append(out, v.Text)
	}
	return strings.Join(out, "|")
}

func TestRegister(t *testing.T) {
	doc := grid("", "Registre 2021", [][]string{
		{"Registre des activités de traitement – CGSS de la Guadeloupe"},
		{""},
		{"N°", "Nom du traitement", "Finalités", "Base légale", "Catégories de données", "Destinataires", "Durée de conservation", "Documents associés"},
		{"12", "Paie", "Verser les salaires\nDéclarer les charges", "obligation légale", "Salariés : nom, NIR", "Interne : DRH\nExterne : URSSAF", "5 ans", "Acte réglementaire pdf - 119.09 Ko | Notice RGPD pdf - 80 Ko"},
		{"", "", "", "", "", "", "", ""},
		{"13", "Badges", "Contrôler les accès", "", "Nom, photo", "", "3 mois", ""},
		{"14", "", "", "", "", "", "", ""}, // a number alone is no record
	})
	if s := (Parser{}).Detect(doc); s < 0.5 {
		t.Fatalf("Detect = %.2f", s)
	}
	recs := extract(t, doc)
	if len(recs) != 2 {
		t.Fatalf("%d records, want 2", len(recs))
	}
	r := recs[0]
	checks := []struct {
		field registre.Field
		want  string
	}{
		{registre.FieldReference, "12"},
		{registre.FieldName, "Paie"},
		{registre.FieldPurposes, "Verser les salaires|Déclarer les charges"},
		{registre.FieldLegalBasis, "obligation légale"},
		{registre.FieldRecipientsInternal, "DRH"},
		{registre.FieldRecipientsExternal, "URSSAF"},
		{registre.FieldRecipients, ""},
		{registre.FieldAttachments, "Acte réglementaire|Notice RGPD"},
	}
	for _, c := range checks {
		if got := texts(r, c.field); got != c.want {
			t.Errorf("%s = %q, want %q", c.field, got, c.want)
		}
	}
	if a := r.Fields[registre.FieldAttachments]; len(a) != 2 || a[0].Size != "pdf - 119.09 Ko" || a[1].Size != "pdf - 80 Ko" {
		t.Errorf("attachments %+v", a)
	}
	if r.Key != "paie" || r.Locator != "'Registre 2021'!A4:H4" {
		t.Errorf("key %q locator %q", r.Key, r.Locator)
	}
	if r.Organisation != "CGSS Guadeloupe" {
		t.Errorf("organisation %q (from the title row above the header)", r.Organisation)
	}
	if recs[1].Fields[registre.FieldName][0].Locator != "'Registre 2021'!B6" {
		t.Errorf("locator %q", recs[1].Fields[registre.FieldName][0].Locator)
	}
}

// A linked document cell gives the attachment its href.
func TestAttachmentLink(t *testing.T) {
	doc := grid("", "S", [][]string{
		{"Nom du traitement", "Finalités", "Documents associés"},
		{"Paie", "Verser les salaires", "Acte réglementaire pdf - 119.09 Ko"},
	})
	// ingest/sheet puts a cell's hyperlink on its paragraph.
	blk := &doc.Blocks[1].Rows[1][2].Blocks[0]
	blk.Links = []registre.Link{{Text: blk.Text, Href: "https://x.fr/acte.pdf", Start: blk.Start, End: blk.End}}
	recs := extract(t, doc)
	if len(recs) != 1 {
		t.Fatalf("%d records", len(recs))
	}
	a := recs[0].Fields[registre.FieldAttachments]
	if len(a) != 1 || a[0].Text != "Acte réglementaire" || a[0].Href != "https://x.fr/acte.pdf" || a[0].Size != "pdf - 119.09 Ko" {
		t.Errorf("attachment %+v", a)
	}
}

func TestHeaderWordings(t *testing.T) {
	headers := [][]string{
		{"Nom / sigle", "Finalité(s)", "Catégories de données", "Durée de conservation"},
		{"Intitulé du traitement", "Finalité principale", "Données traitées", "Délais de conservation"},
		{"Activité de traitement", "Objectifs poursuivis", "Types de données", "Durées de conservation :"},
		{"NOM DU TRAITEMENT", "FINALITÉ", "CATÉGORIES DE DONNÉES À CARACTÈRE PERSONNEL", "DURÉE DE CONSERVATION"},
	}
	for _, h := range headers {
		doc := grid("", "S", [][]string{h, {"T", "F", "D", "1 an"}})
		recs := extract(t, doc)
		if len(recs) != 1 {
			t.Errorf("%q: %d records", h, len(recs))
			continue
		}
		for _, f := range []registre.Field{registre.FieldName, registre.FieldPurposes, registre.FieldDataCategories, registre.FieldRetention} {
			if len(recs[0].Fields[f]) != 1 {
				t.Errorf("%q: %s not read", h, f)
			}
		}
		if recs[0].Organisation != "" {
			t.Errorf("organisation %q invented", recs[0].Organisation)
		}
	}
}

func TestNotARegister(t *testing.T) {
	for _, rows := range [][][]string{
		{{"Nom du traitement", "X"}, {"Finalité(s)", "Y"}, {"Durée de conservation", "Z"}}, // a form
		{{"Produit", "Prix", "Quantité"}, {"a", "1", "2"}},
		{{"Nom du traitement", "Finalités", "Catégories de données"}}, // header only
	} {
		doc := grid("", "S", rows)
		if s := (Parser{}).Detect(doc); s >= 0.5 {
			t.Errorf("Detect = %.2f for %q", s, rows)
		}
	}
}

func FuzzExtract(f *testing.F) {
	f.Add("Nom du traitement", "Finalités", "Documents associés", "X", "Interne : a\nExterne : b", "Acte pdf - 1 Ko | B")
	f.Fuzz(func(t *testing.T, h1, h2, h3, v1, v2, v3 string) {
		doc := grid("", "S", [][]string{{h1, h2, h3, "Durée de conservation"}, {v1, v2, v3, v2}})
		_ = Parser{}.Detect(doc)
		recs, err := Parser{}.Extract(context.Background(), doc)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range recs {
			for _, vs := range r.Fields {
				for _, v := range vs {
					if v.Start < 0 || v.End > len(doc.Text) || v.Start > v.End || doc.Text[v.Start:v.End] != v.Text {
						t.Fatalf("bad span for %q", v.Text)
					}
				}
			}
		}
	})
}
