package decision

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"registre"
	"registre/extract/labels"
	"registre/ingest"
	"registre/ingest/text"
)

const fixtures = "../../fixtures/decision"

func readIngest(t *testing.T, name string) *registre.Document {
	t.Helper()
	path := filepath.Join(fixtures, name)
	doc, err := ingest.ReadFile(context.Background(), path, ingest.Options{})
	if err != nil {
		if strings.Contains(err.Error(), "not written yet") {
			t.Skipf("reader for %s not landed yet: %v", name, err)
		}
		t.Fatalf("read %s: %v", name, err)
	}
	return doc
}

func textDoc(t testing.TB, s string) *registre.Document {
	t.Helper()
	doc, err := text.Read(context.Background(), "decision.md", []byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

func values(r registre.RawRecord, f registre.Field) []string {
	var out []string
	for _, v := range r.Fields[f] {
		out = append(out, v.Text)
	}
	return out
}

func anyContains(vs []string, sub string) bool {
	for _, v := range vs {
		if strings.Contains(labels.Fold(v), labels.Fold(sub)) {
			return true
		}
	}
	return false
}

// checkEvidence asserts every value points at its own text in the document:
// same first and last word, every word of the value inside the span, a rule
// method and a confidence.
func checkEvidence(t *testing.T, doc *registre.Document, r registre.RawRecord) {
	t.Helper()
	for f, vs := range r.Fields {
		for _, v := range vs {
			if v.Start < 0 || v.End > len(doc.Text) || v.Start >= v.End {
				t.Errorf("%s %q: span [%d,%d) out of the text", f, v.Text, v.Start, v.End)
				continue
			}
			span := strings.Fields(labels.Fold(strings.NewReplacer("<sup>", "", "</sup>", "", "*", "").Replace(doc.Text[v.Start:v.End])))
			words := strings.Fields(labels.Fold(v.Text))
			if len(words) == 0 || len(span) == 0 || words[0] != span[0] || words[len(words)-1] != span[len(span)-1] {
				t.Errorf("%s %q: span text %q does not start and end like the value", f, v.Text, doc.Text[v.Start:v.End])
			}
			joined := " " + strings.Join(span, " ") + " "
			for _, w := range words {
				if !strings.Contains(joined, w) {
					t.Errorf("%s %q: word %q not in span %q", f, v.Text, w, doc.Text[v.Start:v.End])
				}
			}
			if v.Method != registre.MethodRule || v.Confidence <= 0 || v.Confidence > 1 || v.Locator == "" {
				t.Errorf("%s %q: evidence method=%q confidence=%v locator=%q", f, v.Text, v.Method, v.Confidence, v.Locator)
			}
		}
	}
}

// TestCCMSADecision reads every rendering of the CCMSA decision 14-04: the
// real PDF (through the project's reader and through pdftotext, one block
// per line) and the Markdown text seed.
func TestCCMSADecision(t *testing.T) {
	renderings := []struct {
		name string
		doc  func(t *testing.T) *registre.Document
	}{
		{"pdf via ingest", func(t *testing.T) *registre.Document { return readIngest(t, "ccmsa-decision-14-04.pdf") }},
		{"pdf via pdftotext lines", func(t *testing.T) *registre.Document {
			return pdftotextDoc(t, filepath.Join(fixtures, "ccmsa-decision-14-04.pdf"))
		}},
		{"markdown seed", func(t *testing.T) *registre.Document { return readIngest(t, "ccmsa-decision-14-04.md") }},
	}
	for _, rd := range renderings {
		t.Run(rd.name, func(t *testing.T) {
			doc := rd.doc(t)
			if s := (Parser{}).Detect(doc); s < 0.8 {
				t.Errorf("Detect = %v, want ≥ 0.8", s)
			}
			recs, err := Parser{}.Extract(context.Background(), doc)
			if err != nil {
				t.Fatal(err)
			}
			if len(recs) != 1 {
				t.Fatalf("records = %d, want 1", len(recs))
			}
			r := recs[0]
			if r.Organisation != "MSA Dordogne, Lot et Garonne" {
				t.Errorf("organisation = %q, want the adopting caisse", r.Organisation)
			}
			if r.Key != "decision 14-04" || r.DocumentDate != "2014-07-28" {
				t.Errorf("key %q date %q, want decision 14-04 / 2014-07-28", r.Key, r.DocumentDate)
			}
			one := func(f registre.Field, want string) {
				t.Helper()
				vs := values(r, f)
				if len(vs) == 0 || labels.Fold(vs[0]) != labels.Fold(want) {
					t.Errorf("%s = %q, want first %q", f, vs, want)
				}
			}
			one(registre.FieldName, "services sécurisés extranet 5ème modification portant sur l'assistance aux extranautes")
			one(registre.FieldReference, "14-04")
			one(registre.FieldRecipientsInternal, "les agents MSA habilités à l'assistance aux extranautes")
			if c := values(r, registre.FieldRightsContact); len(c) != 1 {
				t.Errorf("rights contact = %q, want the local one only", c)
			}
			one(registre.FieldController, "Directeur Général de la MSA")
			one(registre.FieldRightsContact, "Directeur Général de la MSA Dordogne, Lot et Garonne ou de l'organisme de MSA")
			one(registre.FieldDataSubjects, "assurés")
			one(registre.FieldDocumentDate, "28/07/2014")
			one(registre.FieldPersonsWithAccess, "les agents MSA en charge de l'assistance aux extranautes et disposant des habilitations ad hoc")
			if act := values(r, registre.FieldRegulatoryAct); len(act) != 1 || !strings.HasPrefix(act[0], "Décision n°14-04 relative à") || !strings.HasSuffix(act[0], "aux extranautes") {
				t.Errorf("regulatory_act = %q", act)
			}
			if p := values(r, registre.FieldPurposes); len(p) != 1 || !strings.HasPrefix(p[0], "répondre aux exigences institutionnelles") {
				t.Errorf("purposes = %q", p)
			}
			if sp := values(r, registre.FieldSubPurposes); len(sp) != 3 || !anyContains(sp[:1], "ses informations de connexion") {
				t.Errorf("sub_purposes = %q, want 3 functions with the nested items kept in the first", sp)
			}
			cats := values(r, registre.FieldDataCategories)
			if len(cats) != 6 || cats[0] != "à l'identification (dont le NIR)" || cats[5] != "à l'historique de navigation" || !anyContains(cats, "la santé (remboursement des soins)") {
				t.Errorf("data_categories = %q", cats)
			}
			lin := values(r, registre.FieldLineage)
			for _, want := range []string{"Décision n°14-04", "n°1142316", "CIL 12-16", "CIL 12-09", "CIL 13-02", "avis réputé favorable de la CNIL en date du 16 avril 2014"} {
				if !anyContains(lin, want) {
					t.Errorf("lineage lacks %q: %q", want, lin)
				}
			}
			if len(lin) != 6 || !strings.HasPrefix(lin[0], "Décision n°14-04") {
				t.Errorf("lineage = %q, want the adopted decision then the 5 visas", lin)
			}
			if lb := values(r, registre.FieldLegalBasis); !anyContains(lb, "Loi n° 78-17") || !anyContains(lb, "Convention d'Objectifs et de Gestion") {
				t.Errorf("legal_basis_text = %q", lb)
			}
			rights := values(r, registre.FieldRights)
			if len(rights) != 3 || !strings.HasPrefix(rights[0], "Le droit d'accès et de rectification") || !anyContains(rights, "droit d'opposition") {
				t.Errorf("rights = %q", rights)
			}
			// Absent from the act: nothing invented.
			for _, f := range []registre.Field{registre.FieldRetention, registre.FieldSecurity, registre.FieldTransfers, registre.FieldProcessors} {
				if vs := values(r, f); len(vs) > 0 {
					t.Errorf("%s = %q, want nothing (the act states none)", f, vs)
				}
			}
			checkEvidence(t, doc, r)
		})
	}
}

// TestVariants covers acts of the same family worded differently: no local
// adoption (the issuer's record, dated by its signature), "Article premier"
// with the text on the heading line, data in a sentence, a retention and a
// security article, articles out of the usual order.
func TestVariants(t *testing.T) {
	tests := []struct {
		name  string
		text  string
		check func(t *testing.T, r registre.RawRecord)
	}{
		{
			name: "national act without adoption",
			text: `CAISSE NATIONALE DE L'ASSURANCE MALADIE DES TRAVAILLEURS SALARIES

Délibération n° 2009-03 relative à un traitement de données à caractère personnel concernant la gestion des rendez-vous des centres d'examens de santé

Le Directeur général,

Vu la loi n° 78-17 du 6 janvier 1978 modifiée ;

Vu le récépissé de déclaration délivré par la CNIL le 2 février 2009 sous le n° 1345678 ;

décide :

Article premier : Il est créé à la Caisse nationale un traitement automatisé ayant pour finalité la gestion des rendez-vous des assurés. Ce traitement a pour objet de planifier les examens périodiques de santé.

Article 2 : Les données à caractère personnel enregistrées sont : l'identité, l'adresse, le numéro de sécurité sociale et les résultats des examens.

Article 3 : Les données sont conservées deux ans à compter du dernier examen.

Article 4 : Les destinataires des données sont : les médecins et infirmiers des centres d'examens de santé.

Article 5 : Des mesures de sécurité sont prises : accès par mot de passe, journalisation des accès.

Article 6 : Le droit d'accès prévu par l'article 39 de la loi du 6 janvier 1978 s'exerce auprès du directeur du centre d'examens de santé.

Fait à Paris, le 1er mars 2009
`,
			check: func(t *testing.T, r registre.RawRecord) {
				if r.Organisation != "Cnam" || r.DocumentDate != "2009-03-01" || r.Key != "decision 2009-03" {
					t.Errorf("organisation %q date %q key %q", r.Organisation, r.DocumentDate, r.Key)
				}
				if got := values(r, registre.FieldName); len(got) != 1 || got[0] != "gestion des rendez-vous des centres d'examens de santé" {
					t.Errorf("name = %q", got)
				}
				if got := values(r, registre.FieldPurposes); len(got) != 1 || got[0] != "planifier les examens périodiques de santé" {
					t.Errorf("purposes = %q", got)
				}
				if got := values(r, registre.FieldDataCategories); len(got) != 1 || !strings.HasPrefix(got[0], "l'identité, l'adresse, le numéro de sécurité sociale") {
					t.Errorf("data = %q", got)
				}
				if got := values(r, registre.FieldRetention); len(got) != 1 || !strings.Contains(got[0], "deux ans à compter du dernier examen") {
					t.Errorf("retention = %q", got)
				}
				if got := values(r, registre.FieldRecipients); len(got) != 1 || got[0] != "les médecins et infirmiers des centres d'examens de santé" {
					t.Errorf("recipients = %q", got)
				}
				if got := values(r, registre.FieldSecurity); len(got) != 1 || !strings.Contains(got[0], "journalisation") {
					t.Errorf("security = %q", got)
				}
				if got := values(r, registre.FieldRightsContact); len(got) != 1 || got[0] != "directeur du centre d'examens de santé" {
					t.Errorf("rights contact = %q", got)
				}
				if got := values(r, registre.FieldLineage); !anyContains(got, "récépissé de déclaration délivré par la CNIL") {
					t.Errorf("lineage = %q", got)
				}
				if got := values(r, registre.FieldImplementationDate); len(got) != 0 {
					t.Errorf("implementation date = %q: a national signature date is not an implementation", got)
				}
			},
		},
		{
			name: "act creating a processing with no purpose phrase",
			text: `Décision n° 07-12 portant création d'un traitement

Vu la loi n° 78-17 du 6 janvier 1978 ;

Vu l'avis de la CNIL du 3 mai 2007 ;

décide :

Article 1er

Il est créé un traitement de suivi des réclamations des assurés.

Article 2

Les informations traitées sont relatives à l'identité et au motif de la réclamation.

Article 3

Les destinataires des données sont, dans la limite de leurs attributions, les agents du service des réclamations.

Article 4

Ces informations sont conservées pendant cinq ans.
`,
			check: func(t *testing.T, r registre.RawRecord) {
				if got := values(r, registre.FieldPurposes); len(got) != 1 || got[0] != "Il est créé un traitement de suivi des réclamations des assurés" {
					t.Errorf("purposes = %q", got)
				}
				if v, _ := r.First(registre.FieldPurposes); v.Confidence > confArticle {
					t.Errorf("a purpose read by position must have a lower confidence, got %v", v.Confidence)
				}
				if got := values(r, registre.FieldDataCategories); len(got) != 1 || got[0] != "à l'identité et au motif de la réclamation" {
					t.Errorf("data = %q", got)
				}
				if got := values(r, registre.FieldRecipientsInternal); len(got) != 1 || got[0] != "les agents du service des réclamations" {
					t.Errorf("recipients = %q", got)
				}
				if got := values(r, registre.FieldRetention); len(got) != 1 || got[0] != "cinq ans" {
					t.Errorf("retention = %q", got)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := textDoc(t, tt.text)
			if s := (Parser{}).Detect(doc); s < 0.5 {
				t.Errorf("Detect = %v", s)
			}
			recs, err := Parser{}.Extract(context.Background(), doc)
			if err != nil {
				t.Fatal(err)
			}
			if len(recs) != 1 {
				t.Fatalf("records = %d, want 1", len(recs))
			}
			tt.check(t, recs[0])
			checkEvidence(t, doc, recs[0])
		})
	}
}

// TestLocalActHTML: a caisse's own act, in HTML, with no number, the
// processing named in quotes, articles on the same line as their heading,
// a retention article and recipients listed after a colon.
func TestLocalActHTML(t *testing.T) {
	doc := readIngest(t, "cpam-somme-acte-esope.html")
	if s := (Parser{}).Detect(doc); s < 0.5 {
		t.Fatalf("Detect = %v", s)
	}
	recs, err := Parser{}.Extract(context.Background(), doc)
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 1 {
		t.Fatalf("records = %d, want 1", len(recs))
	}
	r := recs[0]
	if r.Organisation != "CPAM de la Somme" || r.DocumentDate != "2008-11-03" {
		t.Errorf("organisation %q date %q", r.Organisation, r.DocumentDate)
	}
	want := map[registre.Field][]string{
		registre.FieldName:           {"« ESOPE » de gestion des examens périodiques de santé"},
		registre.FieldPurposes:       {"la gestion des examens périodiques de santé réalisés par le centre d'examens de santé"},
		registre.FieldDataCategories: {"l'identification de l'assuré (nom, prénom, NIR, date de naissance)", "les données de santé recueillies lors de l'examen", "les résultats des examens biologiques"},
		registre.FieldRetention:      {"dix ans à compter du dernier examen"},
		registre.FieldRecipients:     {"les médecins et infirmiers du centre d'examens de santé", "le médecin traitant désigné par l'assuré"},
		registre.FieldRightsContact:  {"médecin responsable du centre d'examens de santé"},
		registre.FieldReference:      nil,
	}
	for f, w := range want {
		if got := values(r, f); strings.Join(got, "|") != strings.Join(w, "|") {
			t.Errorf("%s = %q, want %q", f, got, w)
		}
	}
	lin := values(r, registre.FieldLineage)
	if len(lin) != 2 || !anyContains(lin, "délibération de la CNIL n° 2006-142") || !anyContains(lin, "correspondant informatique et libertés") {
		t.Errorf("lineage = %q", lin)
	}
	if lb := values(r, registre.FieldLegalBasis); len(lb) != 2 || !anyContains(lb, "décret n° 2005-1309") {
		t.Errorf("legal basis = %q", lb)
	}
	checkEvidence(t, doc, r)
}

func TestLocalCaisse(t *testing.T) {
	tests := map[string]string{
		"CAISSE PRIMAIRE D'ASSURANCE MALADIE DE LA SOMME\nActe": "CPAM de la Somme",
		"Caisse primaire d'assurance maladie du Val-de-Marne":   "CPAM du Val-de-Marne",
		"la Caisse d'allocations familiales de l'Hérault, vu …": "CAF de l'Hérault",
		"Caisse générale de sécurité sociale de la Guadeloupe":  "CGSS de la Guadeloupe",
		"aucune caisse nommée":                                  "",
	}
	for in, want := range tests {
		if got := localCaisse(in); got != want {
			t.Errorf("localCaisse(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestDetectOtherLayouts: a register that lists decisions as attachments,
// a CGU page and a form are not acts.
func TestDetectOtherLayouts(t *testing.T) {
	tests := []struct {
		name, text string
	}{
		{"register mentioning a decision", "Suivi des créances\n• Nom du traitement : Suivi des créances\n• Finalité(s) du traitement : Recouvrer\n• Décision ESOPE - pdf 120 Ko\n• Acte réglementaire pdf - 119.09 Ko\n"},
		{"terms of use", "Conditions générales d'utilisation (CGU)\nRGPD\nVoici une synthèse de ce que CERIG a mis en place.\n1er conseil : tenir un registre.\n"},
		{"a law quoted in a notice", "Vu la loi n° 78-17, vous disposez d'un droit d'accès.\nArticle 1 : les présentes conditions s'appliquent.\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if s := (Parser{}).Detect(textDoc(t, tt.text)); s >= 0.5 {
				t.Errorf("Detect = %v, want < 0.5", s)
			}
		})
	}
}

func TestIsoDate(t *testing.T) {
	tests := map[string]string{
		"28/07/2014": "2014-07-28", "1er mars 1994": "1994-03-01", "6 décembre 1993": "1993-12-06",
		"31/13/2014": "", "le": "", "29 octobre 2012": "2012-10-29",
	}
	for in, want := range tests {
		if got := isoDate(in); got != want {
			t.Errorf("isoDate(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzExtract(f *testing.F) {
	seed, err := os.ReadFile(filepath.Join(fixtures, "ccmsa-decision-14-04.md"))
	if err == nil {
		f.Add(string(seed))
	}
	f.Add("Décision n°1\nVu la loi\nVu x\ndécide:\nArticle 1er : a pour but de\nArticle 2 :\n- o \n«\nA X, le 31/02/2014\n")
	f.Add("Article 1\nArticle 2\n• o o\nFait à , le")
	f.Fuzz(func(t *testing.T, s string) {
		doc, err := text.Read(context.Background(), "f.md", []byte(s))
		if err != nil {
			return
		}
		if d := (Parser{}).Detect(doc); d < 0 || d > 1 {
			t.Fatalf("Detect = %v", d)
		}
		recs, err := Parser{}.Extract(context.Background(), doc)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range recs {
			if _, ok := r.First(registre.FieldPurposes); !ok {
				t.Fatal("a record without a purpose")
			}
			for fld, vs := range r.Fields {
				for _, v := range vs {
					if v.Start < 0 || v.End > len(doc.Text) || v.Start > v.End || v.Text == "" {
						t.Fatalf("%s: bad value %+v (text length %d)", fld, v, len(doc.Text))
					}
				}
			}
		}
	})
}

func BenchmarkExtract(b *testing.B) {
	data, err := os.ReadFile(filepath.Join(fixtures, "ccmsa-decision-14-04.md"))
	if err != nil {
		b.Fatal(err)
	}
	doc := textDoc(b, string(data))
	b.ReportAllocs()
	for b.Loop() {
		if recs, _ := (Parser{}).Extract(context.Background(), doc); len(recs) != 1 {
			b.Fatal("no record")
		}
	}
}
