package eval

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"registre"
)

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func TestTokens(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"Mise en œuvre", []string{"mise", "en", "oeuvre"}},
		{"Données d'identification (NIR/NIA)", []string{"donnees", "d", "identification", "nir", "nia"}},
		{"ÉLÉVES  –  Île-de-France", []string{"eleves", "ile", "de", "france"}},
		{"20 ans + 3 ans", []string{"20", "ans", "3", "ans"}},
		{"1993-12-06", []string{"1993", "12", "06"}},
		{"\u00a0 / ", nil},
		{"", nil},
	}
	for _, tt := range tests {
		got := Tokens(tt.in)
		if strings.Join(got, "|") != strings.Join(tt.want, "|") {
			t.Errorf("Tokens(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestTokenF1(t *testing.T) {
	tests := []struct {
		gold, got string
		want      float64
	}{
		{"Accès par mot de passe", "acces par MOT de passe", 1},
		{"a b c d", "a b", 2 * 1.0 * 0.5 / 1.5},
		{"ans ans", "ans", 2 * 1.0 * 0.5 / 1.5}, // multiset: one "ans" of two
		{"", "", 1},
		{"", "inventé", 0},
		{"non", "", 0},
		{"x", "y", 0},
	}
	for _, tt := range tests {
		if got := TokenF1(tt.gold, tt.got); !near(got, tt.want) {
			t.Errorf("TokenF1(%q, %q) = %v, want %v", tt.gold, tt.got, got, tt.want)
		}
	}
}

func sp(s string) *string       { return &s }
func lp(xs ...string) *[]string { return &xs }
func bp(b bool) *bool           { return &b }

func rec(name string, mod func(*registre.Record)) registre.Record {
	r := registre.Record{Name: name}
	if mod != nil {
		mod(&r)
	}
	return r
}

func fieldMean(t *testing.T, res Result, name string) FieldScore {
	t.Helper()
	for _, f := range res.Fields {
		if f.Field == name {
			return f
		}
	}
	t.Fatalf("no field %s", name)
	return FieldScore{}
}

func TestScoreNullVersusEmpty(t *testing.T) {
	g := &Gold{Records: []GoldRecord{
		{Name: sp("Gestion des rendez-vous"), Processors: nil, JointControllers: lp(), Purposes: lp("Prendre rendez-vous")},
	}}
	tests := []struct {
		name       string
		got        registre.Record
		processorN int
		jointN     int
		jointMean  float64
	}{
		{"invented joint controller costs when gold says []",
			rec("Gestion des rendez-vous", func(r *registre.Record) {
				r.JointControllers = []string{"Cnam"}
				r.Processors = []string{"Prestataire"}
				r.Purposes = []string{"Prendre rendez-vous"}
			}), 0, 1, 0},
		{"empty matches []",
			rec("Gestion des rendez-vous", func(r *registre.Record) { r.Purposes = []string{"Prendre rendez-vous"} }),
			0, 1, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := Score(g, []registre.Record{tt.got})
			if f := fieldMean(t, res, "processors"); f.N != tt.processorN {
				t.Errorf("processors n = %d, want %d (gold null is not scored)", f.N, tt.processorN)
			}
			f := fieldMean(t, res, "joint_controllers")
			if f.N != tt.jointN || !near(f.Mean, tt.jointMean) {
				t.Errorf("joint_controllers = %+v, want n=%d mean=%v", f, tt.jointN, tt.jointMean)
			}
		})
	}
}

func TestScoreMatching(t *testing.T) {
	g := &Gold{Records: []GoldRecord{
		{Name: sp("Suivi des créances (SUCRE)"), Purposes: lp("Suivre les créances")},
		{Name: sp("Contrôle médical"), Purposes: lp("Contrôler")},
		{Name: nil, Purposes: lp("Gérer les indus et les recours contre tiers")},
		{Name: sp("Absent de l'extraction"), Purposes: lp("Rien")},
	}}
	got := []registre.Record{
		rec("Controle medical", func(r *registre.Record) { r.Purposes = []string{"Contrôler"} }),
		rec("SUIVI DES CREANCES", nil),
		rec("Gérer les indus", func(r *registre.Record) { r.Purposes = []string{"Gérer les indus et les recours contre tiers"} }),
		rec("Un traitement inconnu", nil),
	}
	res := Score(g, got)
	want := map[int]int{0: 1, 1: 0, 2: 2}
	if len(res.Pairs) != len(want) {
		t.Fatalf("pairs = %+v, want %d pairs", res.Pairs, len(want))
	}
	for _, p := range res.Pairs {
		if want[p.Gold] != p.Extracted {
			t.Errorf("gold %d paired with extracted %d, want %d", p.Gold, p.Extracted, want[p.Gold])
		}
	}
	if res.Records.TP != 3 || res.Records.FP != 1 || res.Records.FN != 1 {
		t.Errorf("records = %+v, want tp=3 fp=1 fn=1", res.Records)
	}
	if !near(res.Records.F1, 0.75) {
		t.Errorf("records F1 = %v, want 0.75", res.Records.F1)
	}
	if len(res.UnmatchedGold) != 1 || res.UnmatchedGold[0] != "Absent de l'extraction" {
		t.Errorf("unmatched gold = %q", res.UnmatchedGold)
	}
	if len(res.UnmatchedFound) != 1 || res.UnmatchedFound[0] != "Un traitement inconnu" {
		t.Errorf("unmatched extracted = %q", res.UnmatchedFound)
	}
}

func TestScoreBelowThresholdNotMatched(t *testing.T) {
	g := &Gold{Records: []GoldRecord{{Name: sp("Gestion des plaintes des assurés"), Purposes: lp("x")}}}
	// 1 token in common out of 5 and 2: F1 = 2/7 < 0.5.
	res := Score(g, []registre.Record{rec("Gestion paie", nil)})
	if len(res.Pairs) != 0 || res.Records.F1 != 0 {
		t.Errorf("pairs = %+v, records = %+v; want no match", res.Pairs, res.Records)
	}
}

func TestScoreDuplicateNamesPairInOrder(t *testing.T) {
	g := &Gold{Records: []GoldRecord{
		{Name: sp("Statistiques"), RetentionText: sp("5 ans")},
		{Name: sp("Statistiques"), RetentionText: sp("10 ans")},
	}}
	got := []registre.Record{
		rec("Statistiques", func(r *registre.Record) { r.Retention.Text = sp("5 ans") }),
		rec("Statistiques", func(r *registre.Record) { r.Retention.Text = sp("10 ans") }),
		rec("Statistiques", nil),
	}
	res := Score(g, got)
	if len(res.Pairs) != 2 || res.Pairs[0].Extracted != 0 || res.Pairs[1].Extracted != 1 {
		t.Fatalf("pairs = %+v, want 0↔0 and 1↔1", res.Pairs)
	}
	if f := fieldMean(t, res, "retention_text"); !near(f.Mean, 1) || f.N != 2 {
		t.Errorf("retention = %+v", f)
	}
	if res.Records.FP != 1 {
		t.Errorf("third duplicate should be a false positive: %+v", res.Records)
	}
}

func TestScoreProjection(t *testing.T) {
	g := &Gold{Records: []GoldRecord{{
		Name:                 sp("Téléservice"),
		Purposes:             lp("Informer", "Relancer"),
		LegalBases:           lp("6-1-c", "6-1-e"),
		Recipients:           lp("Service A", "Prestataire B", "Agents habilités"),
		HealthData:           bp(true),
		NIR:                  bp(false),
		TransferOutsideEU:    bp(false),
		SecurityMeasuresText: sp("Chiffrement\nJournalisation"),
		RightsContact:        sp("DPO"),
		ImplementationDate:   sp("2009"),
	}}}
	got := rec("Téléservice", func(r *registre.Record) {
		r.Purposes = []string{"Informer"}
		r.SubPurposes = []string{"Relancer"}
		r.LegalBases = []registre.LegalBasis{{Code: "6-1-c"}, {Code: "national", Text: "L. 161-1"}, {Code: "6-1-e"}}
		r.Recipients.Internal = []string{"Service A"}
		r.Recipients.External = []string{"Prestataire B"}
		r.PersonsWithAccess = []string{"Agents habilités"}
		r.Sensitive.Health = bp(true)
		r.Sensitive.NIR = nil // not said: wrong against a gold false
		r.SecurityMeasures = []string{"Chiffrement", "Journalisation"}
		r.Rights.Text = sp("DPO")
		r.ImplementationDate = sp("2009-03-01")
	})
	res := Score(g, []registre.Record{got})
	want := map[string]float64{
		"purposes": 1, "legal_bases": 1, "recipients": 1, "health_data": 1, "nir": 0,
		"transfer_outside_eu": 0, "security_measures_text": 1, "rights_contact": 1, "implementation_date": 1,
	}
	for name, w := range want {
		if f := fieldMean(t, res, name); f.N != 1 || !near(f.Mean, w) {
			t.Errorf("%s = %+v, want mean %v", name, f, w)
		}
	}
	// 9 scored fields, two of them 0.
	if !near(res.FieldScore, 7.0/9.0) {
		t.Errorf("field score = %v, want %v", res.FieldScore, 7.0/9.0)
	}
}

func TestScoreDatePrecision(t *testing.T) {
	tests := []struct {
		gold, got string
		want      float64
	}{
		{"1993-12-06", "1993-12-06", 1},
		{"1993-12", "1993-12-06", 1},
		{"1993", "1993-12-06", 1},
		{"1993-12-06", "1993", 0.5},
		{"1993-12-06", "1993-12-01", 2.0 / 3.0},
		{"2009", "", 0},
	}
	for _, tt := range tests {
		g := &Gold{Records: []GoldRecord{{Name: sp("A"), ImplementationDate: sp(tt.gold)}}}
		res := Score(g, []registre.Record{rec("A", func(r *registre.Record) { r.ImplementationDate = registre.Str(tt.got) })})
		if f := fieldMean(t, res, "implementation_date"); !near(f.Mean, tt.want) {
			t.Errorf("gold %s got %s: %v, want %v", tt.gold, tt.got, f.Mean, tt.want)
		}
	}
}

func TestScoreFlags(t *testing.T) {
	g := &Gold{Records: []GoldRecord{
		{Name: sp("A"), ExpectedFlags: []string{"missing_legal_basis", "vague_retention"}},
		{Name: sp("B"), ExpectedFlags: []string{"missing_retention"}},
		{Name: sp("C"), ExpectedFlags: []string{"missing_purpose"}},
	}}
	flags := func(codes ...string) []registre.Flag {
		var fs []registre.Flag
		for _, c := range codes {
			fs = append(fs, registre.Flag{Code: c})
		}
		return fs
	}
	got := []registre.Record{
		// one right, one extra scored code (FP), one unscored code (ignored)
		rec("A", func(r *registre.Record) {
			r.Flags = flags("missing_legal_basis", "missing_recipients", "duplicate_record")
		}),
		// dismissed by a reviewer: not raised (FN)
		rec("B", func(r *registre.Record) {
			r.Flags = []registre.Flag{{Code: "missing_retention", Status: "dismissed"}}
		}),
		// C is not extracted: its expected flag is missed (FN)
		rec("Z", func(r *registre.Record) { r.Flags = flags("missing_purpose") }), // FP
	}
	res := Score(g, got)
	// TP 1; FP missing_recipients + Z's missing_purpose = 2; FN vague_retention, B, C = 3
	if res.Flags.TP != 1 || res.Flags.FP != 2 || res.Flags.FN != 3 {
		t.Errorf("flags = %+v, want tp=1 fp=2 fn=3", res.Flags)
	}
	if p := res.Pairs[0]; strings.Join(p.MissedFlags, ",") != "vague_retention" || strings.Join(p.ExtraFlags, ",") != "missing_recipients" {
		t.Errorf("pair A flags: missed %q extra %q", p.MissedFlags, p.ExtraFlags)
	}
	var buf bytes.Buffer
	WriteDetails(&buf, []*Gold{g}, []Result{res})
	for _, want := range []string{`missed gold record: "C"`, `extra extracted record: "Z"`, `"A": missed flag vague_retention extra flag missing_recipients`} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("details lack %q:\n%s", want, buf.String())
		}
	}
}

func TestScoreNoRecordsExpected(t *testing.T) {
	g := &Gold{Records: []GoldRecord{}}
	res := Score(g, nil)
	if res.Records.F1 != 1 || res.Records.Precision != 1 {
		t.Errorf("0 expected, 0 found: %+v, want F1 1", res.Records)
	}
	res = Score(g, []registre.Record{rec("Inventé", nil)})
	if res.Records.Precision != 0 || res.Records.F1 != 0 {
		t.Errorf("0 expected, 1 found: %+v, want P 0", res.Records)
	}
}

func TestParseGold(t *testing.T) {
	tests := []struct {
		name    string
		json    string
		wantErr bool
	}{
		{"minimal", `{"records":[{"name":"A","expected_flags":[]}]}`, false},
		{"null name with purposes", `{"records":[{"name":null,"purposes":["p"]}]}`, false},
		{"null name no purposes", `{"records":[{"name":null,"purposes":null}]}`, true},
		{"no records", `{"slug":"x"}`, true},
		{"bad code", `{"records":[{"name":"A","legal_bases":["6-1-z"]}]}`, true},
		{"bad date", `{"records":[{"name":"A","implementation_date":"06/12/1993"}]}`, true},
		{"wrong type", `{"records":[{"name":"A","purposes":"p"}]}`, true},
		{"trailing data", `{"records":[]} {}`, true},
		{"not json", `nope`, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseGold([]byte(tt.json))
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tt.wantErr)
			}
		})
	}
	g, err := ParseGold([]byte(`{"records":[{"name":"A","processors":null,"data_subjects":[]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if g.Records[0].Processors != nil || g.Records[0].DataSubjects == nil || len(*g.Records[0].DataSubjects) != 0 {
		t.Errorf("null and [] must stay distinct: %+v", g.Records[0])
	}
	if _, err := ParseGold([]byte(`{"records":[{"name":"A","legal_bases":["x"]}]}`)); !errors.Is(err, ErrInvalidGold) {
		t.Errorf("invalid code error = %v, want ErrInvalidGold", err)
	}
}

// TestGoldFixtures checks that the gold files the project ships parse and
// that a perfect answer scores 1 on them (the scorer has no self-bias).
func TestGoldFixtures(t *testing.T) {
	for _, name := range []string{"seed-cramif.json", "seed-cnam.json"} {
		t.Run(name, func(t *testing.T) {
			g, err := LoadGold(filepath.Join("..", "fixtures", "eval", "gold", name))
			if err != nil {
				t.Fatal(err)
			}
			recs := make([]registre.Record, len(g.Records))
			for i, gr := range g.Records {
				recs[i] = perfect(gr)
			}
			res := Score(g, recs)
			if res.Records.F1 != 1 || !near(res.FieldScore, 1) || res.Flags.F1 != 1 {
				var buf bytes.Buffer
				WriteDetails(&buf, []*Gold{g}, []Result{res})
				t.Errorf("perfect answer: records %+v field %v flags %+v\n%s", res.Records, res.FieldScore, res.Flags, buf.String())
			}
		})
	}
}

// perfect builds the contract record a flawless pipeline would output for a
// gold record.
func perfect(g GoldRecord) registre.Record {
	v := func(p *[]string) []string {
		if p == nil {
			return nil
		}
		return *p
	}
	r := registre.Record{
		JointControllers: v(g.JointControllers), Purposes: v(g.Purposes),
		LegalBasisText: g.LegalBasisText, DataSubjects: v(g.DataSubjects), DataCategories: v(g.DataCategories),
		Processors: v(g.Processors), ImplementationDate: g.ImplementationDate,
	}
	if g.Name != nil {
		r.Name = *g.Name
	} else {
		r.Name = v(g.Purposes)[0]
	}
	for _, c := range v(g.LegalBases) {
		r.LegalBases = append(r.LegalBases, registre.LegalBasis{Code: c})
	}
	r.Sensitive.Health, r.Sensitive.NIR = g.HealthData, g.NIR
	r.Recipients.External = v(g.Recipients)
	r.Transfers.OutsideEU, r.Transfers.Text = g.TransferOutsideEU, g.TransferText
	r.Retention.Text = g.RetentionText
	if g.SecurityMeasuresText != nil {
		r.SecurityMeasures = []string{*g.SecurityMeasuresText}
	}
	r.Rights.Contact = g.RightsContact
	for _, c := range g.ExpectedFlags {
		r.Flags = append(r.Flags, registre.Flag{Code: c})
	}
	return r
}

func TestParseCases(t *testing.T) {
	cs, err := ParseCases([]byte(`[{"gold":"gold/a.json","input":"/abs/in.pdf"}]`), "/fx/eval")
	if err != nil {
		t.Fatal(err)
	}
	if cs[0].Gold != "/fx/eval/gold/a.json" || cs[0].Input != "/abs/in.pdf" {
		t.Errorf("cases = %+v", cs)
	}
	for _, bad := range []string{`[]`, `[{"gold":"a"}]`, `{}`} {
		if _, err := ParseCases([]byte(bad), "."); err == nil {
			t.Errorf("ParseCases(%s): want error", bad)
		}
	}
}

func TestCasesFixtureFilesExist(t *testing.T) {
	cs, err := LoadCases(filepath.Join("..", "fixtures", "eval", "cases.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) < 5 {
		t.Errorf("cases = %d, want every rendering (HTML, text, PDF, XLSX, Cnam PDF)", len(cs))
	}
	for _, c := range cs {
		for _, p := range []string{c.Gold, c.Input} {
			if _, err := os.Stat(p); err != nil {
				t.Errorf("case file missing: %v", err)
			}
		}
	}
}

func TestWriteText(t *testing.T) {
	g := &Gold{Records: []GoldRecord{{Name: sp("A"), RetentionText: sp("5 ans")}}}
	res := Score(g, []registre.Record{rec("A", func(r *registre.Record) { r.Retention.Text = sp("5 ans") })})
	res.Input = "x/registre.html"
	var buf bytes.Buffer
	if err := WriteText(&buf, []Result{res}); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{"retention_text", "1.000 (1)", "registre.html: records P=1.000 R=1.000 F1=1.000", "field score 1.000"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	other := Score(g, nil)
	other.Input = "vide.pdf"
	buf.Reset()
	if err := WriteText(&buf, []Result{res, other}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "overall: 2 cases, records F1 min 0.000, field score min 1.000 mean 1.000, flags F1 min 1.000") {
		t.Errorf("overall line missing or wrong:\n%s", buf.String())
	}
	if _, err := json.Marshal(res); err != nil {
		t.Errorf("result not JSON-encodable: %v", err)
	}
}

func FuzzParseGold(f *testing.F) {
	f.Add([]byte(`{"records":[{"name":"A","purposes":["p"],"legal_bases":["6-1-c"],"implementation_date":"2009"}]}`))
	f.Add([]byte(`{"records":[{"name":null,"purposes":["p"],"health_data":null,"data_subjects":[]}]}`))
	f.Add([]byte(`{"records":null}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		g, err := ParseGold(data)
		if err != nil {
			return
		}
		// Whatever parses must score without panicking, against nothing and
		// against a perfect answer, and stay within [0, 1].
		for _, recs := range [][]registre.Record{nil, perfectAll(g)} {
			res := Score(g, recs)
			for _, v := range []float64{res.Records.F1, res.FieldScore, res.Flags.F1} {
				if v < 0 || v > 1 || math.IsNaN(v) {
					t.Fatalf("score out of range: %+v", res)
				}
			}
		}
	})
}

func perfectAll(g *Gold) []registre.Record {
	out := make([]registre.Record, len(g.Records))
	for i, r := range g.Records {
		out[i] = perfect(r)
	}
	return out
}
