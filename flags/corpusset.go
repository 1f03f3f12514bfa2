package flags

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math"
	"sort"
	"strings"

	"registre"
)

// The corpus rules (scope "corpus": duplicate_record,
// cross_register_divergence) compare records with each other. They run over
// a Corpus: a compact projection of each record (what the rules read, with
// names, purposes and organisations reduced to interned tokens and keys), so
// that `registre ingest` can run them over a whole index without holding its
// records. Engine.Check builds one over its batch; the ingest corpus pass
// builds one from an index scan.

// CorpusFields are the record fields (JSON paths) Corpus.Add reads: what an
// index scan has to return for the corpus pass.
var CorpusFields = []string{
	"id", "organisation", "name", "purposes", "sub_purposes",
	"source.path", "source.locator", "source.document_date", "implementation_date",
	"retention.text", "retention.periods", "legal_bases", "flags",
	"provenance.name", "provenance.retention.text", "provenance.legal_bases",
}

// spanFields are the fields corpus flags point at; their provenance spans
// place the evidence.
var spanFields = [...]string{"name", "retention.text", "legal_bases"}

// maxOthers bounds the records a duplicate_record message lists: a group of
// thousands of copies would otherwise make every message of the group as
// long as the group.
const maxOthers = 10

// maxPostingVisits bounds the work of the cross-register matching (one visit
// = one candidate score update). Below it the rule is exact; above it the
// most common words are ignored for pairing, most common first, until the
// work fits: they carry the least identity (their weight is the lowest).
// 5×10⁸ visits take a few seconds.
var maxPostingVisits = 5e8

type span struct {
	start, end int32
	ok         bool
}

// corpusItem is what the corpus rules read of one record.
type corpusItem struct {
	id, org, name, path, locator string
	orgKey                       int32
	// dup is the duplicate key (organisation, name, purposes), hashed;
	// hasDup is false for a record with neither name nor purposes.
	dup    [16]byte
	hasDup bool
	// toks are the content tokens of the name (twice: the strongest
	// signal) and of the purposes, interned.
	toks              []int32
	retText           string
	days              float64
	art6              []string
	docDate, implDate string
	spans             [len(spanFields)]span
	// digest identifies the corpus flags the record carries (status
	// aside); statuses are the reviewer statuses among them, by Key.
	digest   string
	statuses map[string]string
}

// Corpus is the projection of many records for the corpus rules. Build it
// with Engine.NewCorpus and Add, then read the flags with Flags or Changes.
type Corpus struct {
	e      *Engine
	items  []corpusItem
	tokens map[string]int32
	orgs   map[string]int32
	// rawOrgs caches orgs by the organisation as written.
	rawOrgs map[string]int32
	// orgNames[k] is the normalised name of organisation k (pairs are
	// listed in this order, as the rules always did).
	orgNames []string
	// strs interns the few strings many records share (organisations).
	strs map[string]string

	prepared bool
	group    []int32   // per item: its duplicate group, -1 for none
	groups   [][]int32 // members of each group of two or more
	partners [][]int32 // per item: its matched records in other organisations
	// Skipped counts the common words the work bound left out of the
	// cross-register matching (0 when the matching was exact).
	Skipped int
}

// NewCorpus returns an empty corpus for e's rules.
func (e *Engine) NewCorpus() *Corpus {
	return &Corpus{e: e, tokens: map[string]int32{}, orgs: map[string]int32{}, rawOrgs: map[string]int32{}, strs: map[string]string{}}
}

// Len is the number of records added.
func (c *Corpus) Len() int { return len(c.items) }

// ID returns the id of the i-th record added.
func (c *Corpus) ID(i int) string { return c.items[i].id }

func (c *Corpus) intern(s string) string {
	if v, ok := c.strs[s]; ok {
		return v
	}
	c.strs[s] = s
	return s
}

// Add projects r into the corpus; nothing else of r is kept.
func (c *Corpus) Add(r *registre.Record) {
	c.prepared = false
	it := corpusItem{
		id:       r.ID,
		org:      c.intern(r.Organisation),
		name:     r.Name,
		path:     c.intern(r.Source.Path),
		locator:  r.Source.Locator,
		retText:  deref(r.Retention.Text),
		days:     maxDays(r),
		art6:     art6Codes(r),
		docDate:  deref(r.Source.DocumentDate),
		implDate: deref(r.ImplementationDate),
	}
	k, ok := c.rawOrgs[r.Organisation]
	if !ok {
		orgKey := normKey(r.Organisation)
		k, ok = c.orgs[orgKey]
		if !ok {
			k = int32(len(c.orgNames))
			c.orgs[orgKey] = k
			c.orgNames = append(c.orgNames, orgKey)
		}
		c.rawOrgs[r.Organisation] = k
	}
	it.orgKey = k

	// Each text is folded and split once (folding is most of the cost of
	// a record): its key and its content tokens come from the same words.
	nameWords := tokens(r.Name)
	name := strings.Join(nameWords, " ")
	var ps []string
	var purposeWords [][]string
	for _, list := range [][]string{r.Purposes, r.SubPurposes} {
		for _, p := range list {
			ws := tokens(p)
			purposeWords = append(purposeWords, ws)
			if k := strings.Join(ws, " "); k != "" {
				ps = append(ps, k)
			}
		}
	}
	if name != "" || len(ps) > 0 {
		sort.Strings(ps)
		ps = dedupSorted(ps)
		it.dup = sha256Key(c.orgNames[k] + "\x00" + name + "\x00" + strings.Join(ps, "\x01"))
		it.hasDup = true
	}

	nameToks := contentWords(nameWords)
	toks := make([]int32, 0, 2*len(nameToks))
	add := func(ts []string) {
		for _, t := range ts {
			id, ok := c.tokens[t]
			if !ok {
				id = int32(len(c.tokens))
				c.tokens[t] = id
			}
			toks = append(toks, id)
		}
	}
	add(nameToks)
	add(nameToks)
	for _, ws := range purposeWords {
		add(contentWords(ws))
	}
	it.toks = toks

	for i, f := range spanFields {
		if p, ok := r.Provenance[f]; ok {
			it.spans[i] = span{int32(p.Start), int32(p.End), true}
		}
	}
	var mine []registre.Flag
	for _, f := range r.Flags {
		if c.e.corpusRule(f.Rule) {
			mine = append(mine, f)
			if f.Status != "" && f.Status != "open" {
				if it.statuses == nil {
					it.statuses = map[string]string{}
				}
				it.statuses[Key(f)] = f.Status
			}
		}
	}
	it.digest = flagsDigest(mine)
	c.items = append(c.items, it)
}

func sha256Key(s string) [16]byte {
	sum := sha256.Sum256([]byte(s))
	var k [16]byte
	copy(k[:], sum[:16])
	return k
}

// corpusRule says whether the rule id is one of e's corpus-scope rules.
func (e *Engine) corpusRule(id string) bool {
	r, ok := e.byID[id]
	return ok && r.Scope == scopeCorpus
}

// flagsDigest identifies a set of flags by what the rules decide (key,
// message, severity, version, span), not by the status a reviewer gave.
// "" for no flag.
func flagsDigest(fs []registre.Flag) string {
	if len(fs) == 0 {
		return ""
	}
	lines := make([]string, 0, len(fs))
	for _, f := range fs {
		var s, e int
		if f.Start != nil {
			s = *f.Start
		}
		if f.End != nil {
			e = *f.End
		}
		lines = append(lines, fmt.Sprintf("%s\x00%s\x00%s\x00%d\x00%d\x00%d", Key(f), f.Severity, f.Message, f.RuleVersion, s, e))
	}
	sort.Strings(lines)
	h := sha256.New()
	for _, l := range lines {
		h.Write([]byte(l))
		h.Write([]byte{'\n'})
	}
	return hex.EncodeToString(h.Sum(nil))[:32]
}

// prepare runs the rules' matching once: duplicate groups and
// cross-register partners.
func (c *Corpus) prepare() {
	if c.prepared {
		return
	}
	c.prepared = true
	c.duplicates()
	c.partners = c.crossPartners(minSimilarity)
}

// duplicates groups records by organisation, normalised name and purposes.
func (c *Corpus) duplicates() {
	c.group = make([]int32, len(c.items))
	c.groups = nil
	first := map[[16]byte]int32{} // key → first member, or -(group+2) once grouped
	for i := range c.items {
		c.group[i] = -1
		it := &c.items[i]
		if !it.hasDup {
			continue
		}
		v, ok := first[it.dup]
		switch {
		case !ok:
			first[it.dup] = int32(i)
		case v >= 0:
			g := int32(len(c.groups))
			c.groups = append(c.groups, []int32{v, int32(i)})
			c.group[v], c.group[i] = g, g
			first[it.dup] = -(g + 2)
		default:
			g := -v - 2
			c.groups[g] = append(c.groups[g], int32(i))
			c.group[i] = g
		}
	}
}

// sameOccurrence is the same record given twice (same file, same place).
func sameOccurrence(a, b *corpusItem) bool {
	return a.path == b.path && a.locator == b.locator && a.id == b.id
}

// --- Cross-register divergence ----------------------------------------------

// minSimilarity is the TF-IDF cosine (name twice, purposes) above which two
// records of different bodies are taken as the same national processing.
const minSimilarity = 0.2

// xpair is record i matched with record j of another organisation.
type xpair struct {
	i, j int
	sim  float64
}

// sameProcessing pairs each record with its most similar record in every
// other organisation (mutual best match, similarity at least min).
func (c *Corpus) sameProcessing(min float64) []xpair {
	n := len(c.items)
	if len(c.orgNames) < 2 || n == 0 {
		return nil
	}
	// TF-IDF over name and purposes.
	df := make([]int32, len(c.tokens))
	for i := range c.items {
		toks := c.items[i].toks
		for k, t := range toks {
			if !containsTok(toks[:k], t) {
				df[t]++
			}
		}
	}
	type tw struct {
		t int32
		w float64
	}
	type jw struct {
		j, org int32 // the organisation travels along: no look-up per visit
		w      float64
	}
	nf := float64(n)
	vecs := make([][]tw, n)
	posting := make([][]jw, len(c.tokens))
	for i := range c.items {
		toks := c.items[i].toks
		var v []tw
		for k, t := range toks {
			if containsTok(toks[:k], t) {
				continue
			}
			tf := 0
			for _, u := range toks[k:] {
				if u == t {
					tf++
				}
			}
			v = append(v, tw{t, (1 + math.Log(float64(tf))) * math.Log(1+nf/float64(df[t]))})
		}
		norm := 0.0
		for _, x := range v {
			norm += x.w * x.w
		}
		norm = math.Sqrt(norm)
		for k := range v {
			v[k].w /= norm
			posting[v[k].t] = append(posting[v[k].t], jw{int32(i), c.items[i].orgKey, v[k].w})
		}
		vecs[i] = v
	}
	// Very common words carry no identity; skipping them also keeps the
	// comparison far from quadratic on large batches.
	skip := make([]bool, len(c.tokens))
	var kept []int32
	visits := 0.0
	for t, d := range df {
		if float64(d) > 0.2*nf && d > 20 {
			skip[t] = true
			continue
		}
		kept = append(kept, int32(t))
		visits += float64(d) * float64(d)
	}
	if visits > maxPostingVisits {
		sort.Slice(kept, func(a, b int) bool {
			if df[kept[a]] != df[kept[b]] {
				return df[kept[a]] > df[kept[b]]
			}
			return kept[a] < kept[b]
		})
		for _, t := range kept {
			if visits <= maxPostingVisits {
				break
			}
			skip[t] = true
			c.Skipped++
			visits -= float64(df[t]) * float64(df[t])
		}
	}
	// best[i]: the best match of i in each other organisation, kept only
	// when at least min (a mutual best at or above min is found among
	// those, the similarity being symmetric).
	type cand struct {
		org, j int32
		sim    float64
	}
	best := make([][]cand, n)
	scores := make([]float64, n)
	var touched []int32
	// byOrg[o] is i's best candidate in organisation o (j = -1: none yet).
	byOrg := make([]cand, len(c.orgNames))
	for o := range byOrg {
		byOrg[o].j = -1
	}
	var orgsSeen []int32
	// orgOf is the items' organisations, compact: the candidate loop reads
	// it at random, and the items are too big for the cache.
	orgOf := make([]int32, n)
	for i := range c.items {
		orgOf[i] = c.items[i].orgKey
	}
	for i := range c.items {
		oi := c.items[i].orgKey
		for _, x := range vecs[i] {
			if skip[x.t] {
				continue
			}
			for _, p := range posting[x.t] {
				if p.org == oi {
					continue
				}
				if scores[p.j] == 0 {
					touched = append(touched, p.j)
				}
				scores[p.j] += x.w * p.w
			}
		}
		for _, j := range touched {
			s := scores[j]
			scores[j] = 0
			o := orgOf[j]
			b := &byOrg[o]
			if b.j < 0 {
				orgsSeen = append(orgsSeen, o)
				*b = cand{o, j, s}
			} else if s > b.sim || (s == b.sim && j < b.j) {
				*b = cand{o, j, s}
			}
		}
		touched = touched[:0]
		for _, o := range orgsSeen {
			if b := byOrg[o]; b.sim >= min {
				best[i] = append(best[i], b)
			}
			byOrg[o].j = -1
		}
		orgsSeen = orgsSeen[:0]
		sort.Slice(best[i], func(a, b int) bool {
			return c.orgNames[best[i][a].org] < c.orgNames[best[i][b].org]
		})
	}
	var out []xpair
	for i := range c.items {
		oi := c.items[i].orgKey
		for _, b := range best[i] {
			mutual := false
			for _, bb := range best[b.j] {
				if bb.org == oi {
					mutual = bb.j == int32(i)
					break
				}
			}
			if mutual {
				out = append(out, xpair{i, int(b.j), b.sim})
			}
		}
	}
	return out
}

func containsTok(ts []int32, t int32) bool {
	for _, u := range ts {
		if u == t {
			return true
		}
	}
	return false
}

// crossPartners lists, per record, the records of other organisations it
// is matched with, in organisation order.
func (c *Corpus) crossPartners(min float64) [][]int32 {
	out := make([][]int32, len(c.items))
	for _, p := range c.sameProcessing(min) {
		out[p.i] = append(out[p.i], int32(p.j))
	}
	return out
}

// hits returns the corpus rules' hits on item i.
func (c *Corpus) hits(i int) []hit {
	c.prepare()
	var out []hit
	a := &c.items[i]
	if g := c.group[i]; g >= 0 {
		var others []string
		extra := 0
		for _, j := range c.groups[g] {
			b := &c.items[j]
			if int(j) == i || sameOccurrence(a, b) {
				continue
			}
			if len(others) == maxOthers {
				extra++
				continue
			}
			others = append(others, fmt.Sprintf("« %s » (%s)", b.name, sourceLabel(b.path, b.locator)))
		}
		if extra > 0 {
			others = append(others, fmt.Sprintf("et %d autres", extra))
		}
		if len(others) > 0 {
			out = append(out, hit{
				rule: "DUP-001",
				m:    match{field: "name", index: -1, text: a.name, evidence: a.name, start: 0, end: len(a.name)},
				vars: map[string]string{"others": strings.Join(others, " ; ")},
			})
		}
	}
	for _, j := range c.partners[i] {
		out = append(out, divergences(a, &c.items[j])...)
	}
	return out
}

// divergences compares two matched records and returns the hits for a.
func divergences(a, b *corpusItem) []hit {
	var out []hit
	base := map[string]string{
		"other_org":    b.org,
		"other_name":   b.name,
		"other_source": sourceLabel(b.path, b.locator),
		"this_source":  sourceLabel(a.path, a.locator),
	}
	da, db := a.days, b.days
	if da > 0 && db > 0 && math.Abs(da-db) > 0.1*math.Max(da, db) {
		vars := copyVars(base)
		vars["other_value"] = shorten(b.retText)
		vars["this_max"] = "jusqu'à " + humanDays(da)
		vars["other_max"] = "jusqu'à " + humanDays(db)
		m := whole(fieldText{field: "retention.text", index: -1, text: a.retText})
		out = append(out, hit{rule: "XRG-001", m: m, vars: vars})
	}
	ca, cb := a.art6, b.art6
	if len(ca) > 0 && len(cb) > 0 && strings.Join(ca, ",") != strings.Join(cb, ",") {
		vars := copyVars(base)
		vars["this_value"] = strings.Join(ca, ", ")
		vars["other_value"] = strings.Join(cb, ", ")
		m := match{field: "legal_bases", index: -1, evidence: strings.Join(ca, ", ")}
		out = append(out, hit{rule: "XRG-002", m: m, vars: vars})
	}
	return out
}

// stub is a record holding what rendering a corpus flag reads (dates for
// the message, provenance for the evidence span).
func (it *corpusItem) stub() *registre.Record {
	r := &registre.Record{ID: it.id, Name: it.name, Organisation: it.org}
	r.Source.Path, r.Source.Locator = it.path, it.locator
	r.Source.DocumentDate = registre.Str(it.docDate)
	r.ImplementationDate = registre.Str(it.implDate)
	r.Retention.Text = registre.Str(it.retText)
	for k, s := range it.spans {
		if s.ok {
			if r.Provenance == nil {
				r.Provenance = map[string]registre.Provenance{}
			}
			r.Provenance[spanFields[k]] = registre.Provenance{Start: int(s.start), End: int(s.end)}
		}
	}
	return r
}

// Flags returns the corpus flags record i should carry, sorted, with the
// statuses reviewers gave the same flags (by Key) kept.
func (c *Corpus) Flags(i int) []registre.Flag {
	it := &c.items[i]
	hs := c.hits(i)
	if len(hs) == 0 {
		return nil
	}
	stub := it.stub()
	var out []registre.Flag
	seen := map[string]bool{}
	for _, h := range hs {
		f := c.e.flag(stub, h)
		k := Key(f)
		if seen[k] {
			continue
		}
		seen[k] = true
		if st, ok := it.statuses[k]; ok {
			f.Status = st
		}
		out = append(out, f)
	}
	sortFlags(out)
	return out
}

// Changes calls fn, in the order the records were added, for each record
// whose corpus flags differ from the ones it carried when added (new ones,
// gone ones, or a changed message), with the flags it should carry now.
// Records whose corpus flags are the same are not reported: re-running over
// an unchanged corpus reports nothing.
func (c *Corpus) Changes(fn func(i int, flags []registre.Flag) error) error {
	c.prepare()
	for i := range c.items {
		fs := c.Flags(i)
		if flagsDigest(fs) == c.items[i].digest {
			continue
		}
		if err := fn(i, fs); err != nil {
			return err
		}
	}
	return nil
}

// ReplaceCorpusFlags returns r's flags with its corpus-scope flags replaced
// by corpus (flags of record rules and of other sources are kept), sorted.
func (e *Engine) ReplaceCorpusFlags(r *registre.Record, corpus []registre.Flag) []registre.Flag {
	out := make([]registre.Flag, 0, len(r.Flags)+len(corpus))
	for _, f := range r.Flags {
		if !e.corpusRule(f.Rule) {
			out = append(out, f)
		}
	}
	out = append(out, corpus...)
	sortFlags(out)
	return out
}
