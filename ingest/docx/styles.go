package docx

import (
	"regexp"
	"strconv"
	"strings"
)

// style is what the reader needs of a Word style: whether it makes text
// bold, whether it is a heading (outline level), whether it numbers its
// paragraphs (list style).
type style struct {
	id, name, basedOn string
	bold              *bool
	outline           int // 0-8, -1 = none
	numID             string
	ilvl              int
}

type styles struct {
	byID        map[string]*style
	defaultBold *bool // docDefaults rPr
	defaultPara string
}

func parseStyles(root *node) *styles {
	st := &styles{byID: map[string]*style{}}
	if root == nil {
		return st
	}
	if dd := root.child("docDefaults"); dd != nil {
		if rpr := dd.child("rPrDefault"); rpr != nil {
			st.defaultBold = onOff(rpr.child("rPr").child("b"))
		}
	}
	for _, s := range root.kids {
		if s.local != "style" {
			continue
		}
		id, _ := s.attr1("styleId")
		x := &style{id: id, outline: -1}
		x.name = s.child("name").val()
		x.basedOn = s.child("basedOn").val()
		if ppr := s.child("pPr"); ppr != nil {
			if ol := ppr.child("outlineLvl"); ol != nil {
				if n, err := strconv.Atoi(ol.val()); err == nil && n >= 0 && n < 9 {
					x.outline = n
				}
			}
			if np := ppr.child("numPr"); np != nil {
				x.numID = np.child("numId").val()
				x.ilvl, _ = strconv.Atoi(np.child("ilvl").val())
			}
		}
		x.bold = onOff(s.child("rPr").child("b"))
		if t, _ := s.attr1("type"); t == "paragraph" {
			if d, _ := s.attr1("default"); d == "1" || d == "true" {
				st.defaultPara = id
			}
		}
		st.byID[id] = x
	}
	return st
}

// chain walks a style and its basedOn ancestors (bounded: a cycle in a
// hostile file must not loop).
func (st *styles) chain(id string, fn func(*style) bool) {
	for i := 0; i < 16 && id != ""; i++ {
		s := st.byID[id]
		if s == nil {
			return
		}
		if fn(s) {
			return
		}
		id = s.basedOn
	}
}

func (st *styles) bold(id string) *bool {
	var b *bool
	st.chain(id, func(s *style) bool {
		if s.bold != nil {
			b = s.bold
			return true
		}
		return false
	})
	return b
}

// headingRe recognises heading styles by id or name in English and French
// ("Heading 2", "heading2", "Titre 2", "Titre2").
var headingRe = regexp.MustCompile(`(?i)^(heading|titre|title)\s*([1-9])?$`)

// headingLevel returns the heading level (1-9) a paragraph style gives, or 0.
func (st *styles) headingLevel(id string) int {
	level := 0
	st.chain(id, func(s *style) bool {
		for _, n := range []string{s.id, s.name} {
			if m := headingRe.FindStringSubmatch(strings.TrimSpace(n)); m != nil {
				if m[2] == "" {
					// "Title" / "Titre" without a number is the document title.
					if strings.EqualFold(m[1], "heading") {
						return false // LibreOffice's abstract "Heading" parent
					}
					level = 1
					return true
				}
				level, _ = strconv.Atoi(m[2])
				return true
			}
		}
		if s.outline >= 0 {
			level = s.outline + 1
			return true
		}
		return false
	})
	return level
}

// numbering returns the list numbering a paragraph style carries.
func (st *styles) numbering(id string) (numID string, ilvl int) {
	st.chain(id, func(s *style) bool {
		if s.numID != "" {
			numID, ilvl = s.numID, s.ilvl
			return true
		}
		return false
	})
	return
}
