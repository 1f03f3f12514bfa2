package index

import (
	"fmt"
	"slices"
	"strings"

	"registre"
)

// TextFields are the analysed (French, accent-folded) fields a query text is
// matched against, with their boosts. Every query term must occur in at least
// one of them (AND across terms, OR across fields), on both backends.
var TextFields = []struct {
	Name  string
	Boost float64
}{
	{"name", 3},
	{"organisation", 1},
	{"reference", 1},
	{"purposes", 1.5},
	{"data_categories", 1},
	{"data_subjects", 1},
	{"legal_basis", 1},
	{"recipients", 1},
	{"retention", 1},
	{"transfers", 1},
	{"security", 1},
	{"other", 1},
}

// HighlightFields are the text fields whose fragments a hit can carry.
var HighlightFields = []string{"name", "purposes", "data_categories", "data_subjects", "legal_basis", "recipients", "retention"}

// Doc is the flat shape both backends index: text fields for search, keyword
// facet fields (facet key prefixed by "f_"), the source keys DeleteBySource
// selects on, and the full record for Get.
type Doc struct {
	ID             string   `json:"id"`
	Kind           string   `json:"kind"`
	Name           string   `json:"name"`
	Organisation   string   `json:"organisation"`
	Reference      string   `json:"reference,omitempty"`
	Purposes       []string `json:"purposes,omitempty"`
	DataCategories []string `json:"data_categories,omitempty"`
	DataSubjects   []string `json:"data_subjects,omitempty"`
	LegalBasis     []string `json:"legal_basis,omitempty"`
	Recipients     []string `json:"recipients,omitempty"`
	Retention      string   `json:"retention,omitempty"`
	Transfers      []string `json:"transfers,omitempty"`
	Security       []string `json:"security,omitempty"`
	Other          []string `json:"other,omitempty"`

	SourcePath   string `json:"source_path"`
	SourceSHA256 string `json:"source_sha256"`
	Locator      string `json:"locator,omitempty"`
	// ImplementationDate is indexed as a date by Elasticsearch (range
	// queries); a value that is no calendar date is refused there.
	ImplementationDate string `json:"implementation_date,omitempty"`

	// Facets: FacetValues(rec), one field per key.
	Facets map[string][]string `json:"-"`

	Record *registre.Record `json:"-"`
}

// FacetField is the indexed field holding a facet's values.
func FacetField(key string) string { return "f_" + key }

// NewDoc flattens rec for indexing.
func NewDoc(rec *registre.Record) Doc {
	d := Doc{
		ID:                 rec.ID,
		Kind:               KindOf(rec),
		Name:               rec.Name,
		Organisation:       rec.Organisation,
		Reference:          deref(rec.Reference),
		Purposes:           joinLists(rec.Purposes, rec.SubPurposes),
		DataCategories:     nonEmpty(rec.DataCategories),
		DataSubjects:       nonEmpty(rec.DataSubjects),
		Recipients:         joinLists(rec.Recipients.Internal, rec.Recipients.External, rec.PersonsWithAccess, rec.Processors),
		Retention:          deref(rec.Retention.Text),
		Transfers:          joinLists([]string{deref(rec.Transfers.Text)}, rec.Transfers.Destinations, rec.Transfers.Safeguards),
		Security:           nonEmpty(rec.SecurityMeasures),
		SourcePath:         rec.Source.Path,
		SourceSHA256:       rec.Source.SHA256,
		Locator:            rec.Source.Locator,
		ImplementationDate: deref(rec.ImplementationDate),
		Facets:             FacetValues(rec),
		Record:             rec,
	}
	var lb []string
	for _, b := range rec.LegalBases {
		lb = append(lb, b.Text)
	}
	d.LegalBasis = joinLists(lb, []string{deref(rec.LegalBasisText)})
	var other []string
	if rec.Controller != nil {
		other = append(other, deref(rec.Controller.Name))
	}
	other = append(other, deref(rec.BusinessUnit), deref(rec.RegulatoryAct), deref(rec.ObjectionExemption),
		deref(rec.Rights.Contact), deref(rec.Rights.Text), deref(rec.Source.DocumentTitle))
	other = append(other, rec.Lineage...)
	other = append(other, rec.JointControllers...)
	other = append(other, rec.Sensitive.Other...)
	for _, a := range rec.Attachments {
		other = append(other, a.Label)
	}
	for _, f := range rec.Flags {
		other = append(other, f.Message)
	}
	d.Other = nonEmpty(other)
	return d
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func joinLists(lists ...[]string) []string {
	var out []string
	for _, l := range lists {
		out = append(out, l...)
	}
	return nonEmpty(out)
}

// nonEmpty drops blank and duplicate strings, keeping the first order.
func nonEmpty(in []string) []string {
	var out []string
	for _, s := range in {
		if s = strings.TrimSpace(s); s != "" && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

// Normalize checks q and fills its defaults: page size, the facets to count,
// and the implicit kind=record filter (totals count processing records only
// unless the caller filters on kind).
func Normalize(q Query) (Query, error) {
	if q.From < 0 || q.Size < 0 {
		return q, fmt.Errorf("from and size must not be negative (from %d, size %d)", q.From, q.Size)
	}
	if q.Size == 0 {
		q.Size = DefaultSize
	}
	if q.Size > MaxSize {
		return q, fmt.Errorf("size %d is over the maximum %d", q.Size, MaxSize)
	}
	if q.From+q.Size > MaxWindow {
		return q, fmt.Errorf("from+size %d is over the search window %d: use an export for deep pages", q.From+q.Size, MaxWindow)
	}
	filters := map[string][]string{}
	for k, vs := range q.Filters {
		if !IsFacet(k) {
			return q, fmt.Errorf("unknown filter %q (known: %s)", k, strings.Join(FacetKeys, ", "))
		}
		vs = nonEmpty(vs)
		if len(vs) > 0 {
			filters[k] = vs
		}
	}
	if _, ok := filters[FacetKind]; !ok {
		filters[FacetKind] = []string{KindRecord}
	}
	q.Filters = filters
	if q.Facets == nil {
		q.Facets = FacetKeys
	}
	for _, k := range q.Facets {
		if !IsFacet(k) {
			return q, fmt.Errorf("unknown facet %q (known: %s)", k, strings.Join(FacetKeys, ", "))
		}
	}
	q.Text = strings.TrimSpace(q.Text)
	return q, nil
}

// SortFacet orders facet values by count, then value, as both backends report them.
func SortFacet(vs []FacetValue) {
	slices.SortFunc(vs, func(a, b FacetValue) int {
		if a.Count != b.Count {
			return b.Count - a.Count
		}
		return strings.Compare(a.Value, b.Value)
	})
}
