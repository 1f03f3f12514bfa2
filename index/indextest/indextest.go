// Package indextest is the conformance suite every index backend runs: the
// same records, the same queries, the same expected hits and facet counts, so
// the embedded and the Elasticsearch backends cannot drift apart.
package indextest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"registre"
	"registre/index"
)

// Fixtures loads the conformance corpus from fixtures/index: records derived
// from the hand-checked Cramif and Cnam gold sets, plus hand-written CCMSA,
// CGSS and document_status entries covering the facets gold lacks.
func Fixtures(t testing.TB) []registre.Record {
	t.Helper()
	dir := FixtureDir(t)
	var all []registre.Record
	for _, name := range []string{"gold-derived.json", "handmade.json"} {
		raw, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatalf("read fixture: %v", err)
		}
		var recs []registre.Record
		if err := json.Unmarshal(raw, &recs); err != nil {
			t.Fatalf("decode fixture %s: %v", name, err)
		}
		all = append(all, recs...)
	}
	return all
}

// FixtureDir finds fixtures/index from the test's working directory.
func FixtureDir(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(dir, "fixtures", "index")
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("go.mod not found above the test's directory")
		}
		dir = parent
	}
}

// Run runs the suite against a fresh, empty index returned by open.
func Run(t *testing.T, open func(t *testing.T) index.Index) {
	ctx := context.Background()
	recs := Fixtures(t)
	idx := open(t)
	processing := 0
	for i := range recs {
		if index.KindOf(&recs[i]) == index.KindRecord {
			processing++
		}
	}

	t.Run("put", func(t *testing.T) {
		res, err := idx.PutRecords(ctx, recs)
		if err != nil {
			t.Fatalf("PutRecords: %v", err)
		}
		if res.Indexed != len(recs) || len(res.Failures) != 0 {
			t.Fatalf("PutRecords = %d indexed, failures %v; want %d, none", res.Indexed, res.Failures, len(recs))
		}
		if err := idx.Refresh(ctx); err != nil {
			t.Fatalf("Refresh: %v", err)
		}
	})

	t.Run("empty query counts processing records and every facet", func(t *testing.T) {
		res := search(t, idx, index.Query{Size: index.MaxSize})
		if res.Total != processing || len(res.Hits) != processing {
			t.Fatalf("total %d, %d hits; want %d processing records (document_status excluded)", res.Total, len(res.Hits), processing)
		}
		want := expectedFacets(recs, func(r *registre.Record) bool { return index.KindOf(r) == index.KindRecord })
		for _, key := range index.FacetKeys {
			if !reflect.DeepEqual(res.Facets[key], want[key]) {
				t.Errorf("facet %s = %v; want %v", key, res.Facets[key], want[key])
			}
		}
	})

	t.Run("hand-checked facet counts", func(t *testing.T) {
		res := search(t, idx, index.Query{})
		for _, c := range []struct {
			key, value string
			count      int
		}{
			{index.FacetOrganisation, "Cramif", 12},
			{index.FacetOrganisation, "Cnam", 10},
			{index.FacetOrganisation, "CCMSA", 2},
			{index.FacetFlag, "missing_legal_basis", 12},
			{index.FacetFlag, "indefinite_retention", 1},
			{index.FacetTransfer, "yes", 1},
			{index.FacetRetention, index.RetentionIndefinite, 1},
			{index.FacetDecade, "1980s", 1},
			{index.FacetDecade, "1990s", 2},
			{index.FacetFormat, "docx", 1},
			{index.FacetKind, index.KindRecord, processing},
		} {
			if got := count(res.Facets[c.key], c.value); got != c.count {
				t.Errorf("facet %s=%s counts %d; want %d", c.key, c.value, got, c.count)
			}
		}
		// A dismissed flag is closed: not a facet value.
		if got := count(res.Facets[index.FacetFlag], "transfer_without_safeguard"); got != 0 {
			t.Errorf("dismissed flag counted %d times", got)
		}
	})

	t.Run("accent-insensitive French search", func(t *testing.T) {
		want := []string{
			"ccmsa-decision-14-04-archives-historiques",
			"cgss-gestion-de-crise-sanitaire",
			"cnam-evaluer-la-satisfaction-des-professionnels-et-le",
			"cnam-gerer-les-immatriculations-et-les-affiliations",
			"cnam-gestion-et-mise-en-uvre-de-la-prevention-des-ris",
			"cnam-gestion-et-realisation-des-missions-des-centres-",
			"cnam-ouvrir-instruire-et-gerer-les-droits-en-invalidi",
			"cnam-traiter-les-frais-de-sante-en-maladie-et-materni",
			"cnam-traiter-les-honoraires-montants-forfaits-et-pres",
			"cramif-gestion-des-signalements-de-fraudes-et-anomalies",
			"cramif-mise-a-disposition-d-etats-pour-les-differents-m",
			"cramif-requetes-sur-le-systeme-national-des-donnees-de-",
		}
		for _, q := range []string{"donnees de sante", "données de santé", "DONNÉES DE SANTÉ", "donnée santé"} {
			res := search(t, idx, index.Query{Text: q, Size: index.MaxSize})
			if got := ids(res); !slices.Equal(got, want) {
				t.Errorf("%q matched %v; want %v", q, got, want)
			}
			if res.Total != len(want) {
				t.Errorf("%q total %d; want %d", q, res.Total, len(want))
			}
		}
	})

	t.Run("queries", func(t *testing.T) {
		for _, c := range []struct {
			name string
			q    index.Query
			want []string
		}{
			{"stemmed plural and folded accent", index.Query{Text: "invalidités"}, []string{
				"cnam-evaluer-la-satisfaction-des-professionnels-et-le",
				"cnam-ouvrir-instruire-et-gerer-les-droits-en-invalidi",
				"cnam-traiter-les-frais-de-sante-en-maladie-et-materni",
				"cnam-traiter-les-honoraires-montants-forfaits-et-pres",
				"cramif-container-des-donnees-et-paiements-invalidite-cd",
				"cramif-controle-a-posteriori-invalidite",
			}},
			{"elision", index.Query{Text: "l'embauche"}, []string{"ccmsa-decision-14-04-teleservice-declaration-embauche"}},
			{"typographic apostrophe", index.Query{Text: "d’embauche"}, []string{"ccmsa-decision-14-04-teleservice-declaration-embauche"}},
			{"every term required", index.Query{Text: "fraudes requêtes"}, []string{"cramif-requetes-sur-le-systeme-national-des-donnees-de-"}},
			{"stop words only", index.Query{Text: "de la"}, nil},
			{"filter organisation", index.Query{Filters: map[string][]string{"organisation": {"CCMSA"}}}, []string{
				"ccmsa-decision-14-04-archives-historiques", "ccmsa-decision-14-04-teleservice-declaration-embauche"}},
			{"filters AND across keys", index.Query{Filters: map[string][]string{"organisation": {"CCMSA"}, "sensitive": {"health"}}}, []string{
				"ccmsa-decision-14-04-archives-historiques"}},
			{"filter values OR", index.Query{Filters: map[string][]string{"format": {"docx", "html"}, "retention": {"undetermined"}}}, []string{
				"cgss-gestion-de-crise-sanitaire", "cramif-requetes-sur-le-systeme-national-des-donnees-de-"}},
			{"text and filter", index.Query{Text: "santé", Filters: map[string][]string{"legal_basis": {"9-2-b"}}}, []string{"cgss-gestion-de-crise-sanitaire"}},
			{"transfer outside EU", index.Query{Filters: map[string][]string{"transfer": {"yes"}}}, []string{"ccmsa-decision-14-04-teleservice-declaration-embauche"}},
			{"decade", index.Query{Filters: map[string][]string{"decade": {"1980s"}}}, []string{"ccmsa-decision-14-04-archives-historiques"}},
			{"data category keyword", index.Query{Filters: map[string][]string{"data_category": {"bancaire"}, "organisation": {"CCMSA", "CGSS"}}}, nil},
			{"document status only on request", index.Query{Filters: map[string][]string{"kind": {"document_status"}}}, []string{"status-declarations-fiche-illisible"}},
			{"document status hidden by default", index.Query{Text: "illisible"}, nil},
		} {
			t.Run(c.name, func(t *testing.T) {
				c.q.Size = index.MaxSize
				res := search(t, idx, c.q)
				if got := ids(res); !slices.Equal(got, c.want) {
					t.Errorf("matched %v; want %v", got, c.want)
				}
				if res.Total != len(c.want) {
					t.Errorf("total %d; want %d", res.Total, len(c.want))
				}
			})
		}
	})

	t.Run("name match ranks first", func(t *testing.T) {
		res := search(t, idx, index.Query{Text: "déclaration embauche télé-service"})
		if len(res.Hits) == 0 || res.Hits[0].ID != "ccmsa-decision-14-04-teleservice-declaration-embauche" {
			t.Fatalf("hits %v; want the télé-service record first", ids(res))
		}
		h := res.Hits[0]
		if h.Name != "Télé-service de déclaration préalable à l'embauche" || h.Organisation != "CCMSA" || h.Kind != index.KindRecord || h.SourcePath != "ccmsa-decision-14-04.pdf" {
			t.Errorf("hit fields = %+v", h)
		}
		if h.Score <= 0 {
			t.Errorf("score %v; want > 0", h.Score)
		}
	})

	t.Run("highlights", func(t *testing.T) {
		res := search(t, idx, index.Query{Text: "invalidité", Highlight: true, Filters: map[string][]string{"organisation": {"Cramif"}}})
		if len(res.Hits) != 2 {
			t.Fatalf("hits %v; want 2", ids(res))
		}
		for _, h := range res.Hits {
			frags := h.Highlights["name"]
			if len(frags) == 0 || !strings.Contains(strings.ToLower(strings.Join(frags, " ")), "<mark>invalidit") {
				t.Errorf("%s: name highlights %q; want <mark>invalidité…", h.ID, frags)
			}
		}
	})

	t.Run("highlights are HTML", func(t *testing.T) {
		res := search(t, idx, index.Query{Text: "embauche", Highlight: true})
		if len(res.Hits) != 1 {
			t.Fatalf("hits %v; want 1", ids(res))
		}
		frags := res.Hits[0].Highlights["name"]
		if len(frags) != 1 {
			t.Fatalf("name highlights %q; want one fragment", frags)
		}
		f := frags[0]
		// The apostrophe is escaped (each backend has its own entity),
		// the marks are tags, and unmarking gives back the name.
		if strings.Contains(f, "'") || !strings.Contains(f, "<mark>") {
			t.Errorf("fragment %q is not escaped HTML with <mark>", f)
		}
		plain := html.UnescapeString(strings.NewReplacer("<mark>", "", "</mark>", "").Replace(f))
		if plain != res.Hits[0].Name {
			t.Errorf("unmarked fragment %q; want the name %q", plain, res.Hits[0].Name)
		}
	})

	t.Run("pagination", func(t *testing.T) {
		var all []string
		for from := 0; ; from += 7 {
			res := search(t, idx, index.Query{From: from, Size: 7})
			if res.Total != processing {
				t.Fatalf("page %d total %d; want %d", from, res.Total, processing)
			}
			if len(res.Hits) == 0 {
				break
			}
			for _, h := range res.Hits {
				all = append(all, h.ID)
			}
		}
		var want []string
		for _, r := range recs {
			if index.KindOf(&r) == index.KindRecord {
				want = append(want, r.ID)
			}
		}
		sort.Strings(want)
		// An empty query scores every record alike: ties are broken by id.
		if !slices.Equal(all, want) {
			t.Errorf("pages gave %v; want every record once in id order %v", all, want)
		}
	})

	t.Run("get", func(t *testing.T) {
		for _, r := range recs {
			got, err := idx.Get(ctx, r.ID)
			if err != nil {
				t.Fatalf("Get %s: %v", r.ID, err)
			}
			if a, b := mustJSON(t, got), mustJSON(t, r); a != b {
				t.Errorf("Get %s returned\n%s\nwant\n%s", r.ID, a, b)
			}
		}
		if _, err := idx.Get(ctx, "no-such-record"); !errors.Is(err, index.ErrNotFound) {
			t.Errorf("Get unknown id: %v; want ErrNotFound", err)
		}
		res := search(t, idx, index.Query{Text: "embauche", WithRecords: true})
		if len(res.Hits) != 1 || res.Hits[0].Record == nil || res.Hits[0].Record.Reference == nil || *res.Hits[0].Record.Reference != "14-04" {
			t.Errorf("WithRecords hit %+v; want the full record", res.Hits)
		}
	})

	t.Run("scan", func(t *testing.T) {
		// A record with provenance under dotted keys, as the corpus pass
		// reads them; removed at the end so later subtests see the fixtures.
		extra := find(t, recs, "cgss-gestion-de-crise-sanitaire")
		extra.ID = "scan-provenance"
		extra.Source.Path = "scan/provenance.html"
		extra.Provenance = map[string]registre.Provenance{
			"name":           {Start: 3, End: 20, Method: "rule", Confidence: 0.9},
			"retention.text": {Start: 40, End: 52, Method: "rule", Confidence: 0.8},
			"data_subjects":  {Start: 60, End: 70, Method: "rule", Confidence: 0.7},
		}
		if res, err := idx.PutRecords(ctx, []registre.Record{extra}); err != nil || len(res.Failures) != 0 {
			t.Fatalf("PutRecords: %v %v", err, res.Failures)
		}
		if err := idx.Refresh(ctx); err != nil {
			t.Fatal(err)
		}
		defer func() {
			if _, err := idx.DeleteBySource(ctx, index.SourceSelector{Path: extra.Source.Path}); err != nil {
				t.Fatal(err)
			}
			if err := idx.Refresh(ctx); err != nil {
				t.Fatal(err)
			}
		}()
		all := append(append([]registre.Record(nil), recs...), extra)
		byID := map[string]registre.Record{}
		var records, statuses []string
		for _, r := range all {
			byID[r.ID] = r
			if index.KindOf(&r) == index.KindRecord {
				records = append(records, r.ID)
			} else {
				statuses = append(statuses, r.ID)
			}
		}
		sort.Strings(records)
		sort.Strings(statuses)
		errStop := errors.New("stop")
		for _, c := range []struct {
			name string
			opt  index.ScanOptions
			want []string
			// whole: every field comes back; else only the projection is checked.
			whole bool
			stop  int
		}{
			{name: "whole records in id order", opt: index.ScanOptions{}, want: records, whole: true},
			{name: "pages smaller than the index", opt: index.ScanOptions{PageSize: 4}, want: records, whole: true},
			{name: "page size dividing the count", opt: index.ScanOptions{PageSize: len(records)}, want: records, whole: true},
			{name: "document status entries apart", opt: index.ScanOptions{Kind: index.KindDocumentStatus}, want: statuses, whole: true},
			{name: "projection", opt: index.ScanOptions{PageSize: 5, Fields: []string{"organisation", "name", "source.path", "retention", "flags", "provenance.name", "provenance.retention.text"}}, want: records},
			{name: "fn error stops the scan", opt: index.ScanOptions{PageSize: 3}, want: records[:5], stop: 5},
		} {
			t.Run(c.name, func(t *testing.T) {
				var got []string
				err := idx.Scan(ctx, c.opt, func(r *registre.Record) error {
					got = append(got, r.ID)
					want := byID[r.ID]
					if c.whole {
						if a, b := mustJSON(t, r), mustJSON(t, want); a != b {
							t.Errorf("scanned %s:\n%s\nwant\n%s", r.ID, a, b)
						}
					} else {
						if r.Organisation != want.Organisation || r.Name != want.Name || r.Source.Path != want.Source.Path ||
							mustJSON(t, r.Retention) != mustJSON(t, want.Retention) || mustJSON(t, r.Flags) != mustJSON(t, want.Flags) {
							t.Errorf("projection of %s = %s; want %s", r.ID, mustJSON(t, r), mustJSON(t, want))
						}
						for _, k := range []string{"name", "retention.text"} {
							if p, ok := want.Provenance[k]; ok && r.Provenance[k] != p {
								t.Errorf("provenance[%s] of %s = %+v; want %+v", k, r.ID, r.Provenance[k], p)
							}
						}
					}
					if c.stop > 0 && len(got) == c.stop {
						return errStop
					}
					return nil
				})
				if c.stop > 0 {
					if !errors.Is(err, errStop) {
						t.Errorf("Scan returned %v; want fn's error", err)
					}
				} else if err != nil {
					t.Fatalf("Scan: %v", err)
				}
				if !slices.Equal(got, c.want) {
					t.Errorf("scanned %v; want %v", got, c.want)
				}
			})
		}
	})

	t.Run("re-put is idempotent", func(t *testing.T) {
		res, err := idx.PutRecords(ctx, recs)
		if err != nil || len(res.Failures) != 0 {
			t.Fatalf("PutRecords again: %v %v", err, res.Failures)
		}
		if err := idx.Refresh(ctx); err != nil {
			t.Fatal(err)
		}
		if got := search(t, idx, index.Query{}).Total; got != processing {
			t.Errorf("total after re-put %d; want %d", got, processing)
		}
	})

	t.Run("bad queries are refused", func(t *testing.T) {
		for _, q := range []index.Query{
			{Filters: map[string][]string{"colour": {"red"}}},
			{Facets: []string{"colour"}},
			{Size: index.MaxSize + 1},
			{From: index.MaxWindow},
			{From: -1},
		} {
			if _, err := idx.Search(ctx, q); err == nil {
				t.Errorf("Search(%+v) succeeded; want an error", q)
			}
		}
		if _, err := idx.DeleteBySource(ctx, index.SourceSelector{Kind: index.KindRecord}); err == nil {
			t.Error("DeleteBySource without path or sha256 succeeded")
		}
	})

	t.Run("delete by source", func(t *testing.T) {
		// A re-issued CGSS document: the kept record is replaced (same id,
		// new sha256); a record only the old version had must go.
		cgss := find(t, recs, "cgss-gestion-de-crise-sanitaire")
		oldOnly := cgss
		oldOnly.ID = "cgss-ancien-traitement"
		oldOnly.Name = "Ancien traitement retiré"
		reissued := cgss
		reissued.Source.SHA256 = strings.Repeat("ab", 32)
		for _, batch := range [][]registre.Record{{oldOnly}, {reissued}} {
			if res, err := idx.PutRecords(ctx, batch); err != nil || len(res.Failures) != 0 {
				t.Fatalf("PutRecords: %v %v", err, res.Failures)
			}
		}
		n, err := idx.DeleteBySource(ctx, index.SourceSelector{Path: cgss.Source.Path, NotSHA256: reissued.Source.SHA256})
		if err != nil || n != 1 {
			t.Fatalf("DeleteBySource(path, not sha) = %d, %v; want 1", n, err)
		}
		if _, err := idx.Get(ctx, oldOnly.ID); !errors.Is(err, index.ErrNotFound) {
			t.Errorf("record of the old version still there: %v", err)
		}
		if _, err := idx.Get(ctx, cgss.ID); err != nil {
			t.Errorf("record of the new version gone: %v", err)
		}

		ccmsa := find(t, recs, "ccmsa-decision-14-04-archives-historiques")
		n, err = idx.DeleteBySource(ctx, index.SourceSelector{SHA256: ccmsa.Source.SHA256})
		if err != nil || n != 2 {
			t.Fatalf("DeleteBySource(sha) = %d, %v; want 2", n, err)
		}
		n, err = idx.DeleteBySource(ctx, index.SourceSelector{Path: "declarations/fiche-illisible.pdf", Kind: index.KindDocumentStatus})
		if err != nil || n != 1 {
			t.Fatalf("DeleteBySource(path, status) = %d, %v; want 1", n, err)
		}
		if err := idx.Refresh(ctx); err != nil {
			t.Fatal(err)
		}
		if got := search(t, idx, index.Query{}).Total; got != processing-2 {
			t.Errorf("total after deletes %d; want %d", got, processing-2)
		}
		if got := search(t, idx, index.Query{Filters: map[string][]string{"organisation": {"CCMSA"}}}).Total; got != 0 {
			t.Errorf("CCMSA records left: %d", got)
		}
		if got := search(t, idx, index.Query{Filters: map[string][]string{"kind": {"document_status"}}}).Total; got != 0 {
			t.Errorf("status entries left: %d", got)
		}
		if n, err := idx.DeleteBySource(ctx, index.SourceSelector{Path: "never-indexed.pdf"}); err != nil || n != 0 {
			t.Errorf("DeleteBySource unknown path = %d, %v; want 0, nil", n, err)
		}
	})
}

func search(t *testing.T, idx index.Index, q index.Query) *index.Result {
	t.Helper()
	res, err := idx.Search(context.Background(), q)
	if err != nil {
		t.Fatalf("Search(%+v): %v", q, err)
	}
	return res
}

// ids returns the hit ids sorted: backends score differently, so sets are
// compared, and order only where the suite says it is defined.
func ids(res *index.Result) []string {
	var out []string
	for _, h := range res.Hits {
		out = append(out, h.ID)
	}
	sort.Strings(out)
	return out
}

func count(vs []index.FacetValue, value string) int {
	for _, v := range vs {
		if v.Value == value {
			return v.Count
		}
	}
	return 0
}

func expectedFacets(recs []registre.Record, keep func(*registre.Record) bool) map[string][]index.FacetValue {
	counts := map[string]map[string]int{}
	for i := range recs {
		if !keep(&recs[i]) {
			continue
		}
		for k, vs := range index.FacetValues(&recs[i]) {
			if counts[k] == nil {
				counts[k] = map[string]int{}
			}
			for _, v := range vs {
				counts[k][v]++
			}
		}
	}
	out := map[string][]index.FacetValue{}
	for _, k := range index.FacetKeys {
		vals := []index.FacetValue{}
		for v, n := range counts[k] {
			vals = append(vals, index.FacetValue{Value: v, Count: n})
		}
		index.SortFacet(vals)
		out[k] = vals
	}
	return out
}

func find(t *testing.T, recs []registre.Record, id string) registre.Record {
	t.Helper()
	for _, r := range recs {
		if r.ID == id {
			return r
		}
	}
	t.Fatalf("fixture %s missing", id)
	return registre.Record{}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(fmt.Errorf("marshal: %w", err))
	}
	return string(b)
}
