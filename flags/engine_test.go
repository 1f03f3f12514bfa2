package flags

import (
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"registre"
)

func cramifCovid() registre.Record {
	r := clean()
	r.ID, r.Organisation = "cramif-covid", "Cramif"
	r.Source = registre.Source{Path: "corpus/cramif-registre.html", Locator: "div[73]"}
	r.Name = "Contact Covid"
	r.Purposes = []string{"Identifier les cas contacts des patients positifs au Covid-19 et les accompagner"}
	r.Retention.Text = registre.Str("3 mois après la collecte")
	r.LegalBases = []registre.LegalBasis{{Code: "6-1-e"}}
	return r
}

func cnamCovid() registre.Record {
	r := clean()
	r.ID, r.Organisation = "cnam-f58", "Cnam"
	r.Source = registre.Source{Path: "corpus/cnam-registre.pdf", Locator: "fiche 58", Pages: []int{140}}
	r.Name = "Organiser et réaliser les opérations de Contact COVID"
	r.Purposes = []string{"Identifier les cas contacts des patients positifs au Covid-19, les informer et les accompagner"}
	r.Retention.Text = registre.Str("12 mois après leur collecte")
	r.LegalBases = []registre.LegalBasis{{Code: "6-1-c"}, {Code: "6-1-e"}}
	return r
}

func unrelated(org, id, name, purpose string) registre.Record {
	r := clean()
	r.ID, r.Organisation, r.Name = id, org, name
	r.Purposes = []string{purpose}
	return r
}

func corpus() []registre.Record {
	return []registre.Record{
		cramifCovid(),
		unrelated("Cramif", "cramif-wifi", "Points d'accès à Internet sans fil", "Fournir un accès wifi aux visiteurs"),
		unrelated("Cramif", "cramif-paie", "Paie du personnel", "Calculer et verser les salaires des agents"),
		cnamCovid(),
		unrelated("Cnam", "cnam-f1", "Gérer les immatriculations et les affiliations", "Immatriculer les assurés et gérer leur affiliation"),
		unrelated("Cnam", "cnam-f86", "Assurer la sécurité des personnes et des biens", "Vidéosurveillance et contrôle d'accès aux locaux"),
	}
}

func flagsOf(r registre.Record, code string) []registre.Flag {
	var out []registre.Flag
	for _, f := range r.Flags {
		if f.Code == code {
			out = append(out, f)
		}
	}
	return out
}

func TestCrossRegisterDivergence(t *testing.T) {
	recs := corpus()
	New(WithNow(testNow)).Check(recs)
	for i, r := range recs {
		got := flagsOf(r, "cross_register_divergence")
		covid := r.ID == "cramif-covid" || r.ID == "cnam-f58"
		if !covid {
			if len(got) != 0 {
				t.Errorf("%s: unexpected divergence %s", r.ID, got[0].Message)
			}
			continue
		}
		rules := map[string]registre.Flag{}
		for _, f := range got {
			rules[f.Rule] = f
		}
		ret, ok := rules["XRG-001"]
		if !ok {
			t.Fatalf("%s (%d): no retention divergence, flags %v", r.ID, i, r.Flags)
		}
		for _, want := range []string{"3 mois après la collecte", "12 mois après leur collecte", "corpus/cramif-registre.html", "corpus/cnam-registre.pdf"} {
			if !strings.Contains(ret.Message, want) {
				t.Errorf("%s: message lacks %q: %s", r.ID, want, ret.Message)
			}
		}
		if _, ok := rules["XRG-002"]; !ok {
			t.Errorf("%s: no legal-basis divergence (6-1-e vs 6-1-c, 6-1-e)", r.ID)
		}
	}
}

func TestCrossRegisterSameValues(t *testing.T) {
	for _, tc := range []struct{ a, b string }{
		{"3 mois après la collecte", "3 mois après leur collecte"},
		{"30 jours", "1 mois"},
		{"cinq ans", "5 ans après la clôture"},
	} {
		a, b := cramifCovid(), cnamCovid()
		a.Retention.Text, b.Retention.Text = registre.Str(tc.a), registre.Str(tc.b)
		b.LegalBases = a.LegalBases
		recs := []registre.Record{a, b}
		New(WithNow(testNow)).Check(recs)
		for _, r := range recs {
			if fs := flagsOf(r, "cross_register_divergence"); len(fs) != 0 {
				t.Errorf("%q vs %q: unexpected %s", tc.a, tc.b, fs[0].Message)
			}
		}
	}
}

func TestDuplicates(t *testing.T) {
	a := unrelated("Cramif", "cramif-wifi", "Points d'Accès à Internet sans fil", "Fournir un accès wifi aux visiteurs.")
	b := a
	b.ID, b.Source = "cramif-wifi-docx", registre.Source{Path: "declarations/wifi.docx"}
	b.Name = "POINTS D'ACCES A INTERNET SANS FIL" // same name, other case and accents
	c := a
	c.ID, c.Organisation = "cpam-wifi", "CPAM de Paris" // another body: not a duplicate
	d := a
	d.ID, d.Purposes = "cramif-wifi-2", []string{"Fournir un accès wifi aux salariés"} // other purpose
	recs := []registre.Record{a, b, c, d}
	New(WithNow(testNow)).Check(recs)
	want := map[string]bool{"cramif-wifi": true, "cramif-wifi-docx": true}
	for _, r := range recs {
		got := flagsOf(r, "duplicate_record")
		if want[r.ID] != (len(got) == 1) {
			t.Errorf("%s: duplicate flags %v", r.ID, got)
			continue
		}
		if len(got) == 1 && r.ID == "cramif-wifi" && !strings.Contains(got[0].Message, "declarations/wifi.docx") {
			t.Errorf("message should name the other copy: %s", got[0].Message)
		}
	}
	// The same record given twice (same file, same place) is not a duplicate.
	same := []registre.Record{a, a}
	New(WithNow(testNow)).Check(same)
	if fs := flagsOf(same[0], "duplicate_record"); len(fs) != 0 {
		t.Errorf("same occurrence flagged: %v", fs)
	}
}

func TestEvidenceSpanFromProvenance(t *testing.T) {
	// The document text the record was read from: the retention value sits
	// at offset 100, verbatim.
	value := "Suivant décision nationale"
	r := clean()
	r.Retention.Text = registre.Str(value)
	r.Provenance = map[string]registre.Provenance{"retention.text": {Start: 100, End: 100 + len(value)}}
	f := findRule(New(WithNow(testNow)).CheckRecord(&r), "RET-002")
	if f == nil || f.Start == nil || f.End == nil {
		t.Fatalf("no span: %+v", f)
	}
	if *f.Start != 100 || *f.End != 100+len(value) || deref(f.Evidence) != value || deref(f.Field) != "retention.text" {
		t.Errorf("span %d-%d evidence %q field %q", *f.Start, *f.End, deref(f.Evidence), deref(f.Field))
	}
	if !strings.Contains(f.Message, "renvoie seulement à « Suivant décision nationale »") {
		t.Errorf("message does not quote the pointer: %s", f.Message)
	}

	// A clause inside a longer list item: the span narrows to the clause.
	item := "Salariés : nom, prénom. Patients : dossier médical dentaire, radiographies"
	r = clean()
	health(item)(&r)
	r.Provenance = map[string]registre.Provenance{"data_categories[1]": {Start: 500, End: 500 + len(item)}}
	f = findRule(New(WithNow(testNow)).CheckRecord(&r), "ART9-001")
	if f == nil || f.Start == nil {
		t.Fatalf("no span: %+v", f)
	}
	ev := deref(f.Evidence)
	if item[*f.Start-500:*f.End-500] != ev || !strings.Contains(ev, "dossier médical dentaire") || strings.Contains(ev, "Salariés") {
		t.Errorf("evidence %q at %d-%d", ev, *f.Start, *f.End)
	}
}

func TestCheckIsDeterministicAndKeepsReviewDecisions(t *testing.T) {
	e := New(WithNow(testNow))
	a := corpus()
	a[1].Retention.Text = registre.Str("/")
	b := corpus()
	b[1].Retention.Text = registre.Str("/")
	e.Check(a)
	e.Check(b)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("two runs over the same records differ")
	}
	// A reviewer dismisses the missing-retention flag and adds a note flag
	// of their own; re-running keeps both.
	for i := range a[1].Flags {
		if a[1].Flags[i].Code == "missing_retention" {
			a[1].Flags[i].Status = "dismissed"
		}
	}
	a[1].Flags = append(a[1].Flags, registre.Flag{Code: "extraction_warning", Severity: "info", Message: "page tronquée", Status: "open"})
	e.Check(a)
	var dismissed, note bool
	for _, f := range a[1].Flags {
		if f.Code == "missing_retention" && f.Status == "dismissed" {
			dismissed = true
		}
		if f.Code == "extraction_warning" {
			note = true
		}
	}
	if !dismissed || !note {
		t.Errorf("dismissed=%v note=%v: %+v", dismissed, note, a[1].Flags)
	}
	// Once the evidence changes the flag is new again.
	a[1].Retention.Text = registre.Str("à compléter")
	e.Check(a)
	for _, f := range a[1].Flags {
		if f.Code == "missing_retention" && f.Status != "open" {
			t.Errorf("changed evidence kept status %q", f.Status)
		}
	}
	// Order: errors first.
	for _, r := range a {
		for i := 1; i < len(r.Flags); i++ {
			if severityRank[r.Flags[i-1].Severity] > severityRank[r.Flags[i].Severity] {
				t.Errorf("%s: flags not sorted by severity", r.ID)
			}
		}
	}
}

func TestEveryRuleIsComplete(t *testing.T) {
	e := New()
	seen := map[string]bool{}
	codes := map[string]bool{}
	for _, r := range e.Rules() {
		if seen[r.ID] {
			t.Errorf("duplicate rule id %s", r.ID)
		}
		seen[r.ID] = true
		codes[r.Code] = true
		if r.Code == "" || r.Version < 1 || r.Title == "" || r.Message == "" || r.Why == "" || r.Fix == "" || r.Citation == "" {
			t.Errorf("%s lacks a field: %+v", r.ID, r)
		}
		if _, ok := severityRank[r.Severity]; !ok {
			t.Errorf("%s: severity %q", r.ID, r.Severity)
		}
		if d := parseDay(r.Effective); d.IsZero() {
			t.Errorf("%s: effective date %q", r.ID, r.Effective)
		}
	}
	// Every code of the contract catalogue (../shared/contract/flags.md).
	for _, c := range []string{"missing_retention", "vague_retention", "privacy_shield", "transfer_without_safeguard",
		"missing_legal_basis", "missing_purpose", "missing_data_categories", "missing_recipients",
		"missing_security_measures", "outdated_legal_reference", "health_data_without_art9",
		"transfer_contradiction", "duplicate_record", "cross_register_divergence"} {
		if !codes[c] {
			t.Errorf("no rule raises %s", c)
		}
	}
}

// FuzzDetectors feeds arbitrary text to every free-text detector: no panic,
// evidence always quoted from a field value, spans inside the value.
func FuzzDetectors(f *testing.F) {
	for _, s := range []string{
		"Suivant décision nationale", "Pas de suppression des données", "Aut O’ Mattic Ltd.", "oui : États-Unis, Privacy Shield",
		"délibération CNIL n° 02-017 du 21 mars 2002", "articles 39 et suivants de la loi n°78-17", "L. 161-28-1",
		"jusqu'au 31/12/2026", "vingt-quatre mois", "Correspondant Informatique et Libertés (CIL)", "\u00a0é\xff\xfe",
		"a pris fin au 31/01/2023", "Données de santé anonymisées", "L. ", "n°", "Meta", "ZOOM",
	} {
		f.Add(s)
	}
	e := New(WithNow(testNow))
	f.Fuzz(func(t *testing.T, s string) {
		r := clean()
		r.Retention.Text = registre.Str(s)
		r.DataCategories = []string{s}
		r.Transfers.Text = registre.Str(s)
		r.Transfers.OutsideEU = nil
		r.LegalBasisText = registre.Str(s)
		r.SecurityMeasures = []string{s}
		r.Processors = []string{s}
		r.Provenance = map[string]registre.Provenance{"retention.text": {Start: 7, End: 7 + len(s)}}
		recs := []registre.Record{r, r}
		recs[1].Organisation = "Autre caisse"
		e.Check(recs)
		for _, fl := range recs[0].Flags {
			ev := deref(fl.Evidence)
			if !utf8.ValidString(s) {
				continue
			}
			if ev != "" && !strings.Contains(s, strings.TrimSuffix(ev, "…")) && fl.Rule != "DUP-001" && fl.Rule != "XRG-002" {
				t.Errorf("%s evidence %q not from the value %q", fl.Rule, ev, s)
			}
			if fl.Start != nil && (*fl.Start < 7 || *fl.End > 7+len(s) || *fl.Start > *fl.End) {
				t.Errorf("%s span %d-%d outside the value", fl.Rule, *fl.Start, *fl.End)
			}
		}
	})
}
