package review

import (
	"bytes"
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"html/template"
	"net/http"
	"net/url"
	"os"
	"sort"
	"strings"
	"sync"

	"registre"
	"registre/ingest"
	"registre/overlay"
)

//go:embed templates/*.html static/app.js
var assets embed.FS

var funcs = template.FuncMap{
	"join":  strings.Join,
	"add":   func(a, b int) int { return a + b },
	"pct":   func(f float64) string { return fmt.Sprintf("%.0f %%", 100*f) },
	"conf":  func(f float64) string { return fmt.Sprintf("%.2f", f) },
	"json":  marshalIndent,
	"label": fieldLabel,
	"hl":    highlight,
	"hlField": func(k string) string {
		if l, ok := highlightLabels[k]; ok {
			return l
		}
		return k
	},
	"facetLabel": func(k string) string {
		if l, ok := facetLabels[k]; ok {
			return l
		}
		return k
	},
}

var pages = template.Must(template.New("").Funcs(funcs).ParseFS(assets, "templates/*.html"))

// highlight renders a search fragment: only the <mark> tags the index added
// survive; everything else is text, escaped once (the backends may or may
// not have escaped the source already).
func highlight(frag string) template.HTML {
	frag = strings.NewReplacer("<mark>", "\x01", "</mark>", "\x02").Replace(frag)
	frag = template.HTMLEscapeString(html.UnescapeString(frag))
	return template.HTML(strings.NewReplacer("\x01", "<mark>", "\x02", "</mark>").Replace(frag))
}

func (s *Server) render(w http.ResponseWriter, name string, data map[string]any) {
	var buf bytes.Buffer
	if err := pages.ExecuteTemplate(&buf, name, data); err != nil {
		s.cfg.Logger.Error("render", "template", name, "err", err)
		http.Error(w, "erreur d'affichage", http.StatusInternalServerError)
		return
	}
	if w.Header().Get("Content-Type") == "" {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
	}
	w.Write(buf.Bytes())
}

func (s *Server) static(w http.ResponseWriter, r *http.Request) {
	data, _ := assets.ReadFile("static/app.js")
	w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
	w.Write(data)
}

// page adds what every page shows (who is signed in, the CSRF token).
func page(p principal, data map[string]any) map[string]any {
	data["User"] = p.Name
	data["Role"] = p.Role
	data["Reviewer"] = p.Role == overlay.RoleReviewer
	data["CSRF"] = p.csrf
	return data
}

var highlightLabels = map[string]string{
	"name": "Nom", "purposes": "Finalités", "data_categories": "Données", "data_subjects": "Personnes",
	"legal_basis": "Base légale", "recipients": "Destinataires", "retention": "Conservation",
}

var facetLabels = map[string]string{
	"organisation":  "Organisme",
	"legal_basis":   "Base légale",
	"flag":          "Signalement",
	"data_category": "Catégorie de données",
	"sensitive":     "Données sensibles",
	"transfer":      "Transfert hors UE",
	"retention":     "Durée de conservation",
	"decade":        "Mise en œuvre",
	"format":        "Format source",
	"kind":          "Type d'entrée",
}

// facetView is a facet as the search page shows it: each value links to the
// search with that filter toggled.
type facetView struct {
	Key    string
	Values []facetValueView
}

type facetValueView struct {
	Value, Href string
	Count       int
	Active      bool
}

func toggle(v url.Values, key, value string) string {
	out := url.Values{}
	for k, vs := range v {
		if k == "page" {
			continue
		}
		out[k] = append([]string(nil), vs...)
	}
	f := key + ":" + value
	var kept []string
	found := false
	for _, x := range out["filter"] {
		if x == f {
			found = true
			continue
		}
		kept = append(kept, x)
	}
	if !found {
		kept = append(kept, f)
	}
	out["filter"] = kept
	return "/?" + out.Encode()
}

func (s *Server) searchPage(w http.ResponseWriter, r *http.Request, p principal) {
	v := r.URL.Query()
	q := queryOf(v)
	res, err := s.search(r, q)
	if err != nil {
		s.fail(w, r, statusOf(err), err)
		return
	}
	active := map[string]bool{}
	for k, vals := range q.Filters {
		for _, x := range vals {
			active[k+":"+x] = true
		}
	}
	var facets []facetView
	keys := make([]string, 0, len(res.Facets))
	for k := range res.Facets {
		keys = append(keys, k)
	}
	order := map[string]int{}
	for i, k := range []string{"organisation", "flag", "legal_basis", "data_category", "sensitive", "transfer", "retention", "decade", "format", "kind"} {
		order[k] = i
	}
	sort.Slice(keys, func(i, j int) bool { return order[keys[i]] < order[keys[j]] })
	for _, k := range keys {
		fv := facetView{Key: k}
		for _, x := range res.Facets[k] {
			fv.Values = append(fv.Values, facetValueView{Value: x.Value, Count: x.Count, Href: toggle(v, k, x.Value), Active: active[k+":"+x.Value]})
		}
		if len(fv.Values) > 0 {
			facets = append(facets, fv)
		}
	}
	pageN := q.From/q.Size + 1
	link := func(n int) string {
		out := url.Values{}
		for k, vs := range v {
			out[k] = vs
		}
		out.Set("page", fmt.Sprint(n))
		return "/?" + out.Encode()
	}
	data := map[string]any{
		"Q": q.Text, "Result": res, "Facets": facets, "Query": v.Encode(),
		"Page": pageN, "From": q.From + 1, "To": q.From + len(res.Hits),
	}
	if pageN > 1 {
		data["Prev"] = link(pageN - 1)
	}
	if q.From+len(res.Hits) < res.Total {
		data["Next"] = link(pageN + 1)
	}
	var filters []facetValueView
	for k, vals := range q.Filters {
		for _, x := range vals {
			filters = append(filters, facetValueView{Value: facetLabels[k] + " : " + x, Href: toggle(v, k, x)})
		}
	}
	sort.Slice(filters, func(i, j int) bool { return filters[i].Value < filters[j].Value })
	data["Filters"] = filters
	data["FilterParams"] = v["filter"]
	s.render(w, "search", page(p, data))
}

// fieldLabels are the French names of the fields a reviewer sees and edits,
// in the order of the record page.
var fieldOrder = []struct{ Path, Label string }{
	{"name", "Nom du traitement"},
	{"reference", "Référence"},
	{"business_unit", "Direction / service"},
	{"joint_controllers", "Responsable(s) conjoint(s)"},
	{"purposes", "Finalité(s)"},
	{"sub_purposes", "Sous-finalités"},
	{"legal_basis_text", "Base légale"},
	{"data_subjects", "Personnes concernées"},
	{"data_categories", "Catégories de données"},
	{"recipients.internal", "Destinataires internes"},
	{"recipients.external", "Destinataires externes"},
	{"persons_with_access", "Personnes accédant aux données"},
	{"processors", "Sous-traitant(s)"},
	{"transfers.text", "Transferts hors UE"},
	{"retention.text", "Durée de conservation"},
	{"security_measures", "Mesures de sécurité"},
	{"rights.contact", "Exercice des droits — contact"},
	{"rights.text", "Exercice des droits"},
	{"objection_exemption", "Justification absence du droit d'opposition"},
	{"implementation_date", "Date de mise en œuvre"},
	{"regulatory_act", "Acte réglementaire"},
	{"controller.name", "Responsable du traitement"},
	{"dpo.name", "Délégué à la protection des données"},
}

func fieldLabel(path string) string {
	for _, f := range fieldOrder {
		if f.Path == path {
			return f.Label
		}
	}
	return path
}

// fieldView is one field on the record page with its evidence.
type fieldView struct {
	Path, Label string
	Values      []string
	List        bool
	Prov        *registre.Provenance
	Before      string // source text before the span
	Span        string // the span itself
	After       string
	Corrected   bool
	Stale       bool
	EditValue   string
}

func (s *Server) recordPage(w http.ResponseWriter, r *http.Request, p principal) {
	id := r.PathValue("id")
	rec, machine, o, err := s.record(r.Context(), id)
	if err != nil {
		s.fail(w, r, statusOf(err), err)
		return
	}
	_, cs, ds := o.Apply(machine)
	corrected := map[string]overlay.Correction{}
	for _, c := range cs {
		corrected[c.Field] = c
	}
	text := s.sources.text(r.Context(), rec.Source)
	var fields []fieldView
	for _, f := range fieldOrder {
		raw, err := overlay.Get(rec, f.Path)
		if err != nil {
			continue
		}
		fv := fieldView{Path: f.Path, Label: f.Label}
		var list []string
		var str *string
		if json.Unmarshal(raw, &list) == nil && strings.HasPrefix(string(raw), "[") {
			fv.List, fv.Values, fv.EditValue = true, list, strings.Join(list, "\n")
		} else if json.Unmarshal(raw, &str) == nil && str != nil {
			fv.Values, fv.EditValue = []string{*str}, *str
		}
		key := f.Path
		if strings.HasSuffix(key, ".name") {
			key = strings.TrimSuffix(key, ".name")
		}
		if pv, ok := rec.Provenance[key]; ok {
			pv := pv
			fv.Prov = &pv
			if text != "" && pv.Start >= 0 && pv.End <= len(text) && pv.Start < pv.End {
				fv.Before, fv.Span, fv.After = snippet(text, pv.Start, pv.End)
			}
		}
		if c, ok := corrected[f.Path]; ok {
			fv.Corrected, fv.Stale = true, c.State == overlay.StateStale
		}
		fields = append(fields, fv)
	}
	history, err := s.cfg.Overlay.History(r.Context(), id)
	if err != nil {
		s.fail(w, r, statusOf(err), err)
		return
	}
	staleFlags := map[string]bool{}
	for _, d := range ds {
		if d.State == overlay.StateStale {
			staleFlags[d.Code] = true
		}
	}
	s.render(w, "record", page(p, map[string]any{
		"Rec": rec, "Fields": fields, "History": history, "StaleFlags": staleFlags,
		"HasSource": text != "", "Codes": legalCodes(rec),
	}))
}

func legalCodes(rec registre.Record) string {
	var codes []string
	for _, b := range rec.LegalBases {
		codes = append(codes, b.Code)
	}
	return strings.Join(codes, ", ")
}

// snippet cuts the source text around a span, on word boundaries.
func snippet(text string, start, end int) (before, span, after string) {
	const ctx = 160
	b := max(0, start-ctx)
	for b > 0 && b < start && text[b]&0xC0 == 0x80 {
		b--
	}
	e := min(len(text), end+ctx)
	for e < len(text) && text[e]&0xC0 == 0x80 {
		e++
	}
	before, span, after = text[b:start], text[start:end], text[end:e]
	if b > 0 {
		before = "…" + before
	}
	if e < len(text) {
		after += "…"
	}
	return
}

func (s *Server) sourceFile(w http.ResponseWriter, r *http.Request, p principal) {
	rec, _, _, err := s.record(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, statusOf(err), err)
		return
	}
	f, err := os.Open(rec.Source.Path)
	if err != nil {
		s.fail(w, r, http.StatusNotFound, fmt.Errorf("fichier source introuvable : %s", rec.Source.Path))
		return
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil || st.IsDir() {
		s.fail(w, r, http.StatusNotFound, errors.New("fichier source introuvable"))
		return
	}
	name := st.Name()
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", name))
	http.ServeContent(w, r, name, st.ModTime(), f)
}

// editForm is the page form for a correction: list fields take one item per
// line; an empty value clears a text field (null).
func (s *Server) editForm(w http.ResponseWriter, r *http.Request, p principal) {
	id, field := r.PathValue("id"), r.PostFormValue("field")
	_, machine, _, err := s.record(r.Context(), id)
	if err != nil {
		s.fail(w, r, statusOf(err), err)
		return
	}
	cur, err := overlay.Get(machine, field)
	if err != nil {
		s.fail(w, r, statusOf(err), err)
		return
	}
	text := strings.ReplaceAll(r.PostFormValue("value"), "\r\n", "\n")
	var value []byte
	if strings.HasPrefix(string(cur), "[") {
		items := []string{}
		for _, l := range strings.Split(text, "\n") {
			if l = strings.TrimSpace(l); l != "" {
				items = append(items, l)
			}
		}
		value, _ = json.Marshal(items)
	} else if t := strings.TrimSpace(text); t == "" {
		value = []byte("null")
	} else {
		value, _ = json.Marshal(t)
	}
	if _, err := s.correct(r, p, id, field, value, r.PostFormValue("comment")); err != nil {
		s.fail(w, r, statusOf(err), err)
		return
	}
	http.Redirect(w, r, "/records/"+url.PathEscape(id)+"#"+url.QueryEscape(field), http.StatusSeeOther)
}

func (s *Server) flagForm(w http.ResponseWriter, r *http.Request, p principal) {
	id := r.PathValue("id")
	if _, err := s.decide(r, p, id, r.PathValue("code"), r.PathValue("action"), r.PostFormValue("comment")); err != nil {
		s.fail(w, r, statusOf(err), err)
		return
	}
	http.Redirect(w, r, "/records/"+url.PathEscape(id)+"#flags", http.StatusSeeOther)
}

func (s *Server) queuePage(w http.ResponseWriter, r *http.Request, p principal) {
	q, err := s.queue(r, queryOf(r.URL.Query()).Filters, 200)
	if err != nil {
		s.fail(w, r, statusOf(err), err)
		return
	}
	s.render(w, "queue", page(p, map[string]any{"Queue": q}))
}

// orgStats is one organisation on the dashboard.
type orgStats struct {
	Organisation string
	Records      int
	FlagsChart   template.HTML
	Completeness template.HTML
}

// completenessFields are the Art. 30 fields the dashboard measures.
var completenessFields = []string{"purposes", "legal_basis_text", "data_subjects", "data_categories", "recipients.external", "retention.text", "security_measures", "transfers.text", "implementation_date"}

func (s *Server) dashboardPage(w http.ResponseWriter, r *http.Request, p principal) {
	recs, err := s.corrected(r)
	if err != nil {
		s.fail(w, r, statusOf(err), err)
		return
	}
	byOrg := map[string][]registre.Record{}
	for _, rec := range recs {
		byOrg[rec.Organisation] = append(byOrg[rec.Organisation], rec)
	}
	var stats []orgStats
	for org, rs := range byOrg {
		flags := map[string]float64{}
		filled := map[string]float64{}
		for _, rec := range rs {
			for _, f := range rec.Flags {
				if f.Status == "" || f.Status == overlay.StatusOpen {
					flags[f.Code]++
				}
			}
			for _, path := range completenessFields {
				if raw, err := overlay.Get(rec, path); err == nil && stated(raw) {
					filled[path]++
				}
			}
		}
		var fbars, cbars []bar
		for code, n := range flags {
			fbars = append(fbars, bar{Label: code, Value: n, Text: fmt.Sprint(n)})
		}
		sort.Slice(fbars, func(i, j int) bool {
			if fbars[i].Value != fbars[j].Value {
				return fbars[i].Value > fbars[j].Value
			}
			return fbars[i].Label < fbars[j].Label
		})
		for _, path := range completenessFields {
			v := filled[path] / float64(len(rs))
			cbars = append(cbars, bar{Label: fieldLabel(path), Value: v, Text: fmt.Sprintf("%.0f %%", 100*v)})
		}
		stats = append(stats, orgStats{Organisation: org, Records: len(rs), FlagsChart: barChart(fbars, 0), Completeness: barChart(cbars, 1)})
	}
	sort.Slice(stats, func(i, j int) bool { return stats[i].Organisation < stats[j].Organisation })
	s.render(w, "dashboard", page(p, map[string]any{"Stats": stats}))
}

func stated(raw json.RawMessage) bool {
	t := strings.TrimSpace(string(raw))
	return t != "null" && t != "[]" && t != `""` && t != ""
}

// sourceCache keeps the text of recently shown source documents, so the
// record page can show evidence snippets without re-reading the file each
// time. A file whose content changed since ingestion shows no snippet.
type sourceCache struct {
	mu    sync.Mutex
	size  int
	order []string
	m     map[string]string
}

func newSourceCache(size int) *sourceCache {
	return &sourceCache{size: size, m: map[string]string{}}
}

func (c *sourceCache) text(ctx context.Context, src registre.Source) string {
	c.mu.Lock()
	t, ok := c.m[src.SHA256]
	c.mu.Unlock()
	if ok {
		return t
	}
	doc, err := ingest.ReadFile(ctx, src.Path, ingest.Options{})
	if err != nil || doc.SHA256 != src.SHA256 {
		return ""
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.m[src.SHA256]; !ok {
		c.order = append(c.order, src.SHA256)
		if len(c.order) > c.size {
			delete(c.m, c.order[0])
			c.order = c.order[1:]
		}
	}
	c.m[src.SHA256] = doc.Text
	return doc.Text
}
