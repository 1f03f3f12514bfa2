package docx

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"registre"
)

// reader walks one WordprocessingML document.
type reader struct {
	ctx      context.Context
	b        *registre.Builder
	st       *styles
	rels     rels
	page     int // explicit page breaks seen (0 = none)
	warnings []string
}

// emit adds a block produced by container() to the document.
func (r *reader) emit(blk registre.Block) {
	switch blk.Kind {
	case registre.BlockPageBreak:
		if r.page == 0 {
			r.page = 1
		}
		r.page++
		r.b.PageBreak(r.page)
	case registre.BlockTable:
		rows := make([][][]registre.Block, len(blk.Rows))
		spans := make([][]int, len(blk.Rows))
		for i, row := range blk.Rows {
			rows[i] = make([][]registre.Block, len(row))
			spans[i] = make([]int, len(row))
			for j, c := range row {
				rows[i][j] = c.Blocks
				spans[i][j] = c.ColSpan
			}
		}
		t := blk
		t.Rows = nil
		r.b.AddTable(t, rows, spans)
	default:
		r.b.Add(blk)
	}
}

// counters number children of one container the way XPath does (p[1],
// tbl[2]…), so Block.Path locates the element in document.xml.
type counters map[string]int

func (c counters) next(kind string) int { c[kind]++; return c[kind] }

// container reads the block-level children of body, a cell, a header or a
// text box. Block-level content controls and custom XML are transparent:
// their children count as the container's own.
func (r *reader) container(kids []*node, base string) []registre.Block {
	var out []registre.Block
	r.containerInto(kids, base, counters{}, &out)
	return out
}

func (r *reader) containerInto(kids []*node, base string, cnt counters, out *[]registre.Block) {
	for _, k := range kids {
		if r.ctx.Err() != nil {
			return
		}
		switch k.local {
		case "p":
			*out = append(*out, r.paragraph(k, fmt.Sprintf("%s/p[%d]", base, cnt.next("p")))...)
		case "tbl":
			*out = append(*out, r.table(k, fmt.Sprintf("%s/tbl[%d]", base, cnt.next("tbl"))))
		case "sdt":
			pr := k.child("sdtPr")
			if pr.child("showingPlcHdr") != nil && onOffTrue(pr.child("showingPlcHdr")) {
				continue // an unfilled content control: its text is the prompt
			}
			r.containerInto(k.child("sdtContent").kids, base, cnt, out)
		case "customXml", "ins", "moveTo":
			r.containerInto(k.kids, base, cnt, out)
		case "altChunk":
			// Imported HTML/RTF/DOCX content stored as a separate part:
			// say so rather than losing it silently.
			r.warnings = append(r.warnings, fmt.Sprintf("%s: embedded document (altChunk) not read", base))
		case "AlternateContent":
			if ch := k.child("Choice"); ch != nil {
				r.containerInto(ch.kids, base, cnt, out)
			}
		}
	}
}

func onOffTrue(n *node) bool {
	b := onOff(n)
	return b != nil && *b
}

// table reads a w:tbl into a table block whose cells hold their blocks
// (nested tables included).
func (r *reader) table(t *node, p string) registre.Block {
	blk := registre.Block{Kind: registre.BlockTable, Path: p}
	for _, tr := range rowsOf(t) {
		row := []registre.Cell{}
		i := len(blk.Rows) + 1
		for j, tc := range cellsOf(tr) {
			cp := fmt.Sprintf("%s/tr[%d]/tc[%d]", p, i, j+1)
			c := registre.Cell{Blocks: r.container(tc.kids, cp)}
			if tcPr := tc.child("tcPr"); tcPr != nil {
				if n, err := strconv.Atoi(tcPr.child("gridSpan").val()); err == nil && n > 1 {
					c.ColSpan = n
				}
			}
			row = append(row, c)
		}
		blk.Rows = append(blk.Rows, row)
	}
	return blk
}

// rowsOf and cellsOf see through content controls and custom XML wrapping
// rows and cells.
func rowsOf(t *node) []*node { return childrenNamed(t, "tr") }
func cellsOf(tr *node) []*node {
	return childrenNamed(tr, "tc")
}

func childrenNamed(n *node, local string) []*node {
	var out []*node
	for _, k := range n.kids {
		switch k.local {
		case local:
			out = append(out, k)
		case "sdt":
			out = append(out, childrenNamed(k.child("sdtContent"), local)...)
		case "customXml":
			out = append(out, childrenNamed(k, local)...)
		}
	}
	return out
}

// para accumulates the inline content of one paragraph.
type para struct {
	buf      strings.Builder
	boldAll  bool
	anyText  bool
	labelEnd int // end of the leading bold run(s): an inline label
	inLabel  bool
	links    []registre.Link
	checks   []bool
	brBefore bool
	brAfter  bool
	fields   []*field
	boxes    [][]*node // text box contents, read after the paragraph
}

// field is a complex field (w:fldChar begin … separate … end).
type field struct {
	instr   strings.Builder
	result  bool  // after "separate"
	ff      *node // w:ffData of a legacy form field
	linkAt  int
	emitted bool
	hide    bool // the result text is replaced by what ffData says
	// textStart is where the field's visible text starts. LibreOffice
	// writes a FORMTEXT value between the instruction and "separate", Word
	// after "separate": both are read as the value.
	textStart int
}

func (f *field) kind() string {
	fs := strings.Fields(f.instr.String())
	if len(fs) == 0 {
		return ""
	}
	return strings.ToUpper(fs[0])
}

// suppressed says whether text is currently hidden: the instruction part of a
// field, or the result of a checkbox field (replaced by a glyph).
func (p *para) suppressed() bool {
	for _, f := range p.fields {
		if f.hide || (!f.result && f.kind() != "FORMTEXT") {
			return true
		}
	}
	return false
}

func (p *para) write(s string, bold bool) {
	if s == "" || p.suppressed() {
		return
	}
	blank := strings.TrimFunc(s, isBlank) == ""
	if !blank {
		if !bold {
			p.boldAll = false
			p.inLabel = false
		}
		p.anyText = true
	}
	p.buf.WriteString(s)
	if p.inLabel && bold {
		p.labelEnd = p.buf.Len()
	}
}

func (p *para) check(on bool) {
	p.checks = append(p.checks, on)
	glyph := "☐"
	if on {
		glyph = "☒"
	}
	if !p.suppressed() {
		p.buf.WriteString(glyph)
		p.anyText = true
	}
}

// paragraph reads a w:p. It returns the paragraph block (none when empty),
// page breaks around it, and the paragraphs of text boxes anchored in it.
func (r *reader) paragraph(n *node, p string) []registre.Block {
	pp := &para{boldAll: true, inLabel: true}
	ppr := n.child("pPr")
	styleID := ppr.child("pStyle").val()
	if styleID == "" {
		styleID = r.st.defaultPara
	}
	paraBold := r.st.bold(styleID)
	if paraBold == nil {
		paraBold = r.st.defaultBold
	}
	for _, k := range n.kids {
		r.inline(k, pp, paraBold)
	}
	if onOffTrue(ppr.child("pageBreakBefore")) {
		pp.brBefore = true
	}
	if sp := ppr.child("sectPr"); sp != nil {
		if t := sp.child("type").val(); t == "" || t == "nextPage" || t == "oddPage" || t == "evenPage" {
			pp.brAfter = true
		}
	}

	raw := pp.buf.String()
	text, rm := cleanText(raw)
	blk := registre.Block{Kind: registre.BlockParagraph, Text: text, Path: p}
	if lvl := r.st.headingLevel(styleID); lvl > 0 {
		blk.Kind, blk.Level = registre.BlockHeading, min(lvl, 6)
	}
	if ol := ppr.child("outlineLvl"); ol != nil {
		if v, err := strconv.Atoi(ol.val()); err == nil && v >= 0 && v < 9 {
			blk.Kind, blk.Level = registre.BlockHeading, min(v+1, 6)
		}
	}
	numID, ilvl := r.st.numbering(styleID)
	if np := ppr.child("numPr"); np != nil {
		if id := np.child("numId"); id != nil {
			numID = id.val()
		}
		if lv := np.child("ilvl"); lv != nil {
			ilvl, _ = strconv.Atoi(lv.val())
		}
	}
	if numID != "" && numID != "0" && blk.Kind != registre.BlockHeading {
		blk.Kind, blk.Level = registre.BlockListItem, max(0, min(ilvl, 8))
	}
	blk.Bold = pp.anyText && pp.boldAll && text != ""
	if !blk.Bold && pp.labelEnd > 0 {
		if end := shift(pp.labelEnd, rm); end > 0 && end < len(text) {
			blk.Labels = []registre.Span{{Start: 0, End: end}}
		}
	}
	for _, l := range pp.links {
		s, e := shift(l.Start, rm), shift(l.End, rm)
		if e <= s {
			continue
		}
		l.Start, l.End, l.Text = s, e, text[s:e]
		blk.Links = append(blk.Links, l)
	}
	for i := range blk.Links {
		next := len(text)
		if i+1 < len(blk.Links) {
			next = blk.Links[i+1].Start
		}
		if next > blk.Links[i].End {
			blk.Links[i].After = strings.TrimFunc(text[blk.Links[i].End:next], isBlank)
		}
	}
	if len(pp.checks) > 0 {
		c := pp.checks[0]
		blk.Checked = &c
	} else if c, ok := glyphState(text); ok {
		blk.Checked = &c
	}

	var out []registre.Block
	if pp.brBefore {
		out = append(out, registre.Block{Kind: registre.BlockPageBreak})
	}
	if text != "" {
		out = append(out, blk)
	}
	for i, box := range pp.boxes {
		out = append(out, r.container(box, fmt.Sprintf("%s/txbx[%d]", p, i+1))...)
	}
	if pp.brAfter {
		out = append(out, registre.Block{Kind: registre.BlockPageBreak})
	}
	return out
}

// glyphState reads the first checkbox character of a text.
func glyphState(s string) (bool, bool) {
	for _, r := range s {
		switch r {
		case '☐':
			return false, true
		case '☒', '☑':
			return true, true
		}
	}
	return false, false
}

// inline reads one inline element of a paragraph.
func (r *reader) inline(k *node, pp *para, paraBold *bool) {
	switch k.local {
	case "r":
		r.run(k, pp, paraBold)
	case "hyperlink":
		start := pp.buf.Len()
		for _, c := range k.kids {
			r.inline(c, pp, paraBold)
		}
		href := ""
		if id, ok := k.attr1("id"); ok {
			href = r.rels.targets[id]
		}
		if a, ok := k.attr1("anchor"); ok && a != "" {
			href += "#" + a
		}
		if pp.buf.Len() > start && href != "" {
			pp.links = append(pp.links, registre.Link{Href: href, Start: start, End: pp.buf.Len()})
		}
	case "sdt":
		pr := k.child("sdtPr")
		if cb := pr.child("checkbox"); cb != nil {
			// w14:checkbox: the state is w14:checked, the content is
			// only the glyph that shows it.
			pp.check(onOffTrue(cb.child("checked")))
			return
		}
		if onOffTrue(pr.child("showingPlcHdr")) {
			return // an unfilled content control shows its prompt
		}
		for _, c := range k.child("sdtContent").kids {
			r.inline(c, pp, paraBold)
		}
	case "fldSimple":
		instr, _ := k.attr1("instr")
		f := &field{result: true}
		f.instr.WriteString(instr)
		start := pp.buf.Len()
		for _, c := range k.kids {
			r.inline(c, pp, paraBold)
		}
		if href := hyperlinkInstr(instr); href != "" && pp.buf.Len() > start {
			pp.links = append(pp.links, registre.Link{Href: href, Start: start, End: pp.buf.Len()})
		}
	case "smartTag", "customXml", "ins", "moveTo", "bdo", "dir":
		for _, c := range k.kids {
			r.inline(c, pp, paraBold)
		}
	case "AlternateContent":
		if ch := k.child("Choice"); ch != nil {
			for _, c := range ch.kids {
				r.inline(c, pp, paraBold)
			}
		}
	}
	// del, moveFrom (deleted text), pPr, bookmarks, comments, proofErr: nothing to read.
}

// hyperlinkInstr reads the target of a HYPERLINK field instruction.
func hyperlinkInstr(instr string) string {
	fs := strings.Fields(instr)
	if len(fs) < 2 || !strings.EqualFold(fs[0], "HYPERLINK") {
		return ""
	}
	href, anchor := "", false
	for i := 1; i < len(fs); i++ {
		switch {
		case strings.EqualFold(fs[i], `\l`):
			anchor = true // the next argument is a bookmark in this document
		case strings.HasPrefix(fs[i], `\`):
			if strings.EqualFold(fs[i], `\o`) || strings.EqualFold(fs[i], `\t`) {
				i++ // switches with an argument (tooltip, target frame)
			}
		case href == "":
			href = strings.Trim(fs[i], `"`)
			if anchor {
				href = "#" + href
			}
		}
	}
	return href
}

// run reads a w:r.
func (r *reader) run(k *node, pp *para, paraBold *bool) {
	rpr := k.child("rPr")
	bold := false
	if b := onOff(rpr.child("b")); b != nil {
		bold = *b
	} else if b := r.st.bold(rpr.child("rStyle").val()); b != nil {
		bold = *b
	} else if paraBold != nil {
		bold = *paraBold
	}
	font := ""
	if f := rpr.child("rFonts"); f != nil {
		font, _ = f.attr1("ascii")
		if font == "" {
			font, _ = f.attr1("hAnsi")
		}
	}
	for _, c := range k.kids {
		switch c.local {
		case "t":
			pp.write(mapSymbols(c.text, font), bold)
		case "tab", "ptab":
			pp.write("\t", bold)
		case "br":
			switch t, _ := c.attr1("type"); t {
			case "page":
				if !pp.anyText {
					pp.brBefore = true
				} else {
					pp.brAfter = true
				}
			case "column":
				pp.write("\n", bold)
			default:
				pp.write("\n", bold)
			}
		case "cr":
			pp.write("\n", bold)
		case "noBreakHyphen":
			pp.write("-", bold)
		case "sym":
			ch, _ := c.attr1("char")
			f, _ := c.attr1("font")
			if v, err := strconv.ParseUint(ch, 16, 32); err == nil {
				s := string(rune(v))
				if v < 0x100 {
					s = string(rune(0xF000 + v))
				}
				if m := mapSymbols(s, f); m != s {
					if g, ok := glyphState(m); ok {
						pp.checks = append(pp.checks, g)
					}
					pp.write(m, bold)
				}
			}
		case "fldChar":
			r.fldChar(c, pp)
		case "instrText":
			if n := len(pp.fields); n > 0 && !pp.fields[n-1].result {
				pp.fields[n-1].instr.WriteString(c.text)
			}
		case "drawing", "pict", "object", "AlternateContent":
			r.textBoxes(c, pp)
		}
	}
}

// textBoxes collects the content of text boxes anchored in a run (read once:
// Word writes a DrawingML and a VML copy, only the first one is kept).
func (r *reader) textBoxes(n *node, pp *para) {
	if n.local == "AlternateContent" {
		if ch := n.child("Choice"); ch != nil {
			for _, c := range ch.kids {
				r.textBoxes(c, pp)
			}
		}
		return
	}
	if n.local == "txbxContent" {
		pp.boxes = append(pp.boxes, n.kids)
		return
	}
	for _, c := range n.kids {
		r.textBoxes(c, pp)
	}
}

// fldChar handles the begin/separate/end markers of complex fields, which is
// how legacy form fields (FORMTEXT, FORMCHECKBOX, FORMDROPDOWN) and
// HYPERLINK fields are stored.
func (r *reader) fldChar(c *node, pp *para) {
	t, _ := c.attr1("fldCharType")
	switch t {
	case "begin":
		pp.fields = append(pp.fields, &field{ff: c.child("ffData"), textStart: pp.buf.Len()})
	case "separate":
		if n := len(pp.fields); n > 0 {
			f := pp.fields[n-1]
			f.result = true
			f.linkAt = pp.buf.Len()
			r.fieldStart(f, pp)
		}
	case "end":
		n := len(pp.fields)
		if n == 0 {
			return
		}
		f := pp.fields[n-1]
		if !f.result {
			f.result = true
			f.linkAt = pp.buf.Len()
			r.fieldStart(f, pp)
		}
		pp.fields = pp.fields[:n-1]
		switch f.kind() {
		case "FORMTEXT":
			// An untouched text field shows five en spaces: empty.
			if strings.TrimFunc(pp.buf.String()[f.textStart:], isBlank) == "" {
				s := pp.buf.String()[:f.textStart]
				pp.buf.Reset()
				pp.buf.WriteString(s)
				if pp.labelEnd > len(s) {
					pp.labelEnd = len(s)
				}
			}
		case "HYPERLINK":
			if href := hyperlinkInstr(f.instr.String()); href != "" && pp.buf.Len() > f.linkAt {
				pp.links = append(pp.links, registre.Link{Href: href, Start: f.linkAt, End: pp.buf.Len()})
			}
		}
	}
}

// fieldStart writes what a form field shows when its result begins: the
// checkbox state or the chosen drop-down entry (ffData holds them).
func (r *reader) fieldStart(f *field, pp *para) {
	if f.emitted || f.ff == nil {
		return
	}
	switch f.kind() {
	case "FORMCHECKBOX":
		f.emitted, f.hide = true, true
		cb := f.ff.child("checkBox")
		on := false
		if ch := cb.child("checked"); ch != nil {
			on = onOffTrue(ch)
		} else if d := cb.child("default"); d != nil {
			on = onOffTrue(d)
		}
		// Write the glyph as if outside the field (the field hides text).
		fs := pp.fields
		pp.fields = nil
		pp.check(on)
		pp.fields = fs
	case "FORMDROPDOWN":
		dd := f.ff.child("ddList")
		if dd == nil {
			return
		}
		idx := 0
		if res := dd.child("result"); res != nil {
			idx, _ = strconv.Atoi(res.val())
		} else if d := dd.child("default"); d != nil {
			idx, _ = strconv.Atoi(d.val())
		}
		var entries []string
		for _, e := range dd.kids {
			if e.local == "listEntry" {
				entries = append(entries, e.val())
			}
		}
		if idx >= 0 && idx < len(entries) {
			fs := pp.fields
			pp.fields = nil
			pp.write(entries[idx], false)
			pp.fields = fs
			// Word also writes the entry as the field result: hide it.
			f.emitted, f.hide = true, true
		}
	}
}

// mapSymbols turns Wingdings checkbox glyphs (private-use code points) into
// their Unicode equivalents, so ☐/☒ read the same whatever the font.
func mapSymbols(s, font string) string {
	if !strings.Contains(strings.ToLower(font), "wingdings") && !strings.ContainsAny(s, "\uf0a8\uf0fe\uf0fd\uf06f\uf078\uf020") {
		return s
	}
	wing := strings.Contains(strings.ToLower(font), "wingdings")
	return strings.Map(func(r rune) rune {
		switch r {
		case 0xF0A8, 0xF06F, 0xF071:
			return '☐'
		case 0xF0FE, 0xF0FD:
			return '☒'
		case 0xF078:
			if wing {
				return '☒'
			}
		case 0xF020:
			return ' '
		}
		return r
	}, s)
}
