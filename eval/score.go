package eval

import (
	"sort"
	"strings"

	"registre"
)

// MatchThreshold is the name token F1 under which a gold and an extracted
// record are not paired.
const MatchThreshold = 0.5

// ScoredFlags are the flag codes gold files annotate; other codes an engine
// raises are neither rewarded nor penalised.
var ScoredFlags = []string{
	"missing_retention", "vague_retention", "privacy_shield", "transfer_without_safeguard",
	"missing_legal_basis", "missing_purpose", "missing_data_categories", "missing_recipients",
	"missing_security_measures", "outdated_legal_reference", "health_data_without_art9",
}

// Field kinds: how a field is scored.
const (
	KindText  = "text"  // token F1 of the joined values
	KindBool  = "bool"  // accuracy
	KindCodes = "codes" // set F1
)

// fieldSpec projects one gold field and the matching contract-record value.
type fieldSpec struct {
	name string
	kind string
	// gold returns the gold value and whether it is scored (non-null).
	goldText  func(g *GoldRecord) (string, bool)
	gotText   func(r *registre.Record) string
	goldBool  func(g *GoldRecord) *bool
	gotBool   func(r *registre.Record) *bool
	goldCodes func(g *GoldRecord) ([]string, bool)
	gotCodes  func(r *registre.Record) []string
}

func list(p *[]string) (string, bool) {
	if p == nil {
		return "", false
	}
	return strings.Join(*p, "\n"), true
}

func str(p *string) (string, bool) {
	if p == nil {
		return "", false
	}
	return *p, true
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func join(parts ...[]string) string {
	var all []string
	for _, p := range parts {
		all = append(all, p...)
	}
	return strings.Join(all, "\n")
}

// articleCodes keeps the GDPR article codes: "national" and "unknown" say
// that no article was found, so they are not codes to score.
func articleCodes(codes []string) []string {
	var out []string
	for _, c := range codes {
		if c != "national" && c != "unknown" && c != "" {
			out = append(out, c)
		}
	}
	return out
}

// fields lists the scored fields in the order of the gold format.
var fields = []fieldSpec{
	{name: "joint_controllers", kind: KindText,
		goldText: func(g *GoldRecord) (string, bool) { return list(g.JointControllers) },
		gotText:  func(r *registre.Record) string { return join(r.JointControllers) }},
	{name: "purposes", kind: KindText,
		goldText: func(g *GoldRecord) (string, bool) { return list(g.Purposes) },
		gotText:  func(r *registre.Record) string { return join(r.Purposes, r.SubPurposes) }},
	{name: "legal_bases", kind: KindCodes,
		goldCodes: func(g *GoldRecord) ([]string, bool) {
			if g.LegalBases == nil {
				return nil, false
			}
			return articleCodes(*g.LegalBases), true
		},
		gotCodes: func(r *registre.Record) []string {
			codes := make([]string, 0, len(r.LegalBases))
			for _, lb := range r.LegalBases {
				codes = append(codes, lb.Code)
			}
			return articleCodes(codes)
		}},
	{name: "legal_basis_text", kind: KindText,
		goldText: func(g *GoldRecord) (string, bool) { return str(g.LegalBasisText) },
		gotText:  func(r *registre.Record) string { return deref(r.LegalBasisText) }},
	{name: "data_subjects", kind: KindText,
		goldText: func(g *GoldRecord) (string, bool) { return list(g.DataSubjects) },
		gotText:  func(r *registre.Record) string { return join(r.DataSubjects) }},
	{name: "data_categories", kind: KindText,
		goldText: func(g *GoldRecord) (string, bool) { return list(g.DataCategories) },
		gotText:  func(r *registre.Record) string { return join(r.DataCategories) }},
	{name: "health_data", kind: KindBool,
		goldBool: func(g *GoldRecord) *bool { return g.HealthData },
		gotBool:  func(r *registre.Record) *bool { return r.Sensitive.Health }},
	{name: "nir", kind: KindBool,
		goldBool: func(g *GoldRecord) *bool { return g.NIR },
		gotBool:  func(r *registre.Record) *bool { return r.Sensitive.NIR }},
	{name: "recipients", kind: KindText,
		goldText: func(g *GoldRecord) (string, bool) { return list(g.Recipients) },
		gotText: func(r *registre.Record) string {
			return join(r.Recipients.Internal, r.Recipients.External, r.PersonsWithAccess)
		}},
	{name: "transfer_outside_eu", kind: KindBool,
		goldBool: func(g *GoldRecord) *bool { return g.TransferOutsideEU },
		gotBool:  func(r *registre.Record) *bool { return r.Transfers.OutsideEU }},
	{name: "transfer_text", kind: KindText,
		goldText: func(g *GoldRecord) (string, bool) { return str(g.TransferText) },
		gotText:  func(r *registre.Record) string { return deref(r.Transfers.Text) }},
	{name: "retention_text", kind: KindText,
		goldText: func(g *GoldRecord) (string, bool) { return str(g.RetentionText) },
		gotText:  func(r *registre.Record) string { return deref(r.Retention.Text) }},
	{name: "processors", kind: KindText,
		goldText: func(g *GoldRecord) (string, bool) { return list(g.Processors) },
		gotText:  func(r *registre.Record) string { return join(r.Processors) }},
	{name: "security_measures_text", kind: KindText,
		goldText: func(g *GoldRecord) (string, bool) { return str(g.SecurityMeasuresText) },
		gotText:  func(r *registre.Record) string { return join(r.SecurityMeasures) }},
	{name: "rights_contact", kind: KindText,
		goldText: func(g *GoldRecord) (string, bool) { return str(g.RightsContact) },
		gotText: func(r *registre.Record) string {
			if c := deref(r.Rights.Contact); c != "" {
				return c
			}
			return deref(r.Rights.Text)
		}},
	{name: "implementation_date", kind: KindText,
		goldText: func(g *GoldRecord) (string, bool) { return str(g.ImplementationDate) },
		gotText:  func(r *registre.Record) string { return deref(r.ImplementationDate) }},
}

// FieldNames lists the scored fields in table order.
func FieldNames() []string {
	out := make([]string, len(fields))
	for i, f := range fields {
		out[i] = f.name
	}
	return out
}

// PRF is a precision / recall / F1 triple with the counts behind it.
type PRF struct {
	TP        int     `json:"tp"`
	FP        int     `json:"fp"`
	FN        int     `json:"fn"`
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
	F1        float64 `json:"f1"`
}

func newPRF(tp, fp, fn int) PRF {
	p := PRF{TP: tp, FP: fp, FN: fn}
	// Nothing expected and nothing produced is a perfect answer, which
	// matters for documents that describe no processing (0 records).
	p.Precision, p.Recall = 1, 1
	if tp+fp > 0 {
		p.Precision = float64(tp) / float64(tp+fp)
	}
	if tp+fn > 0 {
		p.Recall = float64(tp) / float64(tp+fn)
	}
	if p.Precision+p.Recall > 0 {
		p.F1 = 2 * p.Precision * p.Recall / (p.Precision + p.Recall)
	}
	return p
}

// FieldScore is one field's mean over the matched pairs where gold states it.
type FieldScore struct {
	Field string  `json:"field"`
	Kind  string  `json:"kind"`
	N     int     `json:"n"`    // pairs scored (gold non-null)
	Mean  float64 `json:"mean"` // mean token F1, accuracy or set F1
	sum   float64
}

// Pair is one gold record matched to one extracted record.
type Pair struct {
	Gold      int                `json:"gold"`      // index in Gold.Records
	Extracted int                `json:"extracted"` // index in the extracted records
	Name      string             `json:"name"`
	Match     float64            `json:"match"` // name (or purposes) token F1
	Fields    map[string]float64 `json:"fields"`
	// MissedFlags were expected and not raised; ExtraFlags were raised
	// and not expected (scored codes only).
	MissedFlags []string `json:"missed_flags,omitempty"`
	ExtraFlags  []string `json:"extra_flags,omitempty"`
}

// Result is the score of one document's extraction against its gold.
type Result struct {
	Gold      string `json:"gold,omitempty"`
	Input     string `json:"input,omitempty"`
	GoldCount int    `json:"gold_records"`
	GotCount  int    `json:"extracted_records"`
	// Records is record detection: a matched pair is a true positive.
	Records PRF          `json:"records"`
	Fields  []FieldScore `json:"fields"`
	// FieldScore is the mean of the per-field means (fields gold never
	// states are left out).
	FieldScore float64 `json:"field_score"`
	// FieldsScored is how many fields entered FieldScore (0 when gold
	// states nothing that was matched, e.g. a document with no records).
	FieldsScored int `json:"fields_scored"`
	// Flags is micro P/R/F1 over (record, code) pairs of ScoredFlags.
	Flags          PRF      `json:"flags"`
	Pairs          []Pair   `json:"pairs"`
	UnmatchedGold  []string `json:"unmatched_gold"`
	UnmatchedFound []string `json:"unmatched_extracted"`
}

// Score scores extracted records against a gold file.
func Score(g *Gold, got []registre.Record) Result {
	res := Result{GoldCount: len(g.Records), GotCount: len(got), UnmatchedGold: []string{}, UnmatchedFound: []string{}}
	pairs := match(g.Records, got)

	res.Fields = make([]FieldScore, len(fields))
	for i, f := range fields {
		res.Fields[i] = FieldScore{Field: f.name, Kind: f.kind}
	}
	scored := map[string]bool{}
	for _, c := range ScoredFlags {
		scored[c] = true
	}
	var ftp, ffp, ffn int
	goldMatched := make([]bool, len(g.Records))
	gotMatched := make([]bool, len(got))
	for _, p := range pairs {
		gr, er := &g.Records[p.Gold], &got[p.Extracted]
		goldMatched[p.Gold], gotMatched[p.Extracted] = true, true
		p.Fields = map[string]float64{}
		for i, f := range fields {
			s, ok := scoreField(f, gr, er)
			if !ok {
				continue
			}
			res.Fields[i].N++
			res.Fields[i].sum += s
			p.Fields[f.name] = s
		}
		want := flagSet(gr.ExpectedFlags, scored)
		have := recordFlags(er, scored)
		for c := range have {
			if want[c] {
				ftp++
			} else {
				ffp++
				p.ExtraFlags = append(p.ExtraFlags, c)
			}
		}
		for c := range want {
			if !have[c] {
				ffn++
				p.MissedFlags = append(p.MissedFlags, c)
			}
		}
		sort.Strings(p.ExtraFlags)
		sort.Strings(p.MissedFlags)
		res.Pairs = append(res.Pairs, p)
	}
	// An unmatched gold record's expected flags were not raised on it, and
	// the flags of an extracted record gold does not know are not expected.
	for i, gr := range g.Records {
		if !goldMatched[i] {
			res.UnmatchedGold = append(res.UnmatchedGold, goldName(&gr))
			ffn += len(flagSet(gr.ExpectedFlags, scored))
		}
	}
	for i := range got {
		if !gotMatched[i] {
			res.UnmatchedFound = append(res.UnmatchedFound, got[i].Name)
			ffp += len(recordFlags(&got[i], scored))
		}
	}
	res.Records = newPRF(len(pairs), len(got)-len(pairs), len(g.Records)-len(pairs))
	res.Flags = newPRF(ftp, ffp, ffn)

	n, sum := 0, 0.0
	for i := range res.Fields {
		if res.Fields[i].N > 0 {
			res.Fields[i].Mean = res.Fields[i].sum / float64(res.Fields[i].N)
			sum += res.Fields[i].Mean
			n++
		}
	}
	if n > 0 {
		res.FieldScore = sum / float64(n)
	}
	res.FieldsScored = n
	return res
}

func goldName(g *GoldRecord) string {
	if g.Name != nil {
		return *g.Name
	}
	if g.Purposes != nil && len(*g.Purposes) > 0 {
		return "(sans nom) " + (*g.Purposes)[0]
	}
	return "(sans nom)"
}

// scoreField scores one field of a pair; ok is false when gold is null.
func scoreField(f fieldSpec, g *GoldRecord, r *registre.Record) (float64, bool) {
	switch f.kind {
	case KindBool:
		want := f.goldBool(g)
		if want == nil {
			return 0, false
		}
		have := f.gotBool(r)
		if have != nil && *have == *want {
			return 1, true
		}
		return 0, true
	case KindCodes:
		want, ok := f.goldCodes(g)
		if !ok {
			return 0, false
		}
		return setF1(want, f.gotCodes(r)), true
	}
	want, ok := f.goldText(g)
	if !ok {
		return 0, false
	}
	have := f.gotText(r)
	if f.name == "implementation_date" && len(have) > len(want) && dateRe.MatchString(want) {
		// Compared on the gold's precision: a full extracted date agrees
		// with a gold that only gives the year or the month.
		have = have[:len(want)]
	}
	return TokenF1(want, have), true
}

func flagSet(codes []string, scored map[string]bool) map[string]bool {
	m := map[string]bool{}
	for _, c := range codes {
		if scored[c] {
			m[c] = true
		}
	}
	return m
}

func recordFlags(r *registre.Record, scored map[string]bool) map[string]bool {
	m := map[string]bool{}
	for _, f := range r.Flags {
		// A flag a reviewer dismissed is no longer raised on the record.
		if scored[f.Code] && f.Status != "dismissed" {
			m[f.Code] = true
		}
	}
	return m
}

// match pairs gold and extracted records greedily by name token F1, best
// pairs first; ties go to the earlier gold record, then the earlier extracted
// one, so records with the same name pair up in document order.
func match(gold []GoldRecord, got []registre.Record) []Pair {
	gotNames := make([][]string, len(got))
	gotPurposes := make([][]string, len(got))
	for j := range got {
		gotNames[j] = Tokens(got[j].Name)
		gotPurposes[j] = Tokens(join(got[j].Purposes, got[j].SubPurposes))
	}
	var cands []Pair
	for i := range gold {
		var want []string
		var against [][]string
		if gold[i].Name != nil {
			want, against = Tokens(*gold[i].Name), gotNames
		} else if gold[i].Purposes != nil {
			want, against = Tokens(strings.Join(*gold[i].Purposes, "\n")), gotPurposes
		} else {
			continue
		}
		for j := range got {
			if s := bagF1(want, against[j]); s >= MatchThreshold {
				cands = append(cands, Pair{Gold: i, Extracted: j, Match: s, Name: got[j].Name})
			}
		}
	}
	sort.SliceStable(cands, func(a, b int) bool {
		if cands[a].Match != cands[b].Match {
			return cands[a].Match > cands[b].Match
		}
		if cands[a].Gold != cands[b].Gold {
			return cands[a].Gold < cands[b].Gold
		}
		return cands[a].Extracted < cands[b].Extracted
	})
	usedG := make([]bool, len(gold))
	usedE := make([]bool, len(got))
	var out []Pair
	for _, c := range cands {
		if usedG[c.Gold] || usedE[c.Extracted] {
			continue
		}
		usedG[c.Gold], usedE[c.Extracted] = true, true
		out = append(out, c)
	}
	sort.Slice(out, func(a, b int) bool { return out[a].Gold < out[b].Gold })
	return out
}
