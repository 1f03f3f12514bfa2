package pdf

import (
	"math"
	"strings"

	lpdf "github.com/ledongthuc/pdf"
)

// glyph is one character drawn on a page, in top-left page coordinates
// (points, Y grows down, Y is the baseline).
type glyph struct {
	s      string
	x, y   float64
	w      float64
	size   float64
	dir    int8 // text direction in quarter turns counter-clockwise (0-3)
	bold   bool
	italic bool
}

// pageContent is what one page gives: its glyphs and whether it draws
// images (a page with images and no glyphs is a scanned page).
type pageContent struct {
	glyphs []glyph
	images int
	width  float64
	height float64
}

// matrix is a PDF transformation matrix [a b 0; c d 0; e f 1].
type matrix [3][3]float64

var identity = matrix{{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}

func (x matrix) mul(y matrix) matrix {
	var z matrix
	for i := 0; i < 3; i++ {
		for j := 0; j < 3; j++ {
			for k := 0; k < 3; k++ {
				z[i][j] += x[i][k] * y[k][j]
			}
		}
	}
	return z
}

// affine reports whether m is a finite affine matrix (last column 0 0 1),
// as every matrix of a well-formed content stream is. For those, the
// products by the zeros of the last column add nothing to mul's sums: each
// sum starts from +0 and so is never −0, and adding ±0 leaves it as it is.
// show relies on this to compute only what moves from glyph to glyph, bit
// for bit as mul would. (A non-finite entry would turn 0 × Inf into NaN,
// so those go through mul.)
func (m matrix) affine() bool {
	s := 0.0
	for i := 0; i < 3; i++ {
		for j := 0; j < 3; j++ {
			s += m[i][j] - m[i][j] // NaN unless finite
		}
	}
	return s == 0 && m[0][2] == 0 && m[1][2] == 0 && m[2][2] == 1
}

func finite(v float64) bool { return v-v == 0 }

// origin is row 2 (the translation) of [a 0 0; 0 b 0; 0 rise 1]·tm·ctm,
// computed as mul computes it, for affine tm and ctm and finite a, b, rise
// (which it does not need: they only reach rows 0 and 1).
func origin(rise float64, tm, ctm *matrix) (x, y float64) {
	// Row 2 of sm·tm; its last entry is 1.
	u0 := 0 + rise*tm[1][0] + tm[2][0]
	u1 := 0 + rise*tm[1][1] + tm[2][1]
	// Row 2 of (sm·tm)·ctm.
	x = 0 + u0*ctm[0][0] + u1*ctm[1][0] + ctm[2][0]
	y = 0 + u0*ctm[0][1] + u1*ctm[1][1] + ctm[2][1]
	return x, y
}

// translate sets m to [1 0 0; 0 1 0; tx 0 1]·m as mul computes it, for an
// affine m and a finite tx.
func (m *matrix) translate(tx float64) {
	for j := 0; j < 2; j++ {
		m[2][j] = 0 + tx*m[0][j] + m[2][j]
		m[0][j] = 0 + m[0][j]
		m[1][j] = 0 + m[1][j]
	}
	m[0][2], m[1][2], m[2][2] = 0, 0, 1
}

// fontInfo caches what text extraction needs from a font dictionary.
type fontInfo struct {
	name    string
	bold    bool
	italic  bool
	twoByte bool // Type0 fonts use 2-byte codes
	enc     lpdf.TextEncoding
	first   int
	widths  []float64
	cidW    map[int]float64
	dw      float64
	decoded map[string]string
}

func newFontInfo(v lpdf.Value) *fontInfo {
	f := lpdf.Font{V: v}
	fi := &fontInfo{name: f.BaseFont(), dw: 1000, decoded: map[string]string{}}
	if i := strings.Index(fi.name, "+"); i >= 0 {
		fi.name = fi.name[i+1:]
	}
	fi.bold, fi.italic = fontStyle(fi.name)
	fi.enc = f.Encoder()
	if v.Key("Subtype").Name() == "Type0" {
		fi.twoByte = true
		d := v.Key("DescendantFonts").Index(0)
		if dw := d.Key("DW"); !dw.IsNull() {
			fi.dw = dw.Float64()
		}
		fi.cidW = cidWidths(d.Key("W"))
		if fi.name == "" {
			fi.name = d.Key("BaseFont").Name()
		}
	} else {
		fi.first = f.FirstChar()
		ws := v.Key("Widths")
		for i := 0; i < ws.Len() && i < 65536; i++ {
			fi.widths = append(fi.widths, ws.Index(i).Float64())
		}
		// The standard 14 fonts may come without widths; glyphs drawn with
		// no advance would pile up at one x and lose their word gaps, so
		// give them an average advance.
		fi.dw = v.Key("FontDescriptor").Key("MissingWidth").Float64()
		if len(fi.widths) == 0 {
			fi.dw = 500
		}
	}
	return fi
}

// fontStyle reads bold/italic from a font name ("LiberationSerif-BoldItalic",
// "Arial,Bold", "Helvetica-Oblique"): PDFs rarely say it any other way.
func fontStyle(name string) (bold, italic bool) {
	n := strings.ToLower(name)
	for _, k := range []string{"bold", "black", "heavy", "semibold", "demi"} {
		if strings.Contains(n, k) {
			bold = true
		}
	}
	italic = strings.Contains(n, "italic") || strings.Contains(n, "oblique")
	return bold, italic
}

// cidWidths reads a CID font W array: "c [w1 w2 …]" or "cFirst cLast w".
func cidWidths(w lpdf.Value) map[int]float64 {
	m := map[int]float64{}
	n := w.Len()
	for i := 0; i < n; {
		c := int(w.Index(i).Int64())
		if i+1 >= n {
			break
		}
		next := w.Index(i + 1)
		if next.Kind() == lpdf.Array {
			for j := 0; j < next.Len() && j < 65536; j++ {
				m[c+j] = next.Index(j).Float64()
			}
			i += 2
			continue
		}
		if i+2 >= n {
			break
		}
		last := int(next.Int64())
		wv := w.Index(i + 2).Float64()
		for c2 := c; c2 <= last && c2-c < 65536; c2++ {
			m[c2] = wv
		}
		i += 3
	}
	return m
}

func (f *fontInfo) width(code int) float64 {
	if f.twoByte {
		if w, ok := f.cidW[code]; ok {
			return w
		}
		return f.dw
	}
	i := code - f.first
	if i >= 0 && i < len(f.widths) {
		return f.widths[i]
	}
	return f.dw
}

func (f *fontInfo) decode(code string) string {
	if s, ok := f.decoded[code]; ok {
		return s
	}
	s := ""
	if f.enc != nil {
		s = f.enc.Decode(code)
	}
	f.decoded[code] = s
	return s
}

// textState is the part of the graphics state text extraction tracks.
type textState struct {
	ctm   matrix
	tc    float64
	tw    float64
	th    float64
	tl    float64
	tfs   float64
	rise  float64
	font  *fontInfo
	tm    matrix
	tlm   matrix
	fonts lpdf.Value // the Font resource dictionary in scope
}

// maxFormDepth bounds nested Form XObjects (a loop of forms must not hang).
const maxFormDepth = 8

// extractPage interprets a page's content stream and returns its glyphs.
// ledongthuc's own Page.Content appends a phantom glyph after every TJ
// array and ignores word spacing, so we run its Interpret ourselves on the
// same primitives. Panics are the caller's to recover.
// The glyphs are appended to buf[:0].
func extractPage(p lpdf.Page, shared map[string]*fontInfo, buf []glyph) pageContent {
	pc := pageContent{glyphs: buf[:0]}
	box := inherited(p.V, "MediaBox")
	llx, lly, urx, ury := 0.0, 0.0, 595.0, 842.0
	if box.Kind() == lpdf.Array && box.Len() == 4 {
		llx, lly, urx, ury = box.Index(0).Float64(), box.Index(1).Float64(), box.Index(2).Float64(), box.Index(3).Float64()
	}
	pc.width, pc.height = math.Abs(urx-llx), math.Abs(ury-lly)
	top := math.Max(ury, lly)
	left := math.Min(llx, urx)
	res := inherited(p.V, "Resources")
	cache := map[string]*fontInfo{}
	st := textState{ctm: identity, th: 1, tm: identity, tlm: identity, fonts: res.Key("Font")}
	run(p.V.Key("Contents"), res, st, cache, shared, &pc, 0)
	if turns := dominantDir(pc.glyphs); turns != 0 {
		// Text drawn sideways (a landscape table on a portrait page):
		// turn the page so that its text runs left to right.
		llx, lly, urx, ury = turnBox(llx, lly, urx, ury, turns)
		pc.width, pc.height = math.Abs(urx-llx), math.Abs(ury-lly)
		top, left = math.Max(ury, lly), math.Min(llx, urx)
		for i := range pc.glyphs {
			pc.glyphs[i].x, pc.glyphs[i].y = turn(pc.glyphs[i].x, pc.glyphs[i].y, turns)
		}
	}
	for i := range pc.glyphs {
		pc.glyphs[i].x -= left
		pc.glyphs[i].y = top - pc.glyphs[i].y
	}
	return pc
}

// quarterTurns rounds the direction of a text matrix's x axis to quarter
// turns counter-clockwise.
func quarterTurns(a, b float64) int {
	if a == 0 && b == 0 {
		return 0
	}
	q := int(math.Round(math.Atan2(b, a) / (math.Pi / 2)))
	return ((q % 4) + 4) % 4
}

// dominantDir is the direction most glyphs of a page are drawn in.
func dominantDir(gs []glyph) int {
	var n [4]int
	for _, g := range gs {
		n[g.dir]++
	}
	best := 0
	for d := 1; d < 4; d++ {
		if n[d] > n[best] {
			best = d
		}
	}
	return best
}

// turn rotates a point clockwise by the given quarter turns, undoing text
// drawn that many quarter turns counter-clockwise.
func turn(x, y float64, turns int) (float64, float64) {
	for i := 0; i < turns; i++ {
		x, y = y, -x
	}
	return x, y
}

func turnBox(llx, lly, urx, ury float64, turns int) (float64, float64, float64, float64) {
	ax, ay := turn(llx, lly, turns)
	bx, by := turn(urx, ury, turns)
	return math.Min(ax, bx), math.Min(ay, by), math.Max(ax, bx), math.Max(ay, by)
}

func inherited(v lpdf.Value, key string) lpdf.Value {
	for i := 0; !v.IsNull() && i < 64; i++ {
		if r := v.Key(key); !r.IsNull() {
			return r
		}
		v = v.Key("Parent")
	}
	return lpdf.Value{}
}

func run(strm, res lpdf.Value, g textState, cache, shared map[string]*fontInfo, pc *pageContent, depth int) {
	if strm.IsNull() {
		return
	}
	var stack []textState
	if depth > 0 {
		// A form's font names are local to its own resources.
		cache = map[string]*fontInfo{}
	}
	fontOf := func(name string) *fontInfo {
		key := name
		if f, ok := cache[key]; ok {
			return f
		}
		fv := g.fonts.Key(name)
		if fv.IsNull() {
			fv = res.Key("Font").Key(name)
		}
		// Pages share font objects; the dictionary's printed form (its
		// entries and object references) identifies one across pages, so
		// its ToUnicode map is parsed once per document.
		id := fv.String()
		f, ok := shared[id]
		if !ok {
			f = newFontInfo(fv)
			shared[id] = f
		}
		cache[key] = f
		return f
	}
	show := func(raw string) {
		f := g.font
		if f == nil {
			return
		}
		step := 1
		if f.twoByte {
			step = 2
		}
		// trm = [tfs·th 0 0; 0 tfs 0; 0 rise 1] · tm · ctm. Within one
		// string only tm's last row (the translation) moves, so when the
		// matrices are affine the first two rows of trm — the glyph's size,
		// direction and horizontal scale — are computed once and the last
		// row per glyph, with mul's own operations in mul's order minus
		// the ±0 terms (see affine).
		sm := matrix{{g.tfs * g.th, 0, 0}, {0, g.tfs, 0}, {0, g.rise, 1}}
		fast := sm.affine() && g.tm.affine() && g.ctm.affine()
		var size, scale float64
		var dir int8
		if fast {
			trm := sm.mul(g.tm).mul(g.ctm)
			size = math.Hypot(trm[1][0], trm[1][1])
			scale = math.Hypot(trm[0][0], trm[0][1])
			dir = int8(quarterTurns(trm[0][0], trm[0][1]))
		}
		for i := 0; i+step <= len(raw); i += step {
			code := raw[i : i+step]
			c := int(code[0])
			if step == 2 {
				c = c<<8 | int(code[1])
			}
			w0 := f.width(c)
			var x, y float64
			if fast {
				x, y = origin(g.rise, &g.tm, &g.ctm)
			} else {
				trm := sm.mul(g.tm).mul(g.ctm)
				x, y = trm[2][0], trm[2][1]
				size = math.Hypot(trm[1][0], trm[1][1])
				scale = math.Hypot(trm[0][0], trm[0][1])
				dir = int8(quarterTurns(trm[0][0], trm[0][1]))
			}
			s := f.decode(code)
			if s != "" && s != "\x00" {
				pc.glyphs = append(pc.glyphs, glyph{
					s: s, x: x, y: y, dir: dir, w: w0 / 1000 * scale,
					size: size, bold: f.bold, italic: f.italic,
				})
			}
			tx := w0/1000*g.tfs + g.tc
			if step == 1 && c == 32 {
				tx += g.tw
			}
			tx *= g.th
			if fast && finite(tx) {
				g.tm.translate(tx)
				// An overflow to infinity: mul from here on.
				fast = finite(g.tm[2][0]) && finite(g.tm[2][1])
				continue
			}
			fast = false
			g.tm = matrix{{1, 0, 0}, {0, 1, 0}, {tx, 0, 1}}.mul(g.tm)
		}
	}
	num := func(args []lpdf.Value, i int) float64 {
		if i < len(args) {
			return args[i].Float64()
		}
		return 0
	}
	nextLine := func() {
		g.tlm = matrix{{1, 0, 0}, {0, 1, 0}, {0, -g.tl, 1}}.mul(g.tlm)
		g.tm = g.tlm
	}
	var argBuf []lpdf.Value // reused: the operands never outlive their operator
	lpdf.Interpret(strm, func(stk *lpdf.Stack, op string) {
		n := stk.Len()
		if cap(argBuf) < n {
			argBuf = make([]lpdf.Value, n)
		}
		args := argBuf[:n]
		for i := n - 1; i >= 0; i-- {
			args[i] = stk.Pop()
		}
		switch op {
		case "cm":
			if len(args) == 6 {
				var m matrix
				for i := 0; i < 6; i++ {
					m[i/2][i%2] = args[i].Float64()
				}
				m[2][2] = 1
				g.ctm = m.mul(g.ctm)
			}
		case "q":
			if len(stack) < 1024 {
				stack = append(stack, g)
			}
		case "Q":
			if k := len(stack) - 1; k >= 0 {
				g = stack[k]
				stack = stack[:k]
			}
		case "BT":
			g.tm, g.tlm = identity, identity
		case "Tc":
			g.tc = num(args, 0)
		case "Tw":
			g.tw = num(args, 0)
		case "Tz":
			g.th = num(args, 0) / 100
		case "TL":
			g.tl = num(args, 0)
		case "Ts":
			g.rise = num(args, 0)
		case "Tf":
			if len(args) == 2 {
				g.font = fontOf(args[0].Name())
				g.tfs = args[1].Float64()
			}
		case "TD":
			g.tl = -num(args, 1)
			fallthrough
		case "Td":
			g.tlm = matrix{{1, 0, 0}, {0, 1, 0}, {num(args, 0), num(args, 1), 1}}.mul(g.tlm)
			g.tm = g.tlm
		case "Tm":
			if len(args) == 6 {
				var m matrix
				for i := 0; i < 6; i++ {
					m[i/2][i%2] = args[i].Float64()
				}
				m[2][2] = 1
				g.tm, g.tlm = m, m
			}
		case "T*":
			nextLine()
		case "'":
			nextLine()
			if len(args) == 1 {
				show(args[0].RawString())
			}
		case "\"":
			if len(args) == 3 {
				g.tw, g.tc = args[0].Float64(), args[1].Float64()
				nextLine()
				show(args[2].RawString())
			}
		case "Tj":
			if len(args) == 1 {
				show(args[0].RawString())
			}
		case "TJ":
			if len(args) != 1 {
				return
			}
			v := args[0]
			for i := 0; i < v.Len(); i++ {
				x := v.Index(i)
				if x.Kind() == lpdf.String {
					show(x.RawString())
				} else {
					tx := -x.Float64() / 1000 * g.tfs * g.th
					g.tm = matrix{{1, 0, 0}, {0, 1, 0}, {tx, 0, 1}}.mul(g.tm)
				}
			}
		case "BI":
			pc.images++
		case "Do":
			if len(args) != 1 {
				return
			}
			xo := res.Key("XObject").Key(args[0].Name())
			switch xo.Key("Subtype").Name() {
			case "Image":
				pc.images++
			case "Form":
				if depth >= maxFormDepth {
					return
				}
				sub := g
				if m := xo.Key("Matrix"); m.Kind() == lpdf.Array && m.Len() == 6 {
					var fm matrix
					for i := 0; i < 6; i++ {
						fm[i/2][i%2] = m.Index(i).Float64()
					}
					fm[2][2] = 1
					sub.ctm = fm.mul(g.ctm)
				}
				fres := xo.Key("Resources")
				if fres.IsNull() {
					fres = res
				} else {
					sub.fonts = fres.Key("Font")
				}
				run(xo, fres, sub, cache, shared, pc, depth+1)
			}
		}
	})
}
