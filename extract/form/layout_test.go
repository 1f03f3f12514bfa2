package form

import (
	"context"
	"strings"
	"testing"

	"registre"
)

// tableDoc builds a document with a header line and one label/value table;
// a cell's paragraphs are separated by "\n", and a cell written "[a|b|c]"
// is a nested one-row table.
func tableDoc(head string, rows [][2]string) *registre.Document {
	b := registre.NewBuilder("t.docx", registre.FormatDOCX, "")
	b.Add(registre.Block{Kind: registre.BlockParagraph, Text: head, Path: "body/p[1]"})
	var cells [][][]registre.Block
	for i, r := range rows {
		lab := []registre.Block{{Kind: registre.BlockParagraph, Text: r[0], Bold: true, Path: path(i, 1, 1)}}
		var val []registre.Block
		for k, p := range strings.Split(r[1], "\n") {
			if strings.HasPrefix(p, "[") && strings.HasSuffix(p, "]") {
				nested := registre.Block{Kind: registre.BlockTable, Path: path(i, 2, 1)}
				var row []registre.Cell
				for j, c := range strings.Split(p[1:len(p)-1], "|") {
					var bs []registre.Block
					if c != "" {
						bs = []registre.Block{{Kind: registre.BlockParagraph, Text: c, Path: path(i, 2, 1) + "/tbl/tc[" + string(rune('1'+j)) + "]"}}
					}
					row = append(row, registre.Cell{Blocks: bs})
				}
				nested.Rows = [][]registre.Cell{row}
				val = append(val, nested)
				continue
			}
			if p != "" {
				val = append(val, registre.Block{Kind: registre.BlockParagraph, Text: p, Path: path(i, 2, k+1)})
			}
		}
		cells = append(cells, [][]registre.Block{lab, val})
	}
	b.AddTable(registre.Block{Path: "body/tbl[1]"}, cells, nil)
	return b.Doc()
}

func path(row, col, p int) string {
	return "body/tbl[1]/tr[" + itoa(row+1) + "]/tc[" + itoa(col) + "]/p[" + itoa(p) + "]"
}

func itoa(n int) string {
	s := ""
	for {
		s = string(rune('0'+n%10)) + s
		n /= 10
		if n == 0 {
			return s
		}
	}
}

// paraDoc builds a paragraph form: "**Label**" lines are bold.
func paraDoc(lines ...string) *registre.Document {
	b := registre.NewBuilder("p.docx", registre.FormatDOCX, "")
	for i, l := range lines {
		blk := registre.Block{Kind: registre.BlockParagraph, Path: "body/p[" + itoa(i+1) + "]"}
		if strings.HasPrefix(l, "# ") {
			blk.Kind, blk.Level, blk.Text = registre.BlockHeading, 1, l[2:]
		} else if len(l) >= 4 && strings.HasPrefix(l, "**") && strings.HasSuffix(l, "**") {
			blk.Text, blk.Bold = l[2:len(l)-2], true
		} else if end := strings.Index(strings.TrimPrefix(l, "**"), "**"); strings.HasPrefix(l, "**") && end >= 0 {
			// A fuzzed value may open "**" without closing it: then it is
			// plain text, as the else branch below reads it.
			blk.Text = l[2:2+end] + l[4+end:]
			blk.Labels = []registre.Span{{Start: 0, End: end}}
		} else {
			blk.Text = l
		}
		b.Add(blk)
	}
	return b.Doc()
}

func extract(t *testing.T, doc *registre.Document) []registre.RawRecord {
	t.Helper()
	recs, err := Parser{}.Extract(context.Background(), doc)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range recs {
		checkEvidence(t, doc, r)
	}
	return recs
}

func TestTableLayout(t *testing.T) {
	doc := tableDoc("CPAM de Test – Déclaration de traitement", [][2]string{
		{"Dénomination du traitement (nom du projet)", "Gestion des rendez-vous"},
		{"Finalité(s)/Objectifs poursuivis par la mise en œuvre du traitement", "Préciser les finalités principales.\nPlanifier les rendez-vous"},
		{"Contexte légal- Bases juridiques", "Mentionner les références réglementaires :\nmission d'intérêt public"},
		{"Catégories de personnes concernées par le traitement", "[Assurés|☒|Salariés|☐]"},
		{"Données de santé", "☒ oui ☐ non"},
		{"Destinataires", "Interne : service A\nExterne : prestataire B\nTransfert : non"},
		{"Durée de conservation", "Cliquez ici pour taper du texte.\n2 ans"},
		{"Sous-traitants", "Faites-vous appel à une solution du marché ?"},
	})
	recs := extract(t, doc)
	if len(recs) != 1 {
		t.Fatalf("%d records", len(recs))
	}
	r := recs[0]
	want := map[registre.Field][]string{
		registre.FieldName:               {"Gestion des rendez-vous"},
		registre.FieldPurposes:           {"Planifier les rendez-vous"},
		registre.FieldLegalBasis:         {"mission d'intérêt public"},
		registre.FieldDataSubjects:       {"Assurés"},
		registre.FieldRecipientsInternal: {"service A"},
		registre.FieldRecipientsExternal: {"prestataire B"},
		registre.FieldTransfers:          {"non"},
		registre.FieldRetention:          {"2 ans"},
		registre.FieldProcessors:         nil,
	}
	for f, w := range want {
		if got := texts(r, f); strings.Join(got, "|") != strings.Join(w, "|") {
			t.Errorf("%s = %q, want %q", f, got, w)
		}
	}
	if r.Organisation != "" {
		// "CPAM de Test" is no body the dictionary knows.
		t.Logf("organisation %q", r.Organisation)
	}
	if r.Fields[registre.FieldRecipientsInternal][0].Label != "Interne" {
		t.Errorf("label %q", r.Fields[registre.FieldRecipientsInternal][0].Label)
	}
}

func TestBlankForms(t *testing.T) {
	tests := []struct {
		name string
		doc  *registre.Document
	}{
		{"prompts only", tableDoc("Cramif", [][2]string{
			{"Nom du traitement", "Cliquez ici pour indiquer le traitement."},
			{"Finalité(s)", "Cliquez et sélectionnez ici pour décrire les finalités"},
			{"Durée de conservation", "Précisez la durée de conservation :"},
			{"Sous-traitants", "[Oui|☐|Non|☐]"},
		})},
		{"empty cells", tableDoc("Cramif", [][2]string{
			{"Nom du traitement", ""}, {"Finalité(s)", ""}, {"Catégories de données", ""}, {"Durée de conservation", ""},
		})},
		{"name but nothing else", tableDoc("Cramif", [][2]string{
			{"Nom du traitement", "Projet X"}, {"Finalité(s)", ""}, {"Catégories de données", ""}, {"Durée de conservation", ""},
		})},
		{"paragraph labels without values", paraDoc("**Objet du traitement**", "**Finalités**", "**Données traitées**", "**Durée de conservation des données**")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if recs := extract(t, tt.doc); len(recs) != 0 {
				t.Errorf("%d records from a blank form: %+v", len(recs), recs[0].Fields)
			}
		})
	}
}

func TestParagraphLayout(t *testing.T) {
	doc := paraDoc(
		"Caisse régionale d'assurance maladie d'Île-de-France (Cramif)",
		"Registre des activités de traitement – Fiche descriptive",
		"**Objet du traitement**", "Suivi des créances",
		"**Finalités**", "Recouvrer les indus.", "Informer les débiteurs.",
		"**Fondement juridique**",
		"**Données traitées**", "Débiteurs : nom, NIR",
		"**Destinataires externes :**", "Huissiers",
		"**Durée de conservation :** 5 ans après le solde",
		"**Sécurité**", "Habilitations",
	)
	if s := (Parser{}).Detect(doc); s < 0.5 {
		t.Errorf("Detect = %.2f", s)
	}
	recs := extract(t, doc)
	if len(recs) != 1 {
		t.Fatalf("%d records", len(recs))
	}
	r := recs[0]
	if r.Layout != LayoutParagraphs || r.Organisation != "Cramif" {
		t.Errorf("layout %q org %q", r.Layout, r.Organisation)
	}
	want := map[registre.Field][]string{
		registre.FieldName:               {"Suivi des créances"},
		registre.FieldPurposes:           {"Recouvrer les indus.", "Informer les débiteurs."},
		registre.FieldLegalBasis:         nil,
		registre.FieldDataCategories:     {"Débiteurs : nom, NIR"},
		registre.FieldRecipientsExternal: {"Huissiers"},
		registre.FieldRetention:          {"5 ans après le solde"},
		registre.FieldSecurity:           {"Habilitations"},
	}
	for f, w := range want {
		if got := texts(r, f); strings.Join(got, "|") != strings.Join(w, "|") {
			t.Errorf("%s = %q, want %q", f, got, w)
		}
	}
}

// A register of "Label : value" lines repeats its labels: it is left to
// the register parsers. Bold label paragraphs repeated fiche after fiche
// are a compilation of forms: one record each.
func TestRegisterIsNotAForm(t *testing.T) {
	var inline, alone []string
	for i := 0; i < 5; i++ {
		inline = append(inline, "**Nom du traitement :** T"+itoa(i), "**Finalités :** F", "**Durée de conservation :** 1 an")
		alone = append(alone, "**Nom du traitement**", "T"+itoa(i), "**Finalités**", "F", "**Durée de conservation**", "1 an")
	}
	if s := (Parser{}).Detect(paraDoc(inline...)); s >= 0.5 {
		t.Errorf("Detect = %.2f on an inline-label register", s)
	}
	if recs := extract(t, paraDoc(alone...)); len(recs) != 5 {
		t.Errorf("%d records from 5 fiches", len(recs))
	}
}

func TestInlineOptions(t *testing.T) {
	tests := []struct {
		in   string
		want []string // checked option texts
	}{
		{"☒ oui ☐ non", []string{"oui"}},
		{"☐ oui ☒ non", []string{"non"}},
		{"Santé ☒ NIR ☐ Mineurs ☑", []string{"Santé", "Mineurs"}},
		{"☐ A ☐ B", nil},
	}
	for _, tt := range tests {
		var got []string
		for _, o := range inlineOptions(tt.in) {
			if o.checked {
				got = append(got, strings.TrimSpace(tt.in[o.start:o.end]))
			}
		}
		if strings.Join(got, "|") != strings.Join(tt.want, "|") {
			t.Errorf("inlineOptions(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func FuzzExtract(f *testing.F) {
	f.Add("Nom du traitement", "SNTRP\nInterne : A", "Finalité(s)", "☒ oui ☐ non", true)
	f.Add("Objet du traitement", "[x|☒|y|☐]", "Destinataires", "Externe : B", false)
	f.Fuzz(func(t *testing.T, l1, v1, l2, v2 string, table bool) {
		var doc *registre.Document
		if table {
			doc = tableDoc("Cramif", [][2]string{{l1, v1}, {l2, v2}, {"Durée de conservation", v1}})
		} else {
			doc = paraDoc("Cramif", "**"+l1+"**", v1, "**"+l2+"**", v2, "**Sécurité :** "+v2)
		}
		_ = Parser{}.Detect(doc)
		recs, err := Parser{}.Extract(context.Background(), doc)
		if err != nil {
			t.Fatal(err)
		}
		if len(recs) > 1 {
			t.Fatalf("%d records from one form", len(recs))
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

// The CGSS template details the data categories one row per category
// under a "Catégories de données traitées" row.
func TestCategoryRows(t *testing.T) {
	doc := tableDoc("CGSS GUADELOUPE Déclaration interne", [][2]string{
		{"Dénomination du traitement (nom du projet)", "Rendez-vous"},
		{"Catégories de données traitées", "Cocher et détailler les données, selon les catégories mentionnées"},
		{"Données d'identification", "nom, prénom"},
		{"NIR, N° de Sécurité Sociale consultation du RNIPP", "Cliquez et sélectionner ici pour détailler les données et leur origine."},
		{"Données relatives à la santé ou révélatrices de celle-ci", "motif de consultation"},
		{"Durée de conservation", "1 an"},
		{"Observations", "aucune"},
	})
	recs := extract(t, doc)
	if len(recs) != 1 {
		t.Fatalf("%d records", len(recs))
	}
	r := recs[0]
	if got := texts(r, registre.FieldDataCategories); strings.Join(got, "|") != "nom, prénom|motif de consultation" {
		t.Errorf("data categories %q", got)
	}
	if l := r.Fields[registre.FieldDataCategories][1].Label; l != "Catégories de données traitées / Données relatives à la santé ou révélatrices de celle-ci" {
		t.Errorf("label %q", l)
	}
	if got := texts(r, registre.FieldRetention); strings.Join(got, "|") != "1 an" {
		t.Errorf("retention %q", got)
	}
	if r.Organisation != "CGSS Guadeloupe" {
		t.Errorf("organisation %q", r.Organisation)
	}
}

// Label cells may carry help text under the label; paragraph forms may
// print their labels as (non-bold) headings.
func TestLabelVariants(t *testing.T) {
	t.Run("help text under the label", func(t *testing.T) {
		doc := tableDoc("Cramif", [][2]string{
			{"Nom du traitement", "Suivi"},
			{"Finalité(s)\nPréciser les finalités principales et secondaires", "Suivre les dossiers"},
			{"Durée de conservation\n(en mois ou en années)", "2 ans"},
		})
		recs := extract(t, doc)
		if len(recs) != 1 || texts(recs[0], registre.FieldPurposes)[0] != "Suivre les dossiers" || texts(recs[0], registre.FieldRetention)[0] != "2 ans" {
			t.Fatalf("records %+v", recs)
		}
		if l := recs[0].Fields[registre.FieldPurposes][0].Label; l != "Finalité(s)" {
			t.Errorf("label %q", l)
		}
	})
	t.Run("heading labels", func(t *testing.T) {
		b := registre.NewBuilder("h.docx", registre.FormatDOCX, "")
		for i, l := range []struct {
			text    string
			heading bool
		}{{"Nom du traitement", true}, {"Paie", false}, {"Finalités", true}, {"Verser les salaires", false}, {"Durée de conservation", true}, {"5 ans", false}} {
			k := registre.BlockParagraph
			if l.heading {
				k = registre.BlockHeading
			}
			b.Add(registre.Block{Kind: k, Level: 2, Text: l.text, Path: "body/p[" + itoa(i+1) + "]"})
		}
		recs := extract(t, b.Doc())
		if len(recs) != 1 || texts(recs[0], registre.FieldName)[0] != "Paie" || texts(recs[0], registre.FieldRetention)[0] != "5 ans" {
			t.Fatalf("records %+v", recs)
		}
	})
}

func TestFillers(t *testing.T) {
	for _, s := range []string{"________", "...", "…", "[Décrire les objectifs poursuivis]", "<nom du service>", "À compléter", "A remplir.", "xxx", "- -"} {
		if !isInstruction(s) {
			t.Errorf("%q read as a value", s)
		}
	}
	for _, s := range []string{"/", "non", "néant", "Suivant décision Cnam", "5 ans", "-"} {
		if isInstruction(s) {
			t.Errorf("%q dropped", s)
		}
	}
}

// A label/value table printed to PDF by LibreOffice (from
// fiche-tableau-centree.html) with labels centred in their rows, a label on
// two lines, an empty cell, multi-paragraph and list values: text
// extraction mixes the cells, the positions put them back.
func TestPDFTableByPosition(t *testing.T) {
	_, recs := extractFile(t, "fiche-tableau-centree.pdf")
	if len(recs) != 1 {
		t.Fatalf("%d records", len(recs))
	}
	r := recs[0]
	want := map[registre.Field]string{
		registre.FieldName:               "Gestion des réclamations des assurés",
		registre.FieldBusinessUnit:       "Direction de la relation client",
		registre.FieldPurposes:           "Enregistrer les réclamations reçues par courrier, courriel ou téléphone et suivre leur traitement jusqu'à la réponse apportée à l'assuré.|Produire des statistiques anonymes sur les motifs de réclamation.",
		registre.FieldLegalBasis:         "",
		registre.FieldDataSubjects:       "Assurés ; agents chargés des réclamations",
		registre.FieldDataCategories:     "Identification : nom, prénom, NIR, adresse|Réclamation : objet, pièces jointes, échanges",
		registre.FieldRecipients:         "Agents habilités de la direction de la relation client",
		registre.FieldRetention:          "3 ans après la clôture de la réclamation",
		registre.FieldProcessors:         "non",
		registre.FieldSecurity:           "Habilitations nominatives ; journalisation des accès ; chiffrement des échanges",
		registre.FieldRights:             "Délégué à la protection des données",
		registre.FieldImplementationDate: "1er février 2019",
	}
	for f, w := range want {
		if got := strings.Join(texts(r, f), "|"); got != w {
			t.Errorf("%s = %q, want %q", f, got, w)
		}
	}
	if r.Layout != LayoutTable || r.Organisation != "Cramif" {
		t.Errorf("layout %q organisation %q", r.Layout, r.Organisation)
	}
}

// A label cell merged down over several rows leaves the next rows' label
// cells empty: they carry on the field.
func TestMergedLabelRows(t *testing.T) {
	doc := tableDoc("Cramif", [][2]string{
		{"Nom du traitement", "Courrier"},
		{"Finalité(s)", "Gérer le courrier"},
		{"Destinataires", "Interne : service courrier"},
		{"", "Externe : La Poste"},
		{"Durée de conservation", "1 an"},
	})
	recs := extract(t, doc)
	if len(recs) != 1 {
		t.Fatalf("%d records", len(recs))
	}
	if got := texts(recs[0], registre.FieldRecipientsExternal); len(got) != 1 || got[0] != "La Poste" {
		t.Errorf("external recipients %q", got)
	}
}

// Several fiches of the paragraph template in one document (a DPO's
// compilation): one record per fiche.
func TestCompilationOfFiches(t *testing.T) {
	var lines []string
	lines = append(lines, "Caisse régionale d'assurance maladie d'Île-de-France (Cramif)")
	for _, n := range []string{"Paie", "Badges", "Courrier"} {
		lines = append(lines, "# Registre des activités de traitement – Fiche descriptive",
			"**Objet du traitement**", n, "**Finalités**", "Gérer "+n, "**Données traitées**", "Nom", "**Durée de conservation des données**", "1 an")
	}
	doc := paraDoc(lines...)
	if s := (Parser{}).Detect(doc); s < 0.5 {
		t.Fatalf("Detect = %.2f", s)
	}
	recs := extract(t, doc)
	if len(recs) != 3 {
		t.Fatalf("%d records, want 3", len(recs))
	}
	for i, n := range []string{"Paie", "Badges", "Courrier"} {
		r := recs[i]
		if texts(r, registre.FieldName)[0] != n || texts(r, registre.FieldPurposes)[0] != "Gérer "+n || r.Organisation != "Cramif" {
			t.Errorf("record %d: %v org %q", i, r.Fields, r.Organisation)
		}
		// The next fiche's title line is not this fiche's retention.
		if got := texts(r, registre.FieldRetention); len(got) != 1 || got[0] != "1 an" && i < 2 {
			t.Errorf("record %d retention %q", i, got)
		}
	}
}

// Several label/value tables printed to PDF (from fiches-titrees.html),
// each under its fiche's title and with no name row: one record per table,
// named by its title without the numbering.
func TestPDFTitledTables(t *testing.T) {
	_, recs := extractFile(t, "fiches-titrees.pdf")
	if len(recs) != 2 {
		t.Fatalf("%d records, want 2", len(recs))
	}
	for i, want := range []struct{ name, retention string }{
		{"Accueil téléphonique", "1 an après l'appel"},
		{"Vidéoprotection des accueils", "30 jours"},
	} {
		r := recs[i]
		name := r.Fields[registre.FieldName]
		if len(name) != 1 || name[0].Text != want.name || name[0].Confidence >= 1 {
			t.Errorf("record %d name %+v", i, name)
		}
		if got := strings.Join(texts(r, registre.FieldRetention), "|"); got != want.retention {
			t.Errorf("record %d retention %q", i, got)
		}
		if r.Organisation != "CGSS Guadeloupe" {
			t.Errorf("record %d organisation %q", i, r.Organisation)
		}
	}
}

func TestNumbering(t *testing.T) {
	for in, want := range map[string]string{
		"Activité n° 1 – Dossier patient informatisé": "Dossier patient informatisé",
		"Fiche 2 : Vidéoprotection":                   "Vidéoprotection",
		"3. Paie":                                     "Paie",
		"Paie des agents":                             "Paie des agents",
		"2021 – bilan":                                "2021 – bilan", // a year is no numbering
	} {
		got := in
		if m := reNumbering.FindStringIndex(in); m != nil {
			got = in[m[1]:]
		}
		if got != want {
			t.Errorf("%q → %q, want %q", in, got, want)
		}
	}
}

// FuzzRuns feeds the positional reader PDF-like blocks: label and value
// runs at fuzzed positions and sizes.
func FuzzRuns(f *testing.F) {
	f.Add("Nom du traitement", "Paie", "Finalités\tVerser", "Durée de conservation", byte(60), byte(200), byte(10), byte(12))
	f.Add("Activité n° 1 – X", "Base légale y", "Contact pour", "l'exercice des droits", byte(57), byte(100), byte(14), byte(18))
	f.Fuzz(func(t *testing.T, a, b, c, d string, lx, vx, dy, fs byte) {
		bld := registre.NewBuilder("f.pdf", registre.FormatPDF, "")
		y := 100.0
		for i, txt := range []string{a, b, c, d} {
			x := float64(lx)
			if i%2 == 1 {
				x = float64(vx)
			}
			blk := registre.Block{Kind: registre.BlockParagraph, Text: txt, Page: 1,
				Runs: []registre.Run{{Text: txt, X: x, Y: y, W: float64(len(txt)) * 5, FontSize: float64(fs), End: len(txt)}}}
			if i == 0 && fs > 16 {
				blk.Kind = registre.BlockHeading
			}
			bld.Add(blk)
			y += float64(dy)
		}
		doc := bld.Doc()
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
