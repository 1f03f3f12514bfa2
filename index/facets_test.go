package index

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"registre"
)

func TestRetentionBucket(t *testing.T) {
	p := func(amount float64, unit string) registre.Period { return registre.Period{Amount: amount, Unit: unit} }
	for _, c := range []struct {
		name string
		r    registre.Retention
		want string
	}{
		{"nothing stated", registre.Retention{}, RetentionMissing},
		{"text without period", registre.Retention{Text: registre.Str("durée de la relation")}, RetentionUndetermined},
		{"six months", registre.Retention{Periods: []registre.Period{p(6, "month")}}, RetentionLE1Y},
		{"exactly one year", registre.Retention{Periods: []registre.Period{p(1, "year")}}, RetentionLE1Y},
		{"13 months", registre.Retention{Periods: []registre.Period{p(13, "month")}}, Retention1To5Y},
		{"90 days", registre.Retention{Periods: []registre.Period{p(90, "day")}}, RetentionLE1Y},
		{"longest of several wins", registre.Retention{Periods: []registre.Period{p(2, "year"), p(10, "year"), p(3, "month")}}, Retention5To10Y},
		{"20 years", registre.Retention{Periods: []registre.Period{p(20, "year")}}, RetentionGT10Y},
		{"indefinite wins", registre.Retention{Indefinite: registre.Bool(true), Periods: []registre.Period{p(1, "year")}}, RetentionIndefinite},
		{"indefinite false", registre.Retention{Indefinite: registre.Bool(false)}, RetentionMissing},
		{"unknown unit ignored", registre.Retention{Periods: []registre.Period{p(3, "fortnight")}}, RetentionMissing},
	} {
		if got := RetentionBucket(c.r); got != c.want {
			t.Errorf("%s: %q; want %q", c.name, got, c.want)
		}
	}
}

func TestDecade(t *testing.T) {
	for in, want := range map[string]string{"1993-12-06": "1990s", "2005-01": "2000s", "2019": "2010s", "87": "", "19xx": "", "": ""} {
		if got := Decade(&in); got != want {
			t.Errorf("Decade(%q) = %q; want %q", in, got, want)
		}
	}
	if Decade(nil) != "" {
		t.Error("Decade(nil) not empty")
	}
}

func TestDataCategoryKeywords(t *testing.T) {
	for in, want := range map[string][]string{
		"Données d'identification dont le nom, prénom, sexe, date, lieu et rang de naissance, NIR": {"identification", "nir"},
		"Données de contact dont adresse postale, e-mail et n° de téléphone":                       {"contact"},
		"Données de connexion et traces techniques (logs, connexion)":                              {"connexion"},
		"Données relatives à la santé dont situation liée à la maternité":                          {"sante"},
		"Coordonnées bancaires":                   {"bancaire", "contact"},
		"Données d'ordre économique et financier": {"economique"},
		"Nationalité":                             nil,
		// "nir" is a word, not any substring: "naNIRe" must not count.
		"Données du dossier de Nirvana": nil,
	} {
		if got := DataCategoryKeywords(in); !slices.Equal(got, want) {
			t.Errorf("DataCategoryKeywords(%q) = %v; want %v", in, got, want)
		}
	}
}

func TestFacetValues(t *testing.T) {
	rec := registre.Record{
		ID:                 "x",
		Organisation:       "Cnam",
		Source:             registre.Source{Format: registre.FormatPDF},
		LegalBases:         []registre.LegalBasis{{Code: "6-1-c"}, {Code: "9-2-h"}, {Code: "6-1-c"}},
		Flags:              []registre.Flag{{Code: "vague_retention", Status: "open"}, {Code: "missing_dpo"}, {Code: "old", Status: "dismissed"}, {Code: "fixed", Status: "resolved"}},
		DataCategories:     []string{"Données de santé", "NIR"},
		Sensitive:          registre.Sensitive{Health: registre.Bool(true), NIR: registre.Bool(false)},
		Transfers:          registre.Transfers{OutsideEU: registre.Bool(false)},
		ImplementationDate: registre.Str("2003-11-27"),
	}
	want := map[string][]string{
		FacetOrganisation: {"Cnam"},
		FacetLegalBasis:   {"6-1-c", "9-2-h"},
		FacetFlag:         {"missing_dpo", "vague_retention"},
		FacetDataCategory: {"nir", "sante"},
		FacetSensitive:    {"health"},
		FacetTransfer:     {"no"},
		FacetRetention:    {RetentionMissing},
		FacetDecade:       {"2000s"},
		FacetFormat:       {"pdf"},
		FacetKind:         {KindRecord},
	}
	if got := FacetValues(&rec); !reflect.DeepEqual(got, want) {
		t.Errorf("FacetValues = %v\nwant %v", got, want)
	}
	status := registre.Record{Kind: KindDocumentStatus}
	got := FacetValues(&status)
	if !slices.Equal(got[FacetKind], []string{KindDocumentStatus}) || !slices.Equal(got[FacetTransfer], []string{"unknown"}) || got[FacetOrganisation] != nil {
		t.Errorf("FacetValues(status) = %v", got)
	}
}

func TestNormalize(t *testing.T) {
	q, err := Normalize(Query{Text: "  santé ", Filters: map[string][]string{"organisation": {"Cnam", " "}, "flag": {""}}})
	if err != nil {
		t.Fatal(err)
	}
	if q.Text != "santé" || q.Size != DefaultSize || !slices.Equal(q.Facets, FacetKeys) {
		t.Errorf("Normalize = %+v", q)
	}
	if want := map[string][]string{"organisation": {"Cnam"}, "kind": {KindRecord}}; !reflect.DeepEqual(q.Filters, want) {
		t.Errorf("filters %v; want %v (blank values dropped, kind=record implied)", q.Filters, want)
	}
	q, _ = Normalize(Query{Filters: map[string][]string{"kind": {KindDocumentStatus}}})
	if !slices.Equal(q.Filters["kind"], []string{KindDocumentStatus}) {
		t.Errorf("explicit kind overridden: %v", q.Filters)
	}
	if _, err := Normalize(Query{Filters: map[string][]string{"colour": {"x"}}}); err == nil || !strings.Contains(err.Error(), "colour") {
		t.Errorf("unknown filter: %v", err)
	}
}

func TestFold(t *testing.T) {
	for in, want := range map[string]string{"Données de SANTÉ": "donnees de sante", "mise en œuvre": "mise en oeuvre", "l’assuré": "l'assure"} {
		if got := Fold(in); got != want {
			t.Errorf("Fold(%q) = %q; want %q", in, got, want)
		}
	}
}

func FuzzFacetValues(f *testing.F) {
	f.Add("Données d'identification dont NIR", "1993-12-06", 20.0, "year", "Cramif")
	f.Add("", "", 0.0, "", "")
	f.Add("coordonnées bancaires (RIB)", "19xx", -1.0, "month", "é")
	f.Fuzz(func(t *testing.T, category, date string, amount float64, unit, org string) {
		rec := registre.Record{
			Organisation:       org,
			DataCategories:     []string{category},
			ImplementationDate: &date,
			Retention:          registre.Retention{Periods: []registre.Period{{Amount: amount, Unit: unit}}},
		}
		got := FacetValues(&rec)
		for key, vs := range got {
			if !IsFacet(key) {
				t.Fatalf("unknown facet key %q", key)
			}
			if len(vs) == 0 || !slices.IsSorted(vs) || len(slices.Compact(slices.Clone(vs))) != len(vs) {
				t.Fatalf("facet %s values %q not sorted, unique, non-empty", key, vs)
			}
			for _, v := range vs {
				if strings.TrimSpace(v) != v || v == "" {
					t.Fatalf("facet %s value %q blank or padded", key, v)
				}
			}
		}
		if len(got[FacetRetention]) != 1 || len(got[FacetKind]) != 1 || len(got[FacetTransfer]) != 1 {
			t.Fatalf("retention, kind and transfer need exactly one value: %v", got)
		}
	})
}
