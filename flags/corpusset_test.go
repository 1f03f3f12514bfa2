package flags

import (
	"fmt"
	"math/rand/v2"
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"registre"
)

// corpusChanges runs a Corpus over recs and returns the changed records'
// new corpus flags by id.
func corpusChanges(t *testing.T, e *Engine, recs []registre.Record) map[string][]registre.Flag {
	t.Helper()
	c := e.NewCorpus()
	for i := range recs {
		c.Add(&recs[i])
	}
	out := map[string][]registre.Flag{}
	if err := c.Changes(func(i int, fs []registre.Flag) error {
		out[c.ID(i)] = fs
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

// apply writes changes into recs the way the ingest pass does.
func apply(e *Engine, recs []registre.Record, ch map[string][]registre.Flag) {
	for i := range recs {
		if fs, ok := ch[recs[i].ID]; ok {
			recs[i].Flags = e.ReplaceCorpusFlags(&recs[i], fs)
		}
	}
}

func codes(fs []registre.Flag) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Rule)
	}
	return out
}

// TestCorpusChanges: the corpus pass's life cycle over records flagged one
// at a time (as ingest flags each file): divergences appear, a re-run
// changes nothing, a dismissed flag stays dismissed, and the flag goes when
// its partner goes.
func TestCorpusChanges(t *testing.T) {
	e := New(WithNow(testNow))
	recs := corpus()
	for i := range recs {
		// Record rules only, as if each record came from its own file.
		recs[i].Flags = e.CheckRecord(&recs[i])
	}
	perRecord := map[string]int{}
	for _, r := range recs {
		perRecord[r.ID] = len(r.Flags)
	}

	ch := corpusChanges(t, e, recs)
	if len(ch) != 2 {
		t.Fatalf("changed %v; want the two Covid records", keys(ch))
	}
	for _, id := range []string{"cramif-covid", "cnam-f58"} {
		if got := strings.Join(codes(ch[id]), ","); got != "XRG-001,XRG-002" {
			t.Errorf("%s: corpus flags %s; want XRG-001,XRG-002", id, got)
		}
	}
	apply(e, recs, ch)
	// The result is what checking the whole batch at once gives.
	whole := corpus()
	e.Check(whole)
	for i := range recs {
		if a, b := flagsDigest(recs[i].Flags), flagsDigest(whole[i].Flags); a != b {
			t.Errorf("%s: pass gave %v; Check over the batch %v", recs[i].ID, codes(recs[i].Flags), codes(whole[i].Flags))
		}
		if got, want := len(recs[i].Flags), perRecord[recs[i].ID]+len(ch[recs[i].ID]); got != want {
			t.Errorf("%s: %d flags after the pass; want %d (record flags kept)", recs[i].ID, got, want)
		}
	}

	if ch := corpusChanges(t, e, recs); len(ch) != 0 {
		t.Errorf("re-run changed %v; want nothing", keys(ch))
	}

	// A reviewer dismisses the retention divergence: not a change, and
	// the flag keeps its status (and its key) when the pass re-renders it.
	var key string
	for i := range recs[0].Flags {
		if f := &recs[0].Flags[i]; f.Rule == "XRG-001" {
			f.Status = "dismissed"
			key = Key(*f)
		}
	}
	c := e.NewCorpus()
	for i := range recs {
		c.Add(&recs[i])
	}
	if err := c.Changes(func(i int, _ []registre.Flag) error {
		return fmt.Errorf("%s changed after a dismissal", c.ID(i))
	}); err != nil {
		t.Error(err)
	}
	found := false
	for _, f := range c.Flags(0) {
		if f.Rule == "XRG-001" {
			found = true
			if f.Status != "dismissed" || Key(f) != key {
				t.Errorf("re-rendered flag status %q key %s; want dismissed, %s", f.Status, Key(f), key)
			}
		}
	}
	if !found {
		t.Error("XRG-001 not re-rendered")
	}

	// The Cnam fiche is deleted: the Cramif record loses its divergences
	// and keeps its record flags.
	var rest []registre.Record
	for _, r := range recs {
		if r.ID != "cnam-f58" {
			rest = append(rest, r)
		}
	}
	ch = corpusChanges(t, e, rest)
	if fs, ok := ch["cramif-covid"]; len(ch) != 1 || !ok || len(fs) != 0 {
		t.Fatalf("after the delete changed %v (%v); want cramif-covid with no corpus flag", keys(ch), ch)
	}
	apply(e, rest, ch)
	if got := len(rest[0].Flags); got != perRecord["cramif-covid"] {
		t.Errorf("cramif-covid has %d flags; want its %d record flags", got, perRecord["cramif-covid"])
	}
}

func keys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// TestCorpusDuplicatesAcrossFiles: the same processing in two files of one
// organisation; a big group lists at most maxOthers others.
func TestCorpusDuplicatesAcrossFiles(t *testing.T) {
	e := New(WithNow(testNow))
	for _, c := range []struct {
		copies    int
		wantOther int
		wantMore  string
	}{
		{copies: 2, wantOther: 1},
		{copies: maxOthers + 1, wantOther: maxOthers},
		{copies: maxOthers + 4, wantOther: maxOthers, wantMore: "et 3 autres"},
	} {
		t.Run(fmt.Sprint(c.copies), func(t *testing.T) {
			var recs []registre.Record
			for k := range c.copies {
				r := unrelated("Cramif", fmt.Sprintf("wifi-%02d", k), "Points d'accès à Internet sans fil", "Fournir un accès wifi aux visiteurs")
				r.Source.Path = fmt.Sprintf("registre-%02d.html", k)
				recs = append(recs, r)
			}
			ch := corpusChanges(t, e, recs)
			if len(ch) != c.copies {
				t.Fatalf("changed %d records; want %d", len(ch), c.copies)
			}
			fs := ch["wifi-00"]
			if len(fs) != 1 || fs[0].Code != "duplicate_record" {
				t.Fatalf("flags %v; want one duplicate_record", codes(fs))
			}
			if n := strings.Count(fs[0].Message, "« Points"); n != c.wantOther {
				t.Errorf("message lists %d others; want %d: %s", n, c.wantOther, fs[0].Message)
			}
			if !strings.Contains(fs[0].Message, "registre-01.html") || strings.Contains(fs[0].Message, "registre-00.html") {
				t.Errorf("message names the wrong files: %s", fs[0].Message)
			}
			if c.wantMore != "" && !strings.Contains(fs[0].Message, c.wantMore) {
				t.Errorf("message lacks %q: %s", c.wantMore, fs[0].Message)
			}
		})
	}
}

// TestCorpusWorkBound: over the work bound, the commonest words are left
// out of the matching (counted in Skipped); under it the matching is exact.
func TestCorpusWorkBound(t *testing.T) {
	e := New(WithNow(testNow))
	defer func(v float64) { maxPostingVisits = v }(maxPostingVisits)
	for _, c := range []struct {
		bound     float64
		wantPairs bool
		skipped   bool
	}{
		{bound: 5e8, wantPairs: true},
		{bound: 0, wantPairs: false, skipped: true},
	} {
		maxPostingVisits = c.bound
		recs := corpus()
		cs := e.NewCorpus()
		for i := range recs {
			cs.Add(&recs[i])
		}
		pairs := cs.sameProcessing(minSimilarity)
		if (len(pairs) > 0) != c.wantPairs || (cs.Skipped > 0) != c.skipped {
			t.Errorf("bound %g: %d pairs, %d words skipped; want pairs %v, skipped %v", c.bound, len(pairs), cs.Skipped, c.wantPairs, c.skipped)
		}
	}
}

// BenchmarkCorpus measures the corpus rules over records shaped like
// "registre bench gen" output (6 bodies, 22 processing names, 8 purposes,
// one register of ~6 records per file): the worst case for the matching,
// where every name is shared by thousands of records. REGISTRE_CORPUS_N
// sets the size (the 100k-file benchmark is ~600000 records).
func BenchmarkCorpus(b *testing.B) {
	n := 100000
	if v, err := strconv.Atoi(os.Getenv("REGISTRE_CORPUS_N")); err == nil && v > 0 {
		n = v
	}
	orgs := []string{"Cramif", "CPAM du Val-de-Marne", "CPAM de Paris", "CGSS de la Guadeloupe", "Carsat Bretagne", "MSA Dordogne, Lot et Garonne"}
	names := []string{"Gestion des dossiers oppositions", "Suivi des créances", "Gestion de la relation client", "Plateforme téléphonique",
		"Prise de rendez-vous des patients", "Tarification des risques professionnels", "Gestion des indemnités journalières",
		"Contrôle médical des arrêts de travail", "Allocation de cessation anticipée amiante", "Paiement des créances en ligne",
		"Gestion des réclamations", "Recouvrement des indus", "Enquêtes de satisfaction", "Gestion du courrier entrant",
		"Annuaire des agents", "Vidéoprotection des locaux", "Contrôle d'accès aux bâtiments", "Formation des agents",
		"Service social régional", "Prévention des risques professionnels", "Lutte contre la fraude", "Archivage électronique"}
	acronyms := []string{"SNTRP", "SUCRE", "MEDIALOG+", "ESPACE RDV", "EPTICA", "ALIOPP", "WEBACCUEIL", "ARAMIS", "DIADEME", "HIPPOCRATE", "PROGRES", "GRC"}
	purposes := []string{
		"Assurer le suivi des demandes reçues et des réponses apportées aux assurés",
		"Calculer et notifier le taux de cotisation accidents du travail des établissements",
		"Permettre aux assurés de prendre rendez-vous en ligne et gérer les files d'attente de l'accueil physique",
		"Recouvrer les sommes indûment versées et suivre les échéanciers de remboursement",
		"Contrôler la justification médicale des arrêts de travail et des prestations servies",
		"Mesurer la satisfaction des usagers et améliorer la qualité du service rendu",
		"Accompagner les assurés fragilisés par la maladie ou le handicap dans leur maintien dans l'emploi",
		"Garantir la sécurité des biens et des personnes dans les locaux de la caisse",
	}
	retentions := []string{"5 ans à compter de la clôture du dossier", "2 ans pour le suivi de l'instruction", "10 ans", "30 jours pour les images de vidéoprotection", "Durée du contrat + 2 ans"}
	r := rand.New(rand.NewPCG(1, 2))
	pick := func(s []string) string { return s[r.IntN(len(s))] }
	e := New(WithNow(testNow))
	for b.Loop() {
		var before runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		c := e.NewCorpus()
		for i := range n {
			file := i / 6
			rec := registre.Record{
				ID:           fmt.Sprintf("rec-%07d", i),
				Organisation: orgs[file%len(orgs)],
				Name:         fmt.Sprintf("%s (%s) n°%d-%d", pick(names), pick(acronyms), file, i%6+1),
				Purposes:     []string{pick(purposes) + ". " + pick(purposes) + "."},
				Source:       registre.Source{Path: fmt.Sprintf("/data/registres/%06d-registre.html", file), Locator: fmt.Sprintf("div#traitement-%d", i%6+1)},
				Retention:    registre.Retention{Text: registre.Str(pick(retentions))},
			}
			c.Add(&rec)
		}
		var after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&after)
		changed := 0
		if err := c.Changes(func(int, []registre.Flag) error { changed++; return nil }); err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/float64(n), "projection-bytes/record")
		b.ReportMetric(float64(changed), "changed")
		b.ReportMetric(float64(c.Skipped), "skipped-words")
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "records/s")
}
