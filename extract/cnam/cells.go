package cnam

import (
	"fmt"
	"math"
	"regexp"
	"sort"
	"strings"

	"registre"
	"registre/extract/labels"
)

// Confidence of a value, by how its field was decided.
const (
	confLabel     = 1.0 // the header names the field
	confPosition  = 0.7 // the header names another field; the row order decides
	confNoLabel   = 0.6 // no header over the cell; the row order decides
	confContinued = 0.9 // an item continued on the next page
)

// colFields decides the field of each column of a header row, resolving a
// header that names the wrong field by the fixed row order.
func (f *fiche) colFields(r row) (fields [2]registre.Field, conf [2]float64, label [2]string) {
	for c := 0; c < 2; c++ {
		if h := r.cells[c]; h != nil {
			label[c] = h.bx.b.Text
			if h.known {
				fields[c], conf[c] = h.field, confLabel
			}
		}
	}
	left, right := fields[0], fields[1]
	if exp, ok := rowPairs[left]; ok {
		switch {
		case right == "" && r.cells[1] != nil:
			fields[1], conf[1] = exp, confPosition
		case right == "":
			fields[1], conf[1] = exp, confNoLabel
		case right != exp && f.seen[right] && !f.seen[exp]:
			// "Droits des personnes concernées" a second time, in the 5th
			// row's right column, above the security text.
			fields[1], conf[1] = exp, confPosition
		}
	}
	if left == "" && right != "" {
		for l, rr := range rowPairs {
			if rr == right {
				fields[0], conf[0] = l, confNoLabel
				if r.cells[0] != nil {
					conf[0] = confPosition
				}
			}
		}
	}
	return fields, conf, label
}

// addRow reads the content of a header row's cells: the blocks below the
// row and above the next one, by column.
func (f *fiche) addRow(r row, bs []box, end float64, page int) {
	fields, conf, label := f.colFields(r)
	var repeated [2]bool
	for c := 0; c < 2; c++ {
		f.last[c], f.lastF[c] = nil, fields[c]
		if fields[c] != "" {
			// A row that repeats a field on a "(suite)" page repeats the
			// cell's items, except in the "(suite)" cell itself, which
			// carries on the list.
			repeated[c] = f.seen[fields[c]] && !strings.Contains(labels.Fold(label[c]), "(suite)")
			f.seen[fields[c]] = true
		}
		if fields[c] == registre.FieldSubPurposes {
			f.hasSub = true
		}
	}
	var cells []box
	for _, bx := range bs {
		if bx.y > r.y+1 && bx.y < end && !isLabel(bx) && !isTitle(bx) {
			cells = append(cells, bx)
		}
	}
	sort.SliceStable(cells, func(i, j int) bool { return cells[i].y < cells[j].y })
	for _, bx := range cells {
		c := bx.col
		if fields[c] == "" {
			continue
		}
		f.addValue(fields[c], bx, page, label[c], conf[c], repeated[c])
	}
}

// isTitle: an italic or heading block at the left margin is a fiche title,
// never cell content.
func isTitle(bx box) bool {
	return bx.b.Kind == registre.BlockHeading || (bx.italic && bx.b.Bold && bx.b.Kind != registre.BlockListItem)
}

func (f *fiche) addValue(field registre.Field, bx box, page int, label string, conf float64, repeated bool) {
	c := bx.col
	text := strings.TrimSpace(bx.b.Text)
	if text == "" {
		return
	}
	// A paragraph right under an item, starting where the item's text
	// starts, is the rest of that item.
	if bx.b.Kind != registre.BlockListItem && f.last[c] != nil && f.lastF[c] == field {
		if math.Abs(bx.x-f.last[c].x) < 3 {
			f.appendTo(c, bx)
			return
		}
	}
	if repeated {
		// A "(suite)" page repeats the rows' other cell: keep one copy.
		for i, v := range f.rec.Fields[field] {
			if labels.Fold(v.Text) == labels.Fold(text) {
				f.last[c] = &lastValue{field: field, idx: i, x: bx.x}
				return
			}
		}
	}
	f.rec.Add(field, registre.RawValue{
		Text: text, Start: bx.b.Start, End: bx.b.End, Page: page,
		Label: strings.TrimSpace(label), Method: registre.MethodRule, Confidence: conf,
	})
	f.pages[page] = true
	f.last[c] = &lastValue{field: field, idx: len(f.rec.Fields[field]) - 1, x: bx.x}
	f.lastF[c] = field
}

// lastValue points at the value an item continued on the next page extends.
type lastValue struct {
	field registre.Field
	idx   int
	x     float64 // where the value's text starts
}

func (f *fiche) appendTo(c int, bx box) {
	lv := f.last[c]
	v := &f.rec.Fields[lv.field][lv.idx]
	v.Text += " " + strings.TrimSpace(bx.b.Text)
	v.End = bx.b.End
	if bx.page != v.Page {
		v.Confidence = math.Min(v.Confidence, confContinued)
	}
	f.pages[bx.page] = true
}

// continueCell places a block found above the first header row of a page
// (no banner, or below the banner and title): the rest of the previous
// page's last row, in the same column.
func (f *fiche) continueCell(bx box) {
	c := bx.col
	field := f.lastF[c]
	if field == "" {
		return
	}
	if bx.b.Kind != registre.BlockListItem && f.last[c] != nil {
		f.appendTo(c, bx)
		return
	}
	label := ""
	conf := confContinued
	if vs := f.rec.Fields[field]; len(vs) > 0 {
		label = vs[len(vs)-1].Label
		conf = math.Min(conf, vs[len(vs)-1].Confidence)
	}
	f.addValue(field, bx, bx.page, label, conf, false)
}

// controllerRe finds the body named in « … sous la responsabilité du
// Ministère … ».
var controllerRe = regexp.MustCompile(`(?i)sous la (?:co-?)?responsabilit[ée] (?:conjointe )?(?:du |de la |de l'|de l’|des |de )(.+?)\.?\s*$`)

// finish turns a fiche into its raw record: name, purposes, key, locators.
func (f *fiche) finish(doc *registre.Document) registre.RawRecord {
	rec := f.rec
	var pages []int
	for p := range f.pages {
		pages = append(pages, p)
	}
	sort.Ints(pages)
	rec.Pages = pages
	first := 0
	if len(pages) > 0 {
		first = pages[0]
	}
	if f.number > 0 {
		rec.Key = fmt.Sprintf("fiche-%d", f.number)
		rec.Locator = fmt.Sprintf("Fiche %d", f.number)
	} else {
		rec.Key = fmt.Sprintf("fiche-page-%d", first)
		rec.Locator = fmt.Sprintf("Fiche sans numéro, page %d", first)
	}
	if len(f.title) > 0 {
		t := f.title
		var parts []string
		for _, bx := range t {
			parts = append(parts, strings.TrimSpace(bx.b.Text))
		}
		conf := confLabel
		if t[0].page != first {
			conf = confContinued // the title only comes on a later page
		}
		rec.Add(registre.FieldName, registre.RawValue{
			Text: strings.Join(parts, " "), Start: t[0].b.Start, End: t[len(t)-1].b.End, Page: t[0].page,
			Method: registre.MethodRule, Confidence: conf,
		})
	}
	for _, bx := range f.purposes {
		rec.Add(registre.FieldPurposes, registre.RawValue{
			Text: strings.TrimSpace(bx.b.Text), Start: bx.b.Start, End: bx.b.End, Page: bx.page,
			Method: registre.MethodRule, Confidence: confPosition,
		})
	}
	// A "Responsable de traitement" cell is a sentence; the joint
	// controller is the body it names.
	if vs := rec.Fields[registre.FieldJointControllers]; len(vs) > 0 {
		for i := range vs {
			v := &vs[i]
			if m := controllerRe.FindStringSubmatchIndex(v.Text); m != nil && v.End-v.Start == len(v.Text) {
				name := strings.TrimRight(v.Text[m[2]:m[3]], " .")
				v.Start += m[2]
				v.End = v.Start + len(name)
				v.Text = name
				v.Confidence = math.Min(v.Confidence, 0.8)
			}
		}
	}
	for field, vs := range rec.Fields {
		for i := range vs {
			if vs[i].Locator == "" {
				vs[i].Locator = fmt.Sprintf("%s, page %d", rec.Locator, vs[i].Page)
			}
		}
		rec.Fields[field] = vs
	}
	if f.number > 0 && f.numConf < 1 {
		for i := range rec.Fields[registre.FieldReference] {
			rec.Fields[registre.FieldReference][i].Confidence = f.numConf
		}
	}
	return rec
}

// markShared marks the rights and security items repeated in a third or
// more of the fiches: boilerplate, kept for evidence, flagged so that search
// and review can tell it from what a fiche says of itself.
func markShared(recs []registre.RawRecord) {
	if len(recs) < 3 {
		return
	}
	for _, field := range []registre.Field{registre.FieldRights, registre.FieldSecurity} {
		count := map[string]int{}
		for _, r := range recs {
			seen := map[string]bool{}
			for _, v := range r.Fields[field] {
				k := labels.Fold(v.Text)
				if !seen[k] {
					seen[k] = true
					count[k]++
				}
			}
		}
		for _, r := range recs {
			for i := range r.Fields[field] {
				if n := count[labels.Fold(r.Fields[field][i].Text)]; n >= 3 && n*3 >= len(recs) {
					r.Fields[field][i].Shared = true
				}
			}
		}
	}
}

// toc maps the fiche titles listed on the domain summary pages
// ("Fiche 41 – Évaluer la satisfaction…") to their numbers: the only place a
// fiche that lost its banner has its number printed.
type toc map[string]int

func tableOfContents(byPage map[int][]box) toc {
	t := toc{}
	for _, bs := range byPage {
		for _, bx := range bs {
			if m := tocRe.FindStringSubmatch(bx.b.Text); m != nil && m[2] != "" {
				var n int
				fmt.Sscan(m[1], &n)
				t[labels.Fold(m[2])] = n
			}
		}
	}
	return t
}

func (t toc) lookup(title []box) (int, bool) {
	if len(title) == 0 {
		return 0, false
	}
	var parts []string
	for _, bx := range title {
		parts = append(parts, bx.b.Text)
	}
	n, ok := t[labels.Fold(strings.Join(parts, " "))]
	return n, ok
}
