// Package normalize turns the verbatim values extractors find (RawRecord)
// into contract records (registre.Record): stable ids, legal-basis codes,
// retention periods, ISO dates, yes/no answers, sensitive-data markers and
// per-field provenance. Values stay verbatim; normalized forms are added
// next to them, never instead of them.
//
// Conventions (../shared/contract/gold-format.md):
//   - lists are never nil; a list the source states as "non", "aucun",
//     "néant", "N/A" or "Aucune donnée … n'est communiquée à des tiers" is
//     empty; placeholders ("/", "-", form prompts) are dropped;
//   - nullable scalars keep what the source says: transfers.text "non" stays;
//   - a field with several printed lines keeps them joined by "\n";
//   - every value carries provenance under its field path; values computed
//     from other fields (legal_bases, retention.periods, sensitive.*, a name
//     derived from the first purpose, data_subjects read from data prefixes)
//     say how in Provenance.Derived.
//
// The normalizers are exported for the flag rules and the review tools:
// LegalBases/BasisCodes, ParseRetention/Periods, Date, YesNo, Names,
// ParseTransfers/Safeguards, RightsContact, SplitDataCategories, Sensitive,
// HasHealth, HasNIR, OtherSensitive, NoRecipients, Organisation,
// OrganisationIn, AttachmentOf, NameFromPurpose and ID.
package normalize

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
	"strings"

	"registre"
)

// Records normalizes every raw record of a document. Ids are unique within
// the result: a record whose id is already taken (a true duplicate in the
// same document: same organisation and key) gets "-2", "-3"… in document
// order, so the same document always gives the same ids.
func Records(doc *registre.Document, raws []registre.RawRecord) []registre.Record {
	out := make([]registre.Record, 0, len(raws))
	seen := map[string]int{}
	for _, raw := range raws {
		rec := Record(doc, raw)
		base := rec.ID
		seen[base]++
		if n := seen[base]; n > 1 {
			id := fmt.Sprintf("%s-%d", base, n)
			// A suffixed id may collide with a real id ending in "-2": keep
			// counting until it is free.
			for seen[id] > 0 {
				n++
				id = fmt.Sprintf("%s-%d", base, n)
			}
			seen[base] = n
			seen[id]++
			rec.ID = id
		}
		out = append(out, rec)
	}
	return out
}

// Record normalizes one raw record. doc may be nil (then source path, format
// and hash are left empty).
func Record(doc *registre.Document, raw registre.RawRecord) registre.Record {
	r := registre.Record{
		SchemaVersion:     registre.SchemaVersion,
		JointControllers:  []string{},
		Purposes:          []string{},
		SubPurposes:       []string{},
		LegalBases:        []registre.LegalBasis{},
		DataSubjects:      []string{},
		DataCategories:    []string{},
		Sensitive:         registre.Sensitive{Other: []string{}},
		Recipients:        registre.Recipients{Internal: []string{}, External: []string{}},
		PersonsWithAccess: []string{},
		Processors:        []string{},
		Transfers:         registre.Transfers{Destinations: []string{}, Safeguards: []string{}},
		Retention:         registre.Retention{Periods: []registre.Period{}},
		SecurityMeasures:  []string{},
		Flags:             []registre.Flag{},
		Provenance:        map[string]registre.Provenance{},
		Attachments:       []registre.Attachment{},
		Lineage:           []string{},
		Layout:            raw.Layout,
		Kind:              "record",
	}
	n := &normalizer{raw: raw, rec: &r}

	// Source.
	if doc != nil {
		r.Source.Path, r.Source.Format, r.Source.SHA256 = doc.Path, doc.Format, doc.SHA256
	}
	r.Source.Locator = raw.Locator
	if len(raw.Pages) > 0 {
		r.Source.Pages = append([]int(nil), raw.Pages...)
	}
	title, date := raw.DocumentTitle, raw.DocumentDate
	if doc != nil {
		if title == "" {
			title = doc.Title
		}
		if date == "" {
			date = doc.Date
		}
	}
	r.Source.DocumentTitle = registre.Str(clean(title))
	// The contract wants an ISO date here: a date we cannot read is left
	// out rather than passed on in another shape.
	if d, ok := Date(date); ok {
		r.Source.DocumentDate = &d
	}

	// Organisation: the extractor's, else recognised in the document header.
	org := clean(raw.Organisation)
	if org == "" && doc != nil {
		org = OrganisationIn(doc.Title + "\n" + head(doc.Text, 3000))
	}
	if c := Organisation(org); c != "" {
		org = c
	}
	if org == "" {
		org = UnknownOrganisation
	}
	r.Organisation = org

	n.scalars()
	n.lists()
	n.name()
	r.ID = ID(r.Organisation, raw.Key, r.Name)
	if doc != nil {
		n.items(doc.Text)
	}
	return r
}

// itemSources says which raw fields the items of each list come from.
var itemSources = []struct {
	path   string
	list   func(*registre.Record) []string
	fields []registre.Field
}{
	{"purposes", func(r *registre.Record) []string { return r.Purposes }, []registre.Field{registre.FieldPurposes}},
	{"sub_purposes", func(r *registre.Record) []string { return r.SubPurposes }, []registre.Field{registre.FieldSubPurposes}},
	{"data_subjects", func(r *registre.Record) []string { return r.DataSubjects }, []registre.Field{registre.FieldDataSubjects, registre.FieldDataCategories}},
	{"data_categories", func(r *registre.Record) []string { return r.DataCategories }, []registre.Field{registre.FieldDataCategories}},
	{"recipients.internal", func(r *registre.Record) []string { return r.Recipients.Internal }, []registre.Field{registre.FieldRecipientsInternal, registre.FieldRecipients}},
	{"recipients.external", func(r *registre.Record) []string { return r.Recipients.External }, []registre.Field{registre.FieldRecipientsExternal, registre.FieldRecipients}},
	{"persons_with_access", func(r *registre.Record) []string { return r.PersonsWithAccess }, []registre.Field{registre.FieldPersonsWithAccess}},
	{"processors", func(r *registre.Record) []string { return r.Processors }, []registre.Field{registre.FieldProcessors}},
	{"joint_controllers", func(r *registre.Record) []string { return r.JointControllers }, []registre.Field{registre.FieldJointControllers}},
	{"security_measures", func(r *registre.Record) []string { return r.SecurityMeasures }, []registre.Field{registre.FieldSecurity}},
}

// items gives every item of a list field its own evidence, under
// "path[i]": the item's exact span inside the raw value it was cut from, so
// reviewers (and flags) can point at one data category, not the whole list.
// An item not found verbatim (its spacing was normalized) gets the span of
// the value it came from.
func (n *normalizer) items(text string) {
	for _, src := range itemSources {
		var vs []registre.RawValue
		for _, f := range src.fields {
			vs = append(vs, n.raw.Fields[f]...)
		}
		for i, item := range src.list(n.rec) {
			if item == "" {
				continue
			}
			for _, v := range vs {
				if v.Start < 0 || v.End > len(text) || v.Start >= v.End {
					continue
				}
				at := strings.Index(text[v.Start:v.End], item)
				if at < 0 && !strings.Contains(clean(v.Text), item) {
					continue
				}
				p := provOf([]registre.RawValue{v}, "")
				if at >= 0 {
					p.Start, p.End = v.Start+at, v.Start+at+len(item)
				}
				n.rec.Provenance[fmt.Sprintf("%s[%d]", src.path, i)] = p
				break
			}
		}
	}
}

// UnknownOrganisation is the organisation of a record whose document names
// no body we recognise; flags can point the reviewer at it.
const UnknownOrganisation = "Organisme non identifié"

// ID derives a record id from the organisation and the record key (the
// fiche/reference number when the source has one), else the name. It never
// depends on the file's path or bytes, so re-ingesting a re-issued document
// keeps ids, and the same register read from HTML, PDF or XLSX agrees.
func ID(org, key, name string) string {
	normOrg := foldKey(Organisation(org))
	if normOrg == "" {
		normOrg = foldKey(org)
	}
	k := foldKey(key)
	if k == "" {
		k = foldKey(name)
	}
	sum := sha256.Sum256([]byte(normOrg + "|" + k))
	slug := strings.ReplaceAll(normOrg, " ", "-")
	if len(slug) > 40 {
		slug = strings.TrimRight(slug[:40], "-")
	}
	if slug == "" {
		slug = "record"
	}
	return slug + "-" + hex.EncodeToString(sum[:])[:12]
}

type normalizer struct {
	raw registre.RawRecord
	rec *registre.Record
}

// values returns the usable values of a field: trimmed, placeholders dropped.
func (n *normalizer) values(f registre.Field) []registre.RawValue {
	var out []registre.RawValue
	for _, v := range n.raw.Fields[f] {
		v.Text = clean(v.Text)
		if isPlaceholder(v.Text) {
			continue
		}
		out = append(out, v)
	}
	return out
}

// texts returns the usable values of a field as strings.
func (n *normalizer) texts(f registre.Field) []string {
	vs := n.values(f)
	out := make([]string, 0, len(vs))
	for _, v := range vs {
		out = append(out, v.Text)
	}
	return out
}

// listTexts is texts without the values that declare "none": a list stated
// as "non" / "aucun" is empty.
func (n *normalizer) listTexts(f registre.Field) []string {
	out := []string{}
	for _, t := range n.texts(f) {
		if isNone(t) {
			continue
		}
		out = append(out, t)
	}
	return out
}

// prov records the provenance of path from the values of field f: the span
// runs from the first value's start to the furthest end, the confidence is
// the lowest of the values'.
func (n *normalizer) prov(path string, f registre.Field) {
	vs := n.raw.Fields[f]
	if len(vs) == 0 {
		return
	}
	n.rec.Provenance[path] = provOf(vs, "")
	for _, v := range vs {
		if v.Shared {
			n.shared(path)
			break
		}
	}
}

func (n *normalizer) shared(path string) {
	for _, s := range n.rec.Shared {
		if s == path {
			return
		}
	}
	n.rec.Shared = append(n.rec.Shared, path)
	sort.Strings(n.rec.Shared)
}

// derive records a value computed from other fields, with how.
func (n *normalizer) derive(path string, f registre.Field, how string) {
	vs := n.raw.Fields[f]
	if len(vs) == 0 {
		return
	}
	n.rec.Provenance[path] = provOf(vs, how)
}

func provOf(vs []registre.RawValue, derived string) registre.Provenance {
	first := vs[0]
	p := registre.Provenance{
		Locator:    first.Locator,
		Start:      first.Start,
		End:        first.End,
		Method:     first.Method,
		Confidence: first.Confidence,
		Page:       first.Page,
		Label:      first.Label,
		Inherited:  first.Inherited,
		Derived:    derived,
	}
	for _, v := range vs[1:] {
		if v.End > p.End {
			p.End = v.End
		}
		if v.Start < p.Start {
			p.Start = v.Start
		}
		if v.Confidence > 0 && (p.Confidence == 0 || v.Confidence < p.Confidence) {
			p.Confidence = v.Confidence
		}
		if p.Method == "" {
			p.Method = v.Method
		}
	}
	if p.Method == "" {
		p.Method = registre.MethodRule
	}
	if p.Confidence <= 0 || p.Confidence > 1 {
		p.Confidence = 1
	}
	return p
}

func head(s string, n int) string {
	if len(s) <= n {
		return s
	}
	// Cut on a rune boundary.
	for n > 0 && n < len(s) && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n]
}
