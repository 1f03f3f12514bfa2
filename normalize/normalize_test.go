package normalize

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"registre"
)

func rv(text string, start int) registre.RawValue {
	return registre.RawValue{Text: text, Start: start, End: start + len(text), Locator: "h2 #2", Method: registre.MethodRule, Confidence: 0.9, Label: "label"}
}

func cramifRaw() registre.RawRecord {
	r := registre.RawRecord{Layout: "cramif-bullets", Organisation: "Cramif", Locator: "h2 #2", Pages: []int{1}}
	r.Add(registre.FieldName, rv("Gestion des dossiers oppositions", 100))
	r.Add(registre.FieldJointControllers, rv("non", 150))
	r.Add(registre.FieldPurposes, rv("Assurer le suivi des demandes d'opposition reçues (ALIOPP) Calculer la quotité saisissable à retenir sur les prestations", 200))
	r.Add(registre.FieldBusinessUnit, rv("Direction financière et comptable", 330))
	r.Add(registre.FieldDataCategories, rv("Assuré/Débiteur : nom, prénom, NIR, adresse, date de naissance, date de décès, ouverture des droits, montant de la créance et détails de la procédure liée à l'opposition, organisme de rattachement (CPAM). Agent : nom, prénom, numéros de dossiers gérés, date de saisie et date de traitement. Opposant/Tiers saisisseur : dénomination, civilité, adresse, référence, type d'opposant, coordonnées bancaires et de contact.", 400))
	r.Add(registre.FieldRecipientsInternal, rv("agents habilités de la Direction Comptable et Financière, agents du Département des Affaires Juridiques le cas échéant", 900))
	r.Add(registre.FieldRecipientsExternal, rv("les assurés et les tiers saisisseurs pour les courriers envoyés", 1000))
	r.Add(registre.FieldTransfers, rv("non\u00a0", 1100))
	r.Add(registre.FieldRetention, rv("en adéquation avec la conservation des pièces justificatives. 6 ans à partir du solde de la créance.", 1200))
	r.Add(registre.FieldProcessors, rv("non", 1300))
	r.Add(registre.FieldSecurity, rv("Techniques : sécurisation PASSEPORT. Organisationnelles : habilitations spécifiques.", 1400))
	r.Add(registre.FieldRights, rv("délégué à la protection des données (DPO)", 1500))
	r.Add(registre.FieldImplementationDate, rv("1er mars 1994", 1600))
	r.Add(registre.FieldAttachments, registre.RawValue{Text: "Acte réglementaire pdf - 75.47 Ko", Href: "/files/acte.pdf", Start: 1700, End: 1733})
	return r
}

func TestRecordCramif(t *testing.T) {
	doc := &registre.Document{Path: "corpus/cramif-registre.html", Format: registre.FormatHTML, SHA256: strings.Repeat("a", 64), Title: "Registre des traitements"}
	rec := Record(doc, cramifRaw())

	if rec.SchemaVersion != "1" || rec.Organisation != "Cramif" || rec.Name != "Gestion des dossiers oppositions" {
		t.Fatalf("header: %+v", rec)
	}
	if rec.Source.Path != doc.Path || rec.Source.Format != registre.FormatHTML || rec.Source.SHA256 != doc.SHA256 || rec.Source.Locator != "h2 #2" {
		t.Errorf("source = %+v", rec.Source)
	}
	if len(rec.JointControllers) != 0 || len(rec.Processors) != 0 {
		t.Errorf("'non' lists must be empty: %v %v", rec.JointControllers, rec.Processors)
	}
	if rec.Transfers.Text == nil || *rec.Transfers.Text != "non" || rec.Transfers.OutsideEU == nil || *rec.Transfers.OutsideEU {
		t.Errorf("transfers = %+v", rec.Transfers)
	}
	wantCats := []string{
		"Assuré/Débiteur : nom, prénom, NIR, adresse, date de naissance, date de décès, ouverture des droits, montant de la créance et détails de la procédure liée à l'opposition, organisme de rattachement (CPAM).",
		"Agent : nom, prénom, numéros de dossiers gérés, date de saisie et date de traitement.",
		"Opposant/Tiers saisisseur : dénomination, civilité, adresse, référence, type d'opposant, coordonnées bancaires et de contact.",
	}
	if strings.Join(rec.DataCategories, "|") != strings.Join(wantCats, "|") {
		t.Errorf("categories = %q", rec.DataCategories)
	}
	if strings.Join(rec.DataSubjects, "|") != "Assuré/Débiteur|Agent|Opposant/Tiers saisisseur" {
		t.Errorf("subjects = %q", rec.DataSubjects)
	}
	if rec.Sensitive.NIR == nil || !*rec.Sensitive.NIR || rec.Sensitive.Health == nil || *rec.Sensitive.Health {
		t.Errorf("sensitive = %v %v", rec.Sensitive.Health, rec.Sensitive.NIR)
	}
	if rec.ImplementationDate == nil || *rec.ImplementationDate != "1994-03-01" {
		t.Errorf("date = %v", rec.ImplementationDate)
	}
	if rec.Rights.Contact == nil || *rec.Rights.Contact != "délégué à la protection des données (DPO)" || rec.Rights.Text != nil {
		t.Errorf("rights = %+v", rec.Rights)
	}
	if len(rec.Attachments) != 1 || rec.Attachments[0].Label != "Acte réglementaire" || *rec.Attachments[0].Size != "75.47 Ko" || *rec.Attachments[0].Href != "/files/acte.pdf" {
		t.Errorf("attachments = %+v", rec.Attachments)
	}
	p, ok := rec.Provenance["retention.text"]
	if !ok || p.Start != 1200 || p.Method != registre.MethodRule || p.Confidence != 0.9 || p.Locator != "h2 #2" {
		t.Errorf("provenance retention.text = %+v", p)
	}
	if _, ok := rec.Provenance["data_subjects"]; !ok {
		t.Error("derived data_subjects has no provenance")
	}
	// Lists encode as [], never null.
	b, _ := json.Marshal(rec)
	for _, k := range []string{`"sub_purposes":[]`, `"legal_bases":[]`, `"flags":[]`, `"lineage":[]`, `"persons_with_access":[]`} {
		if !strings.Contains(string(b), k) {
			t.Errorf("JSON lacks %s", k)
		}
	}
}

func TestIDStableAndIndependentOfSource(t *testing.T) {
	raw := cramifRaw()
	a := Record(&registre.Document{Path: "a.html", SHA256: strings.Repeat("1", 64)}, raw)
	b := Record(&registre.Document{Path: "other/b.pdf", SHA256: strings.Repeat("2", 64)}, raw)
	if a.ID != b.ID {
		t.Fatalf("id depends on path/bytes: %s vs %s", a.ID, b.ID)
	}
	if !strings.HasPrefix(a.ID, "cramif-") || len(a.ID) != len("cramif-")+12 {
		t.Errorf("id shape = %s", a.ID)
	}
	// Same name with other case/accents/spaces → same id; other org → other id.
	raw2 := cramifRaw()
	raw2.Fields[registre.FieldName][0].Text = "  GESTION des dossiers  Oppositions "
	raw2.Organisation = "CRAMIF"
	if c := Record(nil, raw2); c.ID != a.ID {
		t.Errorf("normalized name/org should give the same id: %s vs %s", c.ID, a.ID)
	}
	raw3 := cramifRaw()
	raw3.Organisation = "Cnam"
	if c := Record(nil, raw3); c.ID == a.ID {
		t.Error("other organisation, same id")
	}
	// A key wins over the name.
	raw4 := cramifRaw()
	raw4.Key = "Fiche 12"
	raw5 := cramifRaw()
	raw5.Key = "Fiche 12"
	raw5.Fields[registre.FieldName][0].Text = "Renamed"
	if Record(nil, raw4).ID != Record(nil, raw5).ID {
		t.Error("key should decide the id")
	}
}

func TestRecordsDuplicates(t *testing.T) {
	raws := []registre.RawRecord{cramifRaw(), cramifRaw(), cramifRaw()}
	other := cramifRaw()
	other.Fields[registre.FieldName][0].Text = "AGATA"
	raws = append(raws, other)
	recs := Records(nil, raws)
	if len(recs) != 4 {
		t.Fatalf("got %d records", len(recs))
	}
	if recs[1].ID != recs[0].ID+"-2" || recs[2].ID != recs[0].ID+"-3" {
		t.Errorf("duplicate ids: %s %s %s", recs[0].ID, recs[1].ID, recs[2].ID)
	}
	if strings.HasSuffix(recs[3].ID, "-2") {
		t.Errorf("distinct record suffixed: %s", recs[3].ID)
	}
	again := Records(nil, raws)
	for i := range recs {
		if recs[i].ID != again[i].ID {
			t.Errorf("ids not deterministic at %d", i)
		}
	}
}

func TestNameDerivedFromPurpose(t *testing.T) {
	r := registre.RawRecord{Organisation: "Cnam", Key: "Fiche 3", Locator: "Fiche 3"}
	r.Add(registre.FieldPurposes, rv("Gérer les immatriculations et les affiliations. Produire des statistiques", 10))
	r.Add(registre.FieldPurposes, rv("Autre finalité", 90))
	rec := Record(nil, r)
	if rec.Name != "Gérer les immatriculations et les affiliations" {
		t.Errorf("name = %q", rec.Name)
	}
	p := rec.Provenance["name"]
	if p.Derived == "" || p.Start != 10 {
		t.Errorf("name provenance = %+v", p)
	}
	empty := Record(nil, registre.RawRecord{Organisation: "Cnam", Locator: "Fiche 9"})
	if empty.Name == "" || empty.Provenance["name"].Derived == "" {
		t.Errorf("record without name or purpose: %q %+v", empty.Name, empty.Provenance["name"])
	}
}

func TestPlaceholdersSkipped(t *testing.T) {
	r := registre.RawRecord{Organisation: "Cramif"}
	r.Add(registre.FieldName, rv("X", 0))
	r.Add(registre.FieldRecipientsExternal, rv("/", 5))
	r.Add(registre.FieldPurposes, rv("\u00a0Finalité\u00a0", 10))
	r.Add(registre.FieldPurposes, rv(" ", 20))
	r.Add(registre.FieldRetention, rv("/", 30))
	rec := Record(nil, r)
	if len(rec.Recipients.External) != 0 {
		t.Errorf("'/' kept: %q", rec.Recipients.External)
	}
	if len(rec.Purposes) != 1 || rec.Purposes[0] != "Finalité" {
		t.Errorf("purposes = %q", rec.Purposes)
	}
	if rec.Retention.Text != nil {
		t.Errorf("placeholder retention kept: %q", *rec.Retention.Text)
	}
}

func regexpMust(s string) *regexp.Regexp { return regexp.MustCompile(s) }

func TestUnreadableDateKeepsEvidence(t *testing.T) {
	r := registre.RawRecord{Organisation: "Cramif"}
	r.Add(registre.FieldName, rv("X", 0))
	r.Add(registre.FieldImplementationDate, rv("à l'ouverture du centre", 40))
	rec := Record(nil, r)
	if rec.ImplementationDate != nil {
		t.Fatalf("date = %q", *rec.ImplementationDate)
	}
	p, ok := rec.Provenance["implementation_date"]
	if !ok || p.Start != 40 || !strings.Contains(p.Derived, "à l'ouverture du centre") {
		t.Errorf("provenance = %+v", p)
	}
}

func BenchmarkRecords(b *testing.B) {
	raws := make([]registre.RawRecord, 73)
	for i := range raws {
		raws[i] = cramifRaw()
	}
	doc := &registre.Document{Path: "x.html", Format: registre.FormatHTML, SHA256: strings.Repeat("a", 64)}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		Records(doc, raws)
	}
}

// Every list item gets its own evidence span, cut from the value it came from.
func TestItemProvenance(t *testing.T) {
	text := "Données : Assurés : nom, NIR. Agents : matricule.\n"
	doc := &registre.Document{Path: "x.txt", Format: registre.FormatTXT, Text: text}
	raw := registre.RawRecord{Organisation: "Cramif", Key: "k", Fields: map[registre.Field][]registre.RawValue{
		registre.FieldName:           {{Text: "Paie", Start: 0, End: 0, Method: registre.MethodRule, Confidence: 1}},
		registre.FieldPurposes:       {{Text: "payer", Method: registre.MethodRule, Confidence: 1}},
		registre.FieldDataCategories: {{Text: text[10:50], Start: 10, End: 50, Locator: "line 1", Method: registre.MethodRule, Confidence: 1}},
	}}
	rec := Record(doc, raw)
	if len(rec.DataCategories) < 2 {
		t.Fatalf("categories = %q", rec.DataCategories)
	}
	for i, item := range rec.DataCategories {
		p, ok := rec.Provenance[fmt.Sprintf("data_categories[%d]", i)]
		if !ok {
			t.Fatalf("no provenance for item %d", i)
		}
		if got := text[p.Start:p.End]; got != item {
			t.Errorf("item %d span = %q, want %q", i, got, item)
		}
	}
}
