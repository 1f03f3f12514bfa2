package cnam

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"registre"
)

// page builds synthetic PDF-like blocks: each block has one run per line at
// the given position, like the PDF reader's output.
type page struct {
	b *registre.Builder
	n int
}

func newDoc() *page { return &page{b: registre.NewBuilder("t.pdf", registre.FormatPDF, "")} }

func (p *page) next() *page {
	p.n++
	p.b.PageBreak(p.n)
	return p
}

func (p *page) add(kind registre.BlockKind, text string, x, y float64, bold, italic bool) *page {
	p.b.Add(registre.Block{Kind: kind, Text: text, Page: p.n, Bold: bold, Runs: []registre.Run{{
		Text: text, X: x, Y: y, W: float64(len(text)) * 4, FontSize: 9, Bold: bold, Italic: italic, Start: 0, End: len(text),
	}}})
	return p
}

// Column positions of the Cnam register.
const (
	leftX  = 95.3
	rightX = 350.4
)

func (p *page) banner(n int, y float64) *page {
	return p.add(registre.BlockHeading, fmt.Sprintf("01 | GESTION DES DROITS – Fiche %d", n), 56.8, y, true, false)
}
func (p *page) title(s string, y float64) *page {
	return p.add(registre.BlockHeading, s, 56.8, y, true, true)
}
func (p *page) labels(l, r string, y float64) *page {
	if l != "" {
		p.add(registre.BlockParagraph, l, 150, y, true, false)
	}
	if r != "" {
		p.add(registre.BlockParagraph, r, 390, y, true, false)
	}
	return p
}
func (p *page) left(s string, y float64) *page {
	return p.add(registre.BlockListItem, s, leftX, y, false, false)
}
func (p *page) right(s string, y float64) *page {
	return p.add(registre.BlockListItem, s, rightX, y, false, false)
}

// fullFiche writes a one-page fiche with the five rows.
func (p *page) fullFiche(n int, title string) *page {
	p.next().banner(n, 40)
	if title != "" {
		p.title(title, 68)
	}
	return p.labels("Sous-finalités", "Fondements juridiques", 90).left(fmt.Sprintf("Sous-finalité %d", n), 105).right("Article 6-1-e du RGPD", 105).
		labels("Catégories de personnes concernées", "Type de données", 200).left("Assurés", 215).right("Données d'identification", 215).
		labels("Destinataires des données", "Personnes accédant aux données", 300).left("CPAM", 315).right("Agents habilités", 315).
		labels("Durée de conservation", "Droits des personnes concernées", 400).left("5 ans", 415).right("Droit d'accès auprès du DPO", 415).
		labels("Justification absence du droit d'opposition", "Sécurité des données", 500).left("Mission d'intérêt public", 515).right("PSSI-MCAS", 515)
}

func extract(t *testing.T, doc *registre.Document) []registre.RawRecord {
	t.Helper()
	recs, err := Parser{}.Extract(context.Background(), doc)
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

// summary renders records as "key: field=v1|v2; …" for the fields asked.
func summary(recs []registre.RawRecord, fields ...registre.Field) []string {
	var out []string
	for _, r := range recs {
		var parts []string
		for _, f := range fields {
			if vs := r.Fields[f]; len(vs) > 0 {
				parts = append(parts, string(f)+"="+strings.Join(texts(vs), "|"))
			}
		}
		out = append(out, r.Key+": "+strings.Join(parts, "; "))
	}
	return out
}

func TestTableLayouts(t *testing.T) {
	tests := []struct {
		name   string
		build  func() *registre.Document
		fields []registre.Field
		want   []string
	}{
		{
			name: "cells by column, rows by header",
			build: func() *registre.Document {
				return newDoc().fullFiche(7, "Titre sept").b.Doc()
			},
			fields: []registre.Field{registre.FieldName, registre.FieldSubPurposes, registre.FieldLegalBasis, registre.FieldRecipientsExternal, registre.FieldPersonsWithAccess, registre.FieldRetention, registre.FieldRights, registre.FieldObjection, registre.FieldSecurity},
			want:   []string{"fiche-7: name=Titre sept; sub_purposes=Sous-finalité 7; legal_basis_text=Article 6-1-e du RGPD; recipients.external=CPAM; persons_with_access=Agents habilités; retention.text=5 ans; rights.text=Droit d'accès auprès du DPO; objection_exemption=Mission d'intérêt public; security_measures=PSSI-MCAS"},
		},
		{
			name: "numbers from banners, never from positions",
			build: func() *registre.Document {
				return newDoc().fullFiche(3, "Trois").fullFiche(9, "").fullFiche(4, "Quatre").b.Doc()
			},
			fields: []registre.Field{registre.FieldName, registre.FieldSubPurposes},
			want:   []string{"fiche-3: name=Trois; sub_purposes=Sous-finalité 3", "fiche-9: sub_purposes=Sous-finalité 9", "fiche-4: name=Quatre; sub_purposes=Sous-finalité 4"},
		},
		{
			name: "fiche on two pages, banner and title repeated, item cut by the page break",
			build: func() *registre.Document {
				p := newDoc().next().banner(1, 40).title("Gérer", 68).
					labels("Sous-finalités", "Fondements juridiques", 90).left("Acquérir", 105).right("Article 6-1-c du RGPD", 105).
					labels("Catégories de personnes concernées", "Type de données", 200).left("Assurés", 215).right("Données de santé dont", 215)
				p.next().add(registre.BlockParagraph, "diagnostics", rightX, 40, false, false). // overflow page: no banner
														right("Données de contact", 51)
				p.next().banner(1, 40).title("Gérer", 68).
					labels("Durée de conservation", "Droits des personnes concernées", 90).left("3 ans", 105).right("Accès", 105)
				return p.b.Doc()
			},
			fields: []registre.Field{registre.FieldName, registre.FieldDataCategories, registre.FieldRetention, registre.FieldRights},
			want:   []string{"fiche-1: name=Gérer; data_categories=Données de santé dont diagnostics|Données de contact; retention.text=3 ans; rights.text=Accès"},
		},
		{
			name: "mislabelled fifth row: the position decides",
			build: func() *registre.Document {
				p := newDoc().next().banner(3, 40).title("Trois", 68).
					labels("Sous-finalités", "Fondements juridiques", 90).left("Gérer", 105).right("Article 6-1-c", 105).
					labels("Durée de conservation", "Droits des personnes concernées", 300).left("3 ans", 315).right("Conformément aux articles 5, 12", 315).
					labels("Justification absence du droit d'opposition", "Droits des personnes concernées", 400).left("Obligation légale", 415).right("Les mesures techniques sont définies dans la PSSI-MCAS", 415)
				return p.b.Doc()
			},
			fields: []registre.Field{registre.FieldRights, registre.FieldObjection, registre.FieldSecurity},
			want:   []string{"fiche-3: rights.text=Conformément aux articles 5, 12; objection_exemption=Obligation légale; security_measures=Les mesures techniques sont définies dans la PSSI-MCAS"},
		},
		{
			name: "suite page: the continued cell carries on, the repeated cell is kept once",
			build: func() *registre.Document {
				p := newDoc().next().banner(22, 40).title("Fraudes", 68).
					labels("Sous-finalités", "Fondements juridiques", 90).left("Détecter", 105).right("Article 6-1-c", 105).
					labels("Catégories de personnes concernées", "Type de données", 200).left("Assurés", 215).left("Offreurs de soins", 226).right("Données d'identification", 215)
				p.next().banner(22, 40).title("Fraudes", 68).
					labels("Catégories de personnes concernées", "Type de données (suite)", 90).left("Assurés", 105).left("Offreurs de soins", 116).
					right("Données d'identification", 105).right("Données financières", 116)
				return p.b.Doc()
			},
			fields: []registre.Field{registre.FieldDataSubjects, registre.FieldDataCategories},
			want:   []string{"fiche-22: data_subjects=Assurés|Offreurs de soins; data_categories=Données d'identification|Données d'identification|Données financières"},
		},
		{
			name: "a fiche without banner or title opens on its Sous-finalités row",
			build: func() *registre.Document {
				p := newDoc().fullFiche(49, "Quarante-neuf")
				p.labels("Sous-finalités", "Fondements juridiques", 600).left("Calcul des cotisations AT/MP", 615).right("Article 6-1-c", 615)
				p.next().labels("Catégories de personnes concernées", "Type de données", 90).left("Victimes", 105).right("NIR", 105)
				return p.b.Doc()
			},
			fields: []registre.Field{registre.FieldName, registre.FieldSubPurposes, registre.FieldDataSubjects},
			want: []string{
				"fiche-49: name=Quarante-neuf; sub_purposes=Sous-finalité 49; data_subjects=Assurés",
				"fiche-page-1: sub_purposes=Calcul des cotisations AT/MP; data_subjects=Victimes",
			},
		},
		{
			name: "title only on the second page; the banner there names the fiche",
			build: func() *registre.Document {
				p := newDoc().fullFiche(59, "Cinquante-neuf")
				p.next().labels("Sous-finalités", "Fondements juridiques", 90).left("Traiter les demandes", 105).right("Article 6-1-e", 105)
				p.next().banner(61, 40).title("Declare-maladiepro", 68).
					labels("Durée de conservation", "Droits des personnes concernées", 90).left("5 ans", 105).right("Accès", 105)
				return p.b.Doc()
			},
			fields: []registre.Field{registre.FieldName, registre.FieldReference, registre.FieldSubPurposes, registre.FieldRetention},
			want: []string{
				"fiche-59: name=Cinquante-neuf; reference=Fiche 59; sub_purposes=Sous-finalité 59; retention.text=5 ans",
				"fiche-61: name=Declare-maladiepro; reference=Fiche 61; sub_purposes=Traiter les demandes; retention.text=5 ans",
			},
		},
		{
			name: "co-controller row before the table, empty cells",
			build: func() *registre.Document {
				p := newDoc().next().banner(45, 40).title("INS", 68).
					labels("Responsable de traitement", "", 90).left("Le traitement est également sous la responsabilité du Ministère de la Santé (DNS).", 105).right("La DNS et la Cnam sont cotraitants.", 105).
					labels("Sous-finalités", "Fondements juridiques", 200).left("Rechercher l'INS", 215).
					labels("Destinataires des données", "Personnes accédant aux données", 300).left("Acteurs autorisés", 315)
				return p.b.Doc()
			},
			fields: []registre.Field{registre.FieldJointControllers, registre.FieldSubPurposes, registre.FieldLegalBasis, registre.FieldPersonsWithAccess},
			want:   []string{"fiche-45: joint_controllers=Ministère de la Santé (DNS); sub_purposes=Rechercher l'INS"},
		},
		{
			name: "a fiche that lost its banner takes its number from the summary page",
			build: func() *registre.Document {
				p := newDoc().next().add(registre.BlockHeading, "06", 56.8, 100, true, false).
					add(registre.BlockListItem, "Fiche 39 – Conventionnement", 92, 170, false, false).
					add(registre.BlockListItem, "Fiche 41 – Évaluer la satisfaction des professionnels", 92, 181, false, false)
				p.fullFiche(39, "Conventionnement")
				p.title("Évaluer la satisfaction des professionnels", 590).
					labels("Sous-finalités", "Fondements juridiques", 610).left("Connaître les attentes", 625)
				return p.b.Doc()
			},
			fields: []registre.Field{registre.FieldName, registre.FieldSubPurposes},
			want: []string{
				"fiche-39: name=Conventionnement; sub_purposes=Sous-finalité 39",
				"fiche-41: name=Évaluer la satisfaction des professionnels; sub_purposes=Connaître les attentes",
			},
		},
		{
			name: "summary pages end a fiche and open none",
			build: func() *registre.Document {
				p := newDoc().fullFiche(9, "Neuf")
				p.next().add(registre.BlockHeading, "02", 56.8, 100, true, false).add(registre.BlockParagraph, "Finalités", 56.8, 150, true, false).
					add(registre.BlockListItem, "Fiche 10 – Traiter les frais de santé", 92, 170, false, false)
				return p.fullFiche(10, "Traiter les frais de santé").b.Doc()
			},
			fields: []registre.Field{registre.FieldName, registre.FieldPurposes, registre.FieldSubPurposes},
			want:   []string{"fiche-9: name=Neuf; sub_purposes=Sous-finalité 9", "fiche-10: name=Traiter les frais de santé; sub_purposes=Sous-finalité 10"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := tt.build()
			got := summary(extract(t, doc), tt.fields...)
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("\n got %q\nwant %q", got, tt.want)
			}
		})
	}
}

// The value of a cell is its block's span; a position-decided field says so.
func TestEvidence(t *testing.T) {
	doc := newDoc().fullFiche(5, "Cinq").b.Doc()
	recs := extract(t, doc)
	if len(recs) != 1 {
		t.Fatalf("%d records", len(recs))
	}
	checkValues(t, doc, recs[0])
	v, _ := recs[0].First(registre.FieldSecurity)
	if v.Label != "Sécurité des données" || v.Confidence != confLabel || v.Locator != "Fiche 5, page 1" || v.Page != 1 {
		t.Errorf("security value evidence: %+v", v)
	}
}

func FuzzExtract(f *testing.F) {
	f.Add("01 | X – Fiche 1\nTitre\n#Sous-finalités\n#Fondements juridiques\n-Acquérir\n-Article 6\n#Durée de conservation\n-3 ans\n\fsuite\n-Droits")
	f.Add("#Sous-finalités\n-a\n#Sous-finalités\n-b\n\f01 | D – Fiche 2\n#Type de données (suite)\n-c")
	f.Add("Fiche 3 – Titre\n#Justification absence du droit d'opposition\n#Droits des personnes concernées\n-x")
	f.Fuzz(func(t *testing.T, s string) {
		// Each line is a block; "#" makes it a bold label, "-" a list item,
		// a form feed a new page; positions come from the line's bytes.
		p := newDoc().next()
		for i, line := range strings.Split(s, "\n") {
			if strings.HasPrefix(line, "\f") {
				p.next()
				line = line[1:]
			}
			if line == "" {
				continue
			}
			kind, bold := registre.BlockParagraph, false
			switch line[0] {
			case '#':
				bold, line = true, line[1:]
			case '-':
				kind, line = registre.BlockListItem, line[1:]
			}
			if line == "" {
				continue
			}
			x := float64(int(line[0])*7%500) + 40
			y := float64(i*11%800) + 20
			p.add(kind, line, x, y, bold, i%3 == 0)
		}
		doc := p.b.Doc()
		_ = Parser{}.Detect(doc)
		recs, err := Parser{}.Extract(context.Background(), doc)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range recs {
			for _, vs := range r.Fields {
				for _, v := range vs {
					if v.Start < 0 || v.End > len(doc.Text) || v.Start > v.End {
						t.Fatalf("span %d-%d outside text of %d bytes", v.Start, v.End, len(doc.Text))
					}
				}
			}
		}
	})
}
