package generic

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"registre"
	"registre/extract/labels"
	"registre/ingest"
	"registre/ingest/text"
)

const fixtures = "../../fixtures/generic"

func read(t *testing.T, name string) *registre.Document {
	t.Helper()
	doc, err := ingest.ReadFile(context.Background(), filepath.Join(fixtures, name), ingest.Options{})
	if err != nil {
		t.Fatalf("read %s: %v", name, err)
	}
	return doc
}

func vals(r registre.RawRecord, f registre.Field) []string {
	var out []string
	for _, v := range r.Fields[f] {
		out = append(out, v.Text)
	}
	return out
}

// checkEvidence: every value is the document's own text at its span (up to
// white space and inline markup), read by rule with a confidence no higher
// than the fallback's ceiling.
func checkEvidence(t *testing.T, doc *registre.Document, recs []registre.RawRecord) {
	t.Helper()
	squash := func(s string) string {
		s = strings.NewReplacer("**", "", "<sup>", "", "</sup>", "").Replace(s)
		return strings.Join(strings.Fields(s), " ")
	}
	for _, r := range recs {
		if r.Layout != Layout || r.Key == "" || r.Locator == "" {
			t.Errorf("record %q: layout %q key %q locator %q", r.Key, r.Layout, r.Key, r.Locator)
		}
		for f, vs := range r.Fields {
			for _, v := range vs {
				if v.Start < 0 || v.End > len(doc.Text) || v.Start >= v.End {
					t.Errorf("%s %q: span [%d,%d)", f, v.Text, v.Start, v.End)
					continue
				}
				if got := squash(doc.Text[v.Start:v.End]); !strings.HasPrefix(got, squash(v.Text)) {
					t.Errorf("%s: value %q is not the text at its span %q", f, v.Text, got)
				}
				if v.Method != registre.MethodRule || v.Confidence <= 0 || v.Confidence > 0.6 || v.Locator == "" {
					t.Errorf("%s %q: method %q confidence %v locator %q", f, v.Text, v.Method, v.Confidence, v.Locator)
				}
			}
		}
	}
}

func TestUnknownLayouts(t *testing.T) {
	type want struct {
		name   string
		fields map[registre.Field][]string // exact values, in order
	}
	tests := []struct {
		file    string
		org     string
		date    string // as printed
		records []want
	}{
		{
			file: "cpam-registre.md", org: "CPAM de la Gironde", date: "15 mars 2022",
			records: []want{
				{"Accueil sur rendez-vous", map[registre.Field][]string{
					registre.FieldReference:      {"1"},
					registre.FieldPurposes:       {"Permettre aux assurés de prendre un rendez-vous avec un conseiller de l'accueil, par téléphone ou sur le compte ameli"},
					registre.FieldLegalBasis:     {"Mission d'intérêt public (article 6-1-e du RGPD)"},
					registre.FieldDataCategories: {"Identité (nom, prénom, NIR)", "Coordonnées (téléphone, adresse électronique)", "Motif du rendez-vous"},
					registre.FieldRetention:      {"3 mois après la date du rendez-vous"},
					registre.FieldTransfers:      {"non"},
					registre.FieldController:     {"Directeur général de la CPAM de la Gironde"},
					registre.FieldDPO:            {"dpo.cpam-gironde@assurance-maladie.fr"},
				}},
				{"Gestion des réclamations", map[registre.Field][]string{
					registre.FieldRecipients: {"Service relations clients ; médiateur de la CPAM"},
					registre.FieldRetention:  {"5 ans à compter de la clôture de la réclamation"},
					registre.FieldSecurity:   nil,
				}},
				{"Vidéoprotection des locaux", map[registre.Field][]string{
					registre.FieldProcessors: {"Société de télésurveillance"},
					registre.FieldRetention:  {"30 jours"},
				}},
			},
		},
		{
			file: "cpam-registre-tableau.md", org: "CPAM du Rhône",
			records: []want{
				{"Téléconsultation des dossiers", map[registre.Field][]string{
					registre.FieldDataCategories: {"Identité, NIR, pièces justificatives"},
					registre.FieldRetention:      {"2 ans"},
				}},
				{"Enquêtes de satisfaction", map[registre.Field][]string{
					registre.FieldLegalBasis: {"Intérêt légitime"},
				}},
				// "Ligne d'écoute des agents" has only a name: not a record.
			},
		},
		{
			file: "caf-notice.html", org: "Caf de la Gironde",
			records: []want{
				{"Prise de rendez-vous en ligne", map[registre.Field][]string{
					registre.FieldPurposes:       {"permettre aux allocataires de prendre rendez-vous avec un conseiller de la Caf"},
					registre.FieldLegalBasis:     {"l'exécution d'une mission d'intérêt public (article 6-1-e du RGPD)"},
					registre.FieldDataCategories: {"nom, prénom, numéro d'allocataire, adresse électronique et motif du rendez-vous"},
					registre.FieldRecipients:     {"conseillers de la Caf chargés de l'accueil"},
					registre.FieldRetention:      {"6 mois après la date du rendez-vous"},
					registre.FieldRightsContact:  {"délégué à la protection des données de la Caf, 12 rue du Palais, 33000 Bordeaux"},
				}},
				{"Enquête de satisfaction", map[registre.Field][]string{
					registre.FieldPurposes:       {"Mesurer la qualité du service rendu et améliorer l'accueil"},
					registre.FieldDataCategories: {"adresse électronique", "réponses au questionnaire"},
					registre.FieldRetention:      {"Les réponses sont anonymisées au bout de 12 mois"},
				}},
			},
		},
		{
			file: "urssaf-registre-tableau.html", org: "Urssaf Aquitaine", date: "2 février 2023",
			records: []want{
				{"Recouvrement amiable", map[registre.Field][]string{
					registre.FieldPurposes:       {"Relancer les cotisants débiteurs", "Proposer des échéanciers de paiement"},
					registre.FieldDataSubjects:   {"Cotisants (employeurs, travailleurs indépendants)"},
					registre.FieldDataCategories: {"Identification du cotisant", "Montants dus", "Coordonnées bancaires"},
					registre.FieldRetention:      {"10 ans après l'apurement de la dette"},
					registre.FieldTransfers:      {"Non"},
					registre.FieldLegalBasis:     {"Obligation légale"},
				}},
				{"Contrôle comptable d'assiette", map[registre.Field][]string{
					registre.FieldRecipients: {"Inspecteurs du recouvrement"},
				}},
				// "Newsletter" has a purpose and nothing else: not a record.
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			doc := read(t, tt.file)
			if s := (Parser{}).Detect(doc); s >= 0.5 || s <= 0 {
				t.Errorf("Detect = %v, want in (0, 0.5): a fallback never claims a document", s)
			}
			recs, err := Parser{}.Extract(context.Background(), doc)
			if err != nil {
				t.Fatal(err)
			}
			if len(recs) != len(tt.records) {
				var names []string
				for _, r := range recs {
					names = append(names, strings.Join(vals(r, registre.FieldName), "|"))
				}
				t.Fatalf("records = %d %q, want %d", len(recs), names, len(tt.records))
			}
			for i, w := range tt.records {
				r := recs[i]
				if got := vals(r, registre.FieldName); len(got) != 1 || got[0] != w.name {
					t.Errorf("record %d name = %q, want %q", i, got, w.name)
				}
				if r.DocumentDate != tt.date {
					t.Errorf("record %d document date = %q, want %q", i, r.DocumentDate, tt.date)
				}
				if r.Organisation != tt.org {
					t.Errorf("record %d organisation = %q, want %q", i, r.Organisation, tt.org)
				}
				for f, want := range w.fields {
					got := vals(r, f)
					if strings.Join(got, "\x00") != strings.Join(want, "\x00") {
						t.Errorf("record %q %s = %q, want %q", w.name, f, got, want)
					}
				}
			}
			checkEvidence(t, doc, recs)
		})
	}
}

// TestNoProcessing: documents that describe no processing give no record
// and no value: a vendor's compliance statement (its « 90 jours » is a
// portability delay, not a retention), a DPO guide with a blank form and a
// notice template, a blank form, a user guide.
func TestNoProcessing(t *testing.T) {
	for _, name := range []string{"cerig-cgu.html", "cerig-cgu.txt", "cgss-rgpd-crise.docx", "cgss-rgpd-crise.txt", "formulaire-vierge.html", "guide-utilisateur.md"} {
		t.Run(name, func(t *testing.T) {
			doc := read(t, name)
			recs, err := Parser{}.Extract(context.Background(), doc)
			if err != nil {
				t.Fatal(err)
			}
			if len(recs) != 0 {
				t.Errorf("records = %d (%+v), want 0", len(recs), recs[0].Fields)
			}
		})
	}
	// Not even a stray retention value (the CERIG « 90 jours », the guide's
	// « 15 jours » for files on a server, the form's hints).
	for _, name := range []string{"cerig-cgu.html", "cerig-cgu.txt", "cgss-rgpd-crise.docx", "cgss-rgpd-crise.txt", "formulaire-vierge.html", "guide-utilisateur.md"} {
		doc := read(t, name)
		for _, e := range walk(doc) {
			if e.kind == entField && (e.field == registre.FieldRetention || e.field == registre.FieldPurposes) {
				t.Errorf("%s: %s %q read from %q", name, e.field, e.value.Text, doc.Text[e.value.Start:e.value.End])
			}
		}
	}
}

func TestMeaningful(t *testing.T) {
	tests := map[string]bool{
		"3 mois après la date du rendez-vous": true,
		"non":                                 true,
		"Cliquez ici pour taper du texte.":    false,
		"[détail des données personnelles]":   false,
		"de [semaines/mois/années]":           false,
		"________":                            false,
		"Précisez les publics concernés":      false,
		"☐ Identité ☐ NIR":                    false,
		"☒ Identité ☐ NIR":                    true,
		"À compléter":                         false,
		"vous devez définir la finalité de chacune de vos opérations": false,
		"A déterminer selon la finalité précisée":                     false,
		"Assurés (dont NIR)": true,
		"Une analyse des risques a-t-elle été réalisée ?": false,
		"(hébergement, sous-traitance, partenariat…)":     false,
		"Cliquer sur Afficher pour lancer la recherche":   false,
		"Sélectionnez les destinataires":                  false,
	}
	for in, want := range tests {
		if got := meaningful(in); got != want {
			t.Errorf("meaningful(%q) = %v, want %v", in, got, want)
		}
	}
}

// TestLabelShapes: the same record written in each shape the fallback
// reads gives the same values.
func TestLabelShapes(t *testing.T) {
	shapes := map[string]string{
		"label lines":                     "## Paie des agents\n\nFinalité : Calculer et verser la paie\nDurée de conservation : 5 ans\n",
		"no spaces around colon and NBSP": "## Paie des agents\n\nFinalité:Calculer et verser la paie\nDurée de conservation\u00a0: 5 ans\n",
		"label paragraphs":                "## Paie des agents\n\n**Finalité**\n\nCalculer et verser la paie\n\n**Durée de conservation**\n\n5 ans\n",
		"flat label headings":             "## Paie des agents\n\n## Finalité\n\nCalculer et verser la paie\n\n## Durée de conservation\n\n5 ans\n",
		"label headings":                  "## Paie des agents\n\n### Finalité\n\nCalculer et verser la paie\n\n### Durée de conservation\n\n5 ans\n",
		"markdown table":                  "| Nom du traitement | Finalité | Durée de conservation |\n|---|---|---|\n| Paie des agents | Calculer et verser la paie | 5 ans |\n",
		"two-column table":                "| Rubrique | Contenu |\n|---|---|\n| Nom du traitement | Paie des agents |\n| Finalité | Calculer et verser la paie |\n| Durée de conservation | 5 ans |\n",
		"bullets with bold labels":        "# Registre\n\n- **Nom du traitement** : Paie des agents\n- **Finalité(s)** : Calculer et verser la paie\n- **Durée de conservation** : 5 ans\n",
	}
	for name, src := range shapes {
		t.Run(name, func(t *testing.T) {
			doc, err := text.Read(context.Background(), "r.md", []byte(src))
			if err != nil {
				t.Fatal(err)
			}
			recs, err := Parser{}.Extract(context.Background(), doc)
			if err != nil {
				t.Fatal(err)
			}
			if len(recs) != 1 {
				t.Fatalf("records = %d, want 1", len(recs))
			}
			r := recs[0]
			for f, want := range map[registre.Field]string{
				registre.FieldName: "Paie des agents", registre.FieldPurposes: "Calculer et verser la paie", registre.FieldRetention: "5 ans",
			} {
				if got := vals(r, f); len(got) != 1 || got[0] != want {
					t.Errorf("%s = %q, want %q", f, got, want)
				}
			}
			if r.Key != labels.Norm("Paie des agents") {
				t.Errorf("key = %q", r.Key)
			}
			checkEvidence(t, doc, recs)
		})
	}
}

// TestRecordRule: a purpose alone, or elements without a purpose, are no
// record; a label-only register is split on its repeated name label.
func TestRecordRule(t *testing.T) {
	tests := []struct {
		name, src string
		want      []string
	}{
		{"purpose only", "Finalité : Informer le public\n", nil},
		{"no purpose", "Données traitées : nom\nDurée de conservation : 1 an\n", nil},
		{"name derived from the purpose", "Finalité : Informer le public\nDestinataires : le service communication\n", []string{"Informer le public"}},
		{"repeated name labels", "Nom du traitement : A\nFinalité : fa\nDestinataires : da\nNom du traitement : B\nFinalité : fb\nDurée de conservation : 1 an\n", []string{"A", "B"}},
		{"same heading twice without a page break: two records", "## Statistiques\n\nFinalité : fa\nDestinataires : da\n\n## Statistiques\n\nFinalité : fb\nDestinataires : db\n", []string{"Statistiques", "Statistiques"}},
		{"repeated purposes, no names", "Finalité : fa\nDestinataires : da\nFinalité : fb\nDestinataires : db\n", []string{"fa", "fb"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := text.Read(context.Background(), "r.txt", []byte(tt.src))
			if err != nil {
				t.Fatal(err)
			}
			recs, _ := Parser{}.Extract(context.Background(), doc)
			var got []string
			for _, r := range recs {
				got = append(got, vals(r, registre.FieldName)...)
			}
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("names = %q, want %q", got, tt.want)
			}
			for _, r := range recs {
				p, _ := r.First(registre.FieldPurposes)
				if v, _ := r.First(registre.FieldName); v.Start == p.Start && v.Confidence > confDerived {
					t.Errorf("a derived name must carry the lowest confidence: %+v", v)
				}
			}
		})
	}
}

func FuzzExtract(f *testing.F) {
	f.Add("## A\n\nFinalité : x\nDestinataires : y\n")
	f.Add("| Nom du traitement | Finalité | Destinataires |\n|---|---|---|\n| a | b | c |\n| | | |\n")
	f.Add("### Finalité\n\n**Durée de conservation**\nCe traitement a pour finalité de x. Vos données sont conservées 3 ans.\n")
	f.Add("## 1. \n- **Finalité** :\n  - o\n[x]")
	f.Fuzz(func(t *testing.T, s string) {
		doc, err := text.Read(context.Background(), "f.md", []byte(s))
		if err != nil {
			return
		}
		if d := (Parser{}).Detect(doc); d < 0 || d >= 0.5 {
			t.Fatalf("Detect = %v", d)
		}
		recs, err := Parser{}.Extract(context.Background(), doc)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range recs {
			_, p := r.First(registre.FieldPurposes)
			_, sp := r.First(registre.FieldSubPurposes)
			if !p && !sp {
				t.Fatal("record without purpose")
			}
			if _, ok := r.First(registre.FieldName); !ok {
				t.Fatal("record without name")
			}
			for fld, vs := range r.Fields {
				for _, v := range vs {
					if v.Start < 0 || v.End > len(doc.Text) || v.Start > v.End || v.Text == "" || v.Confidence > 0.6 {
						t.Fatalf("%s: bad value %+v", fld, v)
					}
				}
			}
		}
	})
}

func BenchmarkExtract(b *testing.B) {
	for _, name := range []string{"cpam-registre.md", "cerig-cgu.html"} {
		doc, err := ingest.ReadFile(context.Background(), filepath.Join(fixtures, name), ingest.Options{})
		if err != nil {
			b.Fatal(err)
		}
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				Parser{}.Extract(context.Background(), doc)
			}
		})
	}
}
