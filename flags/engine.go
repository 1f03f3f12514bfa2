package flags

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"text/template"
	"time"

	"registre"
)

// Engine applies the rule catalogue to records. It holds no mutable state
// once built, so one Engine can check batches concurrently.
type Engine struct {
	rules     []Rule
	byID      map[string]*Rule
	msg       map[string]*template.Template
	dated     map[string]*template.Template
	fix       map[string]*template.Template
	providers []Provider
	matchers  []matcher
	now       time.Time
}

// Option tunes an Engine.
type Option func(*Engine)

// WithNow sets the date the engine considers "today" (for expired legal
// bases); tests pin it so results do not depend on the clock.
func WithNow(t time.Time) Option { return func(e *Engine) { e.now = t } }

// WithProviders replaces the provider list used by the transfer rules.
func WithProviders(p []Provider) Option { return func(e *Engine) { e.providers = p } }

// New builds an engine over the catalogue. It panics if a template of the
// catalogue does not parse: the catalogue is compiled in, so that is a
// programming error caught by the tests.
func New(opts ...Option) *Engine {
	e := &Engine{
		rules:     append([]Rule(nil), catalogue...),
		byID:      map[string]*Rule{},
		msg:       map[string]*template.Template{},
		dated:     map[string]*template.Template{},
		fix:       map[string]*template.Template{},
		providers: Providers(),
		now:       time.Now(),
	}
	for i := range e.rules {
		r := &e.rules[i]
		e.byID[r.ID] = r
		e.msg[r.ID] = template.Must(template.New(r.ID).Option("missingkey=zero").Parse(r.Message))
		e.fix[r.ID] = template.Must(template.New(r.ID + "/fix").Option("missingkey=zero").Parse(r.Fix))
		if r.Dated != "" {
			e.dated[r.ID] = template.Must(template.New(r.ID + "/dated").Option("missingkey=zero").Parse(r.Dated))
		}
	}
	for _, o := range opts {
		o(e)
	}
	e.matchers = compileProviders(e.providers)
	return e
}

// Rules returns the catalogue, in catalogue order.
func (e *Engine) Rules() []Rule { return append([]Rule(nil), e.rules...) }

// Providers returns the provider list the transfer rules use.
func (e *Engine) Providers() []Provider { return append([]Provider(nil), e.providers...) }

// Rule returns the rule with that id.
func (e *Engine) Rule(id string) (Rule, bool) {
	r, ok := e.byID[id]
	if !ok {
		return Rule{}, false
	}
	return *r, true
}

// hit is what a detector found: the rule, where, the evidence, and the
// values the message template needs.
type hit struct {
	rule string
	m    match
	vars map[string]string
}

// Check sets the Flags of every record: the rules of this catalogue are
// re-run, flags raised by others (extraction warnings) are kept, and a flag
// that is raised again with the same evidence keeps the status a reviewer
// gave it (a dismissed flag stays dismissed).
func (e *Engine) Check(recs []registre.Record) {
	hits := make([][]hit, len(recs))
	for i := range recs {
		hits[i] = e.recordHits(&recs[i])
	}
	c := e.NewCorpus()
	for i := range recs {
		c.Add(&recs[i])
	}
	for i := range recs {
		hits[i] = append(hits[i], c.hits(i)...)
	}
	for i := range recs {
		r := &recs[i]
		var out []registre.Flag
		prev := map[string]string{}
		for _, f := range r.Flags {
			if _, ours := e.byID[f.Rule]; ours {
				if f.Status != "" && f.Status != "open" {
					prev[Key(f)] = f.Status
				}
				continue
			}
			out = append(out, f)
		}
		seen := map[string]bool{}
		for _, h := range hits[i] {
			f := e.flag(r, h)
			k := Key(f)
			if seen[k] {
				continue
			}
			seen[k] = true
			if st, ok := prev[k]; ok {
				f.Status = st
			}
			out = append(out, f)
		}
		sortFlags(out)
		if out == nil {
			out = []registre.Flag{}
		}
		r.Flags = out
	}
}

// CheckRecord returns the flags of one record, looking at it alone (no
// duplicate or cross-register rule).
func (e *Engine) CheckRecord(r *registre.Record) []registre.Flag {
	var out []registre.Flag
	for _, h := range e.recordHits(r) {
		out = append(out, e.flag(r, h))
	}
	sortFlags(out)
	return out
}

// Key identifies a flag across runs: same rule, field and evidence.
func Key(f registre.Flag) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00%s\x00%s", f.Rule, f.Code, deref(f.Field), deref(f.Evidence))
	return hex.EncodeToString(h.Sum(nil))[:16]
}

var severityRank = map[string]int{registre.SeverityError: 0, registre.SeverityWarning: 1, registre.SeverityInfo: 2}

func sortFlags(fs []registre.Flag) {
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := fs[i], fs[j]
		if severityRank[a.Severity] != severityRank[b.Severity] {
			return severityRank[a.Severity] < severityRank[b.Severity]
		}
		if a.Code != b.Code {
			return a.Code < b.Code
		}
		if a.Rule != b.Rule {
			return a.Rule < b.Rule
		}
		if deref(a.Field) != deref(b.Field) {
			return deref(a.Field) < deref(b.Field)
		}
		return deref(a.Evidence) < deref(b.Evidence)
	})
}

// flag renders a hit into a contract flag.
func (e *Engine) flag(r *registre.Record, h hit) registre.Flag {
	rule := e.byID[h.rule]
	vars := map[string]string{}
	for k, v := range h.vars {
		vars[k] = v
	}
	if _, ok := vars["evidence"]; !ok {
		vars["evidence"] = h.m.evidence
	}
	vars["since"] = frenchDate(rule.Effective)
	d, label, ok := recordDate(r, rule.ID == "LB-001")
	if ok {
		vars["date"] = label
	}
	var msg strings.Builder
	_ = e.msg[rule.ID].Execute(&msg, vars)
	msg.WriteString(" ")
	msg.WriteString(rule.Why)
	if ok && e.dated[rule.ID] != nil && d.Before(parseDay(rule.Effective)) {
		msg.WriteString(" ")
		_ = e.dated[rule.ID].Execute(&msg, vars)
	}
	msg.WriteString(" À écrire : ")
	_ = e.fix[rule.ID].Execute(&msg, vars)

	field := h.m.field
	if field == "" {
		field = rule.Field
	}
	f := registre.Flag{
		Code:        rule.Code,
		Severity:    rule.Severity,
		Field:       registre.Str(field),
		Message:     msg.String(),
		Evidence:    registre.Str(h.m.evidence),
		Status:      "open",
		Rule:        rule.ID,
		RuleVersion: rule.Version,
	}
	if s, en, ok := evidenceSpan(r, h.m); ok {
		f.Start, f.End = &s, &en
	}
	return f
}

// evidenceSpan places the evidence in the source document using the field's
// provenance: exactly when the value was copied verbatim (same length as its
// span), else the span of the whole value.
func evidenceSpan(r *registre.Record, m match) (int, int, bool) {
	if m.field == "" || r.Provenance == nil {
		return 0, 0, false
	}
	keys := []string{m.field}
	if m.index >= 0 {
		keys = []string{fmt.Sprintf("%s[%d]", m.field, m.index), fmt.Sprintf("%s.%d", m.field, m.index), m.field}
	}
	for _, k := range keys {
		p, ok := r.Provenance[k]
		if !ok || p.End <= p.Start {
			continue
		}
		if m.text != "" && p.End-p.Start == len(m.text) && m.end > m.start && m.end <= len(m.text) {
			return p.Start + m.start, p.Start + m.end, true
		}
		return p.Start, p.End, true
	}
	return 0, 0, false
}

// recordDate is the date the record's text speaks from: the document's date,
// else the implementation date (the reverse when implFirst).
func recordDate(r *registre.Record, implFirst bool) (time.Time, string, bool) {
	cands := []*string{r.Source.DocumentDate, r.ImplementationDate}
	if implFirst {
		cands[0], cands[1] = cands[1], cands[0]
	}
	for _, c := range cands {
		if c == nil {
			continue
		}
		if t, prec, ok := parsePartial(*c); ok {
			return t, frenchPartial(t, prec), true
		}
	}
	return time.Time{}, "", false
}

// parsePartial reads YYYY, YYYY-MM or YYYY-MM-DD. The time returned is the
// last day of the period, so that "2018" is not taken as before May 2018.
func parsePartial(s string) (time.Time, int, bool) {
	s = strings.TrimSpace(s)
	if len(s) >= 10 {
		if t, err := time.Parse("2006-01-02", s[:10]); err == nil {
			return t, 3, true
		}
	}
	if len(s) >= 7 {
		if t, err := time.Parse("2006-01", s[:7]); err == nil {
			return t.AddDate(0, 1, -1), 2, true
		}
	}
	if len(s) >= 4 {
		if y, err := strconv.Atoi(s[:4]); err == nil && y > 1900 && y < 2200 {
			return time.Date(y, 12, 31, 0, 0, 0, 0, time.UTC), 1, true
		}
	}
	return time.Time{}, 0, false
}

func parseDay(s string) time.Time {
	t, _ := time.Parse("2006-01-02", s)
	return t
}

var frenchMonths = []string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"}

func frenchPartial(t time.Time, prec int) string {
	switch prec {
	case 1:
		return strconv.Itoa(t.Year())
	case 2:
		return fmt.Sprintf("%s %d", frenchMonths[t.Month()-1], t.Year())
	}
	d := strconv.Itoa(t.Day())
	if t.Day() == 1 {
		d = "1er"
	}
	return fmt.Sprintf("%s %s %d", d, frenchMonths[t.Month()-1], t.Year())
}

func frenchDate(iso string) string {
	t, err := time.Parse("2006-01-02", iso)
	if err != nil {
		return iso
	}
	return frenchPartial(t, 3)
}
