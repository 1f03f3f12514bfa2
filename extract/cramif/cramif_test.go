package cramif

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"registre"
	"registre/ingest"
	"registre/ingest/html"
)

type gold struct {
	Records []struct {
		Name string `json:"name"`
	} `json:"records"`
}

func read(t *testing.T, path string) *registre.Document {
	t.Helper()
	doc, err := ingest.ReadFile(context.Background(), path, ingest.Options{})
	if err != nil {
		t.Fatalf("read %s: %v", path, err)
	}
	return doc
}

func goldNames(t *testing.T) []string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "fixtures", "gold", "seed-cramif.json"))
	if err != nil {
		t.Fatal(err)
	}
	var g gold
	if err := json.Unmarshal(data, &g); err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, r := range g.Records {
		names = append(names, r.Name)
	}
	return names
}

// TestRenderings checks every rendering of the Cramif register gives the 73
// records of the gold, in order, with their names and inherited parties.
func TestRenderings(t *testing.T) {
	want := goldNames(t)
	for _, path := range []string{
		"../../fixtures/corpus/cramif-registre.html",
		"../../fixtures/text/cramif-registre.txt",
		"../../fixtures/corpus/cramif-registre-print.pdf",
	} {
		t.Run(filepath.Base(path), func(t *testing.T) {
			doc := read(t, path)
			if s := (Parser{}).Detect(doc); s < 0.5 {
				t.Fatalf("Detect = %v, want ≥ 0.5", s)
			}
			recs, err := Parser{}.Extract(context.Background(), doc)
			if err != nil {
				t.Fatal(err)
			}
			if len(recs) != len(want) {
				t.Fatalf("got %d records, want %d", len(recs), len(want))
			}
			for i, r := range recs {
				name, _ := r.First(registre.FieldName)
				if norm(name.Text) != norm(want[i]) {
					t.Errorf("record %d name = %q, want %q", i, name.Text, want[i])
				}
				if r.Organisation != "Cramif" {
					t.Errorf("record %d organisation = %q", i, r.Organisation)
				}
				if len(r.Fields[registre.FieldController]) != 2 || len(r.Fields[registre.FieldDPO]) != 2 {
					t.Errorf("record %d: controller %v dpo %v, want name and e-mail each", i, r.Fields[registre.FieldController], r.Fields[registre.FieldDPO])
				}
				// Every value's span points at its text in the document.
				for f, vs := range r.Fields {
					for _, v := range vs {
						if v.Start < 0 || v.End > len(doc.Text) || v.Start > v.End {
							t.Fatalf("record %d %s: span %d-%d out of range", i, f, v.Start, v.End)
						}
						if f == registre.FieldAttachments && v.Href == "" {
							continue
						}
						if got := doc.Text[v.Start:v.End]; !strings.Contains(norm(got), norm(firstWords(v.Text))) {
							t.Errorf("record %d %s: span text %q does not hold value %q", i, f, got, v.Text)
						}
					}
				}
			}
			first := recs[0]
			if v, _ := first.First(registre.FieldRetention); !strings.HasPrefix(v.Text, "20 ans + 3 ans") {
				t.Errorf("SNTRP retention = %q", v.Text)
			}
			if v, _ := first.First(registre.FieldRecipientsInternal); v.Text != "Service AT/MP Cramif" {
				t.Errorf("SNTRP internal recipients = %q", v.Text)
			}
			if v, _ := first.First(registre.FieldTransfers); v.Text != "non" {
				t.Errorf("SNTRP transfer = %q", v.Text)
			}
			att := first.Fields[registre.FieldAttachments]
			if len(att) != 1 || att[0].Text != "Acte réglementaire" || !strings.Contains(att[0].Size, "119.09 Ko") {
				t.Errorf("SNTRP attachments = %+v", att)
			}
			if first.DocumentDate != "" && first.DocumentDate != "2020-10-12" {
				t.Errorf("document date = %q", first.DocumentDate)
			}
		})
	}
}

func norm(s string) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(s, "\u00a0", " ")), " ")
}

func firstWords(s string) string {
	f := strings.Fields(strings.ReplaceAll(s, "\u00a0", " "))
	if len(f) > 3 {
		f = f[:3]
	}
	return strings.Join(f, " ")
}

func TestNoRecordInTermsOfUse(t *testing.T) {
	doc := read(t, "../../fixtures/corpus/cerig-cgu.html")
	if s := (Parser{}).Detect(doc); s >= 0.5 {
		t.Errorf("Detect(CGU) = %v, want < 0.5", s)
	}
}

func FuzzExtract(f *testing.F) {
	f.Add("Titre\n• Nom du traitement : X\n• Finalité : Y\n• Acte réglementaire pdf - 1 Ko\n")
	f.Add("• Nom du traitement :\n  suite\n•\n")
	f.Fuzz(func(t *testing.T, s string) {
		b := registre.NewBuilder("f.txt", registre.FormatTXT, "")
		for _, line := range strings.Split(s, "\n") {
			kind := registre.BlockParagraph
			if strings.HasPrefix(line, "•") {
				kind = registre.BlockListItem
			}
			b.Add(registre.Block{Kind: kind, Text: line})
		}
		doc := b.Doc()
		recs, err := Parser{}.Extract(context.Background(), doc)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range recs {
			for _, vs := range r.Fields {
				for _, v := range vs {
					if v.Start < 0 || v.End > len(doc.Text) || v.Start > v.End {
						t.Fatalf("span %d-%d out of range %d", v.Start, v.End, len(doc.Text))
					}
				}
			}
		}
	})
}

// Page furniture after the last record (share links, footer) is not part of
// it.
func TestFooterNotInLastRecord(t *testing.T) {
	for _, path := range []string{"../../fixtures/corpus/cramif-registre.html", "../../fixtures/corpus/cramif-registre-print.pdf"} {
		doc := read(t, path)
		recs, err := Parser{}.Extract(context.Background(), doc)
		if err != nil {
			t.Fatal(err)
		}
		last := recs[len(recs)-1]
		for f, vs := range last.Fields {
			for _, v := range vs {
				for _, bad := range []string{"Twitter", "LinkedIn", "Partager", "Nous contacter", "Cramif 2020"} {
					if strings.Contains(v.Text, bad) {
						t.Errorf("%s: last record %s holds footer text %q", filepath.Base(path), f, v.Text)
					}
				}
			}
		}
	}
}

// A label printed with nothing after it takes the unlabelled items nested
// under it as its values (a recipients list without Interne/Externe, data
// as sub-bullets); labelled children still go to their own fields.
func TestItemsUnderEmptyLabel(t *testing.T) {
	tests := []struct {
		name  string
		html  string
		field registre.Field
		want  []string
	}{
		{"nested recipients list",
			`<h3>Réclamations</h3><ul><li><b>Nom du traitement</b> : Réclamations</li><li><b>Finalités</b> : Répondre</li>` +
				`<li><b>Destinataires</b> :<ul><li>agents du service clients</li><li>médiateur</li></ul></li>` +
				`<li><b>Durée de conservation</b> : 5 ans</li></ul>`,
			registre.FieldRecipients, []string{"agents du service clients", "médiateur"}},
		{"labelled children keep their fields",
			`<h2>SNTRP</h2><ul><li><b>Nom du traitement</b> : SNTRP</li><li><b>Finalité</b> : Payer</li>` +
				`<li><b>Destinataire(s) des données</b> :<ul><li><b>Interne</b> : agents</li><li><b>Transfert</b> : non</li></ul></li></ul>`,
			registre.FieldRecipients, nil},
		{"attachment after an empty last field is not a value",
			`<h2>X</h2><ul><li><b>Nom du traitement</b> : X</li><li><b>Finalité</b> : Y</li><li><b>Date de mise en œuvre</b> :</li>` +
				`<li><a href="/a.pdf">Acte réglementaire</a> pdf - 12 Ko</li></ul>`,
			registre.FieldImplementationDate, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := html.Read(context.Background(), "t.html", []byte("<html><body>"+tt.html+"</body></html>"))
			if err != nil {
				t.Fatal(err)
			}
			recs, err := Parser{}.Extract(context.Background(), doc)
			if err != nil || len(recs) != 1 {
				t.Fatalf("Extract = %d records, %v; want 1", len(recs), err)
			}
			var got []string
			for _, v := range recs[0].Fields[tt.field] {
				got = append(got, v.Text)
				if doc.Text[v.Start:v.End] != v.Text {
					t.Errorf("span %d-%d = %q, want %q", v.Start, v.End, doc.Text[v.Start:v.End], v.Text)
				}
			}
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("%s = %q, want %q", tt.field, got, tt.want)
			}
		})
	}
}

// A page printed by Chromium draws its bullets, so the PDF reader merges a
// record's bullet lines into one paragraph: the lines that start with a
// label (or follow a short line, or look like an attachment) are the items.
func TestBrowserPrintedBullets(t *testing.T) {
	doc := read(t, "../../fixtures/holdout/cpam-sarthe-registre-chromium.pdf")
	recs, err := Parser{}.Extract(context.Background(), doc)
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 8 {
		t.Fatalf("%d records, want 8", len(recs))
	}
	first := func(r registre.RawRecord, f registre.Field) string {
		v, _ := r.First(f)
		return strings.Join(strings.Fields(v.Text), " ")
	}
	tests := []struct {
		field registre.Field
		want  string
	}{
		{registre.FieldName, "PROGRES – Indemnités journalières maladie, maternité et AT/MP"},
		{registre.FieldPurposes, "Calculer et verser les indemnités journalières dues aux assurés en arrêt de travail. Contrôler la cohérence des arrêts de travail avec les droits de l'assuré."},
		{registre.FieldTransfers, "non"},
		{registre.FieldImplementationDate, "15 janvier 2004"},
		{registre.FieldAttachments, "Acte réglementaire"},
	}
	for _, tt := range tests {
		if got := first(recs[0], tt.field); !strings.HasPrefix(got, tt.want) {
			t.Errorf("%s = %q, want %q", tt.field, got, tt.want)
		}
	}
	for _, r := range recs {
		for f, vs := range r.Fields {
			for _, v := range vs {
				if v.Start < 0 || v.End > len(doc.Text) || v.Start > v.End {
					t.Errorf("%s: span %d-%d out of the text", f, v.Start, v.End)
				}
			}
		}
	}
}
