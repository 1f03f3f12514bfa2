package review

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"registre"
	"registre/flags"
	"registre/index"
	"registre/index/bleveindex"
	"registre/overlay"
	"registre/pipeline"
)

type fixture struct {
	srv              *httptest.Server
	data             string
	reviewer, reader string
	recs             []registre.Record
}

// ingestInto extracts the Cramif register and puts its records into the
// embedded index under dir, as `registre ingest` does.
func ingestInto(t *testing.T, dir string) []registre.Record {
	t.Helper()
	ctx := context.Background()
	res, err := pipeline.New(pipeline.Options{Checker: flags.New()}).Run(ctx, []string{"../fixtures/corpus/cramif-registre.html"})
	if err != nil || res[0].Err != nil {
		t.Fatalf("pipeline: %v %v", err, res[0].Err)
	}
	ix, err := bleveindex.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if _, err := ix.PutRecords(ctx, res[0].Records); err != nil {
		t.Fatal(err)
	}
	return res[0].Records
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	data := t.TempDir()
	recs := ingestInto(t, data)
	store, err := overlay.Open(filepath.Join(data, "overlay.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	rev, _ := store.AddUser("relectrice", overlay.RoleReviewer)
	ana, _ := store.AddUser("analyste", overlay.RoleAnalyst)
	s := New(Config{Overlay: store, Open: func(ctx context.Context) (index.Index, error) { return bleveindex.Open(ctx, data) }})
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	return &fixture{srv: srv, data: data, reviewer: rev, reader: ana, recs: recs}
}

func (f *fixture) do(t *testing.T, method, path, token, body string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(method, f.srv.URL+path, strings.NewReader(body))
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// withFlag returns a record of the fixture that has a flag.
func (f *fixture) withFlag(t *testing.T) (registre.Record, string) {
	for _, r := range f.recs {
		for _, fl := range r.Flags {
			if fl.Code == "vague_retention" {
				return r, fl.Code
			}
		}
	}
	t.Fatal("no record with a vague_retention flag")
	return registre.Record{}, ""
}

// Anonymous → 401 before anything else; analysts read but get 403 on
// writes; reviewers write.
func TestAccessControl(t *testing.T) {
	f := newFixture(t)
	rec, code := f.withFlag(t)
	id := url.PathEscape(rec.ID)
	patch := `{"field":"retention.text","value":"5 ans","comment":"x"}`
	tests := []struct {
		method, path, token, body string
		want                      int
	}{
		{"GET", "/api/search?q=sante", "", "", 401},
		{"GET", "/api/records/no-such-id", "", "", 401},
		{"PATCH", "/api/records/" + id, "", patch, 401},
		{"GET", "/api/search?q=sante", "bad-token", "", 401},
		{"GET", "/api/search?q=sante", f.reader, "", 200},
		{"GET", "/api/records/" + id, f.reader, "", 200},
		{"GET", "/api/records/no-such-id", f.reader, "", 404},
		{"PATCH", "/api/records/" + id, f.reader, patch, 403},
		{"POST", "/api/records/" + id + "/flags/" + code + "/dismiss", f.reader, `{"comment":"x"}`, 403},
		{"PATCH", "/api/records/" + id, f.reviewer, patch, 200},
		{"PATCH", "/api/records/" + id, f.reviewer, `{"field":"id","value":"x"}`, 400},
		{"PATCH", "/api/records/" + id, f.reviewer, `{"field":"purposes","value":"not a list"}`, 400},
		{"POST", "/api/records/" + id + "/flags/" + code + "/dismiss", f.reviewer, `{"comment":"ok"}`, 200},
		{"POST", "/api/records/" + id + "/flags/no_such_flag/dismiss", f.reviewer, `{}`, 400},
		{"GET", "/api/records/" + id + "/history", f.reader, "", 200},
		{"GET", "/api/review-queue", f.reader, "", 200},
		{"GET", "/api/export.csv", f.reader, "", 200},
		{"GET", "/api/export.xlsx", f.reader, "", 200},
		{"GET", "/api/export.json", f.reader, "", 200},
		{"PATCH", "/api/records/" + id, f.reviewer, `{"field":"retention.text","value":"` + strings.Repeat("x", 2<<20) + `"}`, 413},
	}
	for _, tt := range tests {
		got, body := f.do(t, tt.method, tt.path, tt.token, tt.body)
		if got != tt.want {
			t.Errorf("%s %s (token %v): %d, want %d: %.200s", tt.method, tt.path, tt.token != "", got, tt.want, body)
		}
	}
}

// A correction and a dismissal survive re-ingestion, with their audit
// entries; exports use the corrected value.
func TestCorrectionsSurviveReingestion(t *testing.T) {
	f := newFixture(t)
	rec, code := f.withFlag(t)
	id := url.PathEscape(rec.ID)
	if st, body := f.do(t, "PATCH", "/api/records/"+id, f.reviewer, `{"field":"retention.text","value":"5 ans après la clôture du dossier","comment":"confirmé par le service"}`); st != 200 {
		t.Fatalf("patch: %d %s", st, body)
	}
	if st, body := f.do(t, "POST", "/api/records/"+id+"/flags/"+code+"/dismiss", f.reviewer, `{"comment":"durée validée"}`); st != 200 {
		t.Fatalf("dismiss: %d %s", st, body)
	}
	ingestInto(t, f.data) // re-ingestion of the same register

	st, body := f.do(t, "GET", "/api/records/"+id, f.reader, "")
	if st != 200 {
		t.Fatalf("get: %d", st)
	}
	var got registre.Record
	if err := json.Unmarshal([]byte(body), &got); err != nil {
		t.Fatal(err)
	}
	if got.Retention.Text == nil || *got.Retention.Text != "5 ans après la clôture du dossier" {
		t.Errorf("retention after re-ingestion = %v", got.Retention.Text)
	}
	if got.Provenance["retention.text"].Method != registre.MethodReview {
		t.Errorf("provenance = %+v", got.Provenance["retention.text"])
	}
	for _, fl := range got.Flags {
		want := "open"
		if fl.Code == code {
			want = "dismissed"
		}
		if fl.Status != want {
			t.Errorf("flag %s status %q, want %q", fl.Code, fl.Status, want)
		}
	}
	_, hist := f.do(t, "GET", "/api/records/"+id+"/history", f.reader, "")
	var entries []overlay.Entry
	json.Unmarshal([]byte(hist), &entries)
	if len(entries) != 2 || entries[0].User != "relectrice" || entries[0].Field != "retention.text" || entries[1].Action != "dismiss" {
		t.Errorf("history = %s", hist)
	}
	_, csv := f.do(t, "GET", "/api/export.csv?q="+url.QueryEscape(rec.Name), f.reader, "")
	if !strings.Contains(csv, "5 ans après la clôture du dossier") || !strings.HasPrefix(csv, "\ufeffNom / sigle du traitement;") {
		t.Errorf("csv export lacks the correction or the model columns: %.300s", csv)
	}
}

func TestSearchAPI(t *testing.T) {
	f := newFixture(t)
	st, body := f.do(t, "GET", "/api/search?q=donnees+de+sante&filter=organisation:Cramif", f.reader, "")
	if st != 200 {
		t.Fatalf("%d %s", st, body)
	}
	var res index.Result
	if err := json.Unmarshal([]byte(body), &res); err != nil {
		t.Fatal(err)
	}
	if res.Total == 0 || len(res.Hits) == 0 || res.Hits[0].Organisation != "Cramif" {
		t.Errorf("search: %+v", res)
	}
	if len(res.Facets["organisation"]) == 0 {
		t.Errorf("no organisation facet: %v", res.Facets)
	}
	_, all := f.do(t, "GET", "/api/search", f.reader, "")
	json.Unmarshal([]byte(all), &res)
	if res.Total != len(f.recs) {
		t.Errorf("empty query total = %d, want %d", res.Total, len(f.recs))
	}
}

// The pages: login with a token, then a session cookie; forms need the
// CSRF token; output is escaped.
func TestPagesSessionAndCSRF(t *testing.T) {
	f := newFixture(t)
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	resp, err := c.Get(f.srv.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 401 {
		t.Errorf("anonymous page: %d, want 401", resp.StatusCode)
	}
	resp, err = c.PostForm(f.srv.URL+"/login", url.Values{"token": {f.reviewer}, "next": {"/"}})
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(page), "traitement(s)") {
		t.Fatalf("after login: %d %.300s", resp.StatusCode, page)
	}
	rec, _ := f.withFlag(t)
	edit := f.srv.URL + "/records/" + url.PathEscape(rec.ID) + "/edit"
	resp, _ = c.PostForm(edit, url.Values{"field": {"retention.text"}, "value": {"<script>alert(1)</script>"}})
	resp.Body.Close()
	if resp.StatusCode != 403 {
		t.Errorf("form without CSRF token: %d, want 403", resp.StatusCode)
	}
	resp, _ = c.Get(f.srv.URL + "/records/" + url.PathEscape(rec.ID))
	page, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	i := strings.Index(string(page), `name="csrf" value="`)
	if i < 0 {
		t.Fatal("no CSRF token in the record page")
	}
	tok := string(page[i+len(`name="csrf" value="`):])
	tok = tok[:strings.IndexByte(tok, '"')]
	resp, _ = c.PostForm(edit, url.Values{"csrf": {tok}, "field": {"retention.text"}, "value": {"<script>alert(1)</script>"}, "comment": {"test"}})
	page, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("form with CSRF token: %d", resp.StatusCode)
	}
	if strings.Contains(string(page), "<script>alert(1)</script>") || !strings.Contains(string(page), "&lt;script&gt;alert(1)&lt;/script&gt;") {
		t.Error("corrected value not escaped in the page")
	}
	for _, p := range []string{"/queue", "/dashboard", "/register.html", "/export.xlsx"} {
		resp, _ = c.Get(f.srv.URL + p)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Errorf("GET %s: %d", p, resp.StatusCode)
		}
	}
}

func TestHighlight(t *testing.T) {
	tests := map[string]string{
		"les <mark>données</mark> d&#39;habitation": "les <mark>données</mark> d&#39;habitation",
		"<script>alert(1)</script> <mark>x</mark>":  "&lt;script&gt;alert(1)&lt;/script&gt; <mark>x</mark>",
		"&lt;b&gt;gras&lt;/b&gt;":                   "&lt;b&gt;gras&lt;/b&gt;",
	}
	for in, want := range tests {
		if got := string(highlight(in)); got != want {
			t.Errorf("highlight(%q) = %q, want %q", in, got, want)
		}
	}
}
