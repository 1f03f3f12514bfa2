package pdf

import (
	"strings"
	"testing"
)

// word lays a string out as glyphs of a fixed advance, starting at x.
func word(s string, x, y, size float64) []glyph {
	var gs []glyph
	for _, r := range s {
		gs = append(gs, glyph{s: string(r), x: x, y: y, w: 0.5 * size, size: size})
		x += 0.5 * size
	}
	return gs
}

func concat(parts ...[]glyph) []glyph {
	var out []glyph
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

func lineTexts(ls []line) [][]string {
	var out [][]string
	for _, l := range ls {
		var segs []string
		for _, s := range l.segs {
			segs = append(segs, s.text)
		}
		out = append(out, segs)
	}
	return out
}

func TestBuildLines(t *testing.T) {
	tests := []struct {
		name string
		gs   []glyph
		want [][]string
	}{
		{
			name: "space glyph and gap both make one space",
			gs:   concat(word("Fiche", 10, 100, 10), word(" ", 35, 100, 10), word("1", 40, 100, 10), word("et", 50, 100, 10)),
			want: [][]string{{"Fiche 1 et"}},
		},
		{
			name: "content order does not matter, baseline jitter is one line",
			gs:   concat(word("monde", 40, 100.4, 10), word("Bonjour", 0, 100, 10)),
			want: [][]string{{"Bonjour monde"}},
		},
		{
			name: "superscript joins its line without a space",
			gs:   concat(word("Article 1", 0, 100, 10), word("er", 45, 96, 7), word(" :", 52, 100, 10)),
			want: [][]string{{"Article 1er :"}},
		},
		{
			name: "wide gap cuts segments (two table columns)",
			gs:   concat(word("Sous-finalités", 20, 50, 9), word("Fondements juridiques", 300, 50, 9)),
			want: [][]string{{"Sous-finalités", "Fondements juridiques"}},
		},
		{
			name: "a bullet is a segment of its own",
			gs:   concat(word("•", 10, 60, 9), word("Bénéficiaires", 24, 60, 9)),
			want: [][]string{{"•", "Bénéficiaires"}},
		},
		{
			name: "a hyphen inside a word is not a bullet",
			gs:   concat(word("-5%", 10, 60, 9)),
			want: [][]string{{"-5%"}},
		},
		{
			name: "space drawn over a glyph is ignored",
			gs:   concat(word("ab", 0, 10, 10), []glyph{{s: " ", x: 6, y: 10, w: 3, size: 10}}, word("c", 10, 10, 10)),
			want: [][]string{{"abc"}},
		},
		{
			name: "lines top to bottom",
			gs:   concat(word("deux", 0, 30, 10), word("un", 0, 18, 10)),
			want: [][]string{{"un"}, {"deux"}},
		},
		{
			name: "control characters and zero-size glyphs are dropped",
			gs:   concat(word("a\x01b", 0, 10, 10), []glyph{{s: "z", x: 30, y: 10, w: 1, size: 0}}),
			want: [][]string{{"a b"}}, // the dropped glyph leaves a gap
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := lineTexts(buildLines(tt.gs))
			if strings.Join(flat(got), "|") != strings.Join(flat(tt.want), "|") || len(got) != len(tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func flat(x [][]string) []string {
	var out []string
	for _, l := range x {
		out = append(out, strings.Join(l, "¦"))
	}
	return out
}

func TestStyleRuns(t *testing.T) {
	gs := concat(word("Nom :", 0, 10, 10), word("SNTRP", 30, 10, 10))
	for i := range gs[:5] {
		gs[i].bold = true
	}
	ls := buildLines(gs)
	s := ls[0].segs[0]
	if s.text != "Nom : SNTRP" || len(s.runs) != 2 || s.text[s.runs[0].start:s.runs[0].end] != "Nom :" || !s.runs[0].bold || s.runs[1].bold {
		t.Errorf("segment %q runs %+v", s.text, s.runs)
	}
}

// twoColumns lays out rows of (left, right) texts like a Cnam table page.
func twoColumns(rows [][2]string) []line {
	var gs []glyph
	y := 100.0
	for _, r := range rows {
		if r[0] != "" {
			gs = append(gs, word(r[0], 60, y, 9)...)
		}
		if r[1] != "" {
			gs = append(gs, word(r[1], 340, y, 9)...)
		}
		y += 10.5
	}
	return buildLines(gs)
}

func TestReadingOrderTwoColumns(t *testing.T) {
	lines := twoColumns([][2]string{
		{"Sous-finalités", "Fondements juridiques"},
		{"• Acquérir les", "• Article 6-1-c du RGPD"},
		{"  informations", "  : obligation légale"},
		{"• Gérer les cas", ""},
		{"", "more right"},
	})
	g := gutter(lines, 595)
	if g < 150 || g > 340 {
		t.Fatalf("gutter = %.1f, want between the columns", g)
	}
	var got []string
	for _, p := range readingOrder(lines, g) {
		var segs []string
		for _, s := range p.segs {
			segs = append(segs, s.text)
		}
		got = append(got, p.marker+strings.Join(segs, "+"))
	}
	want := []string{"Sous-finalités", "•Acquérir les", "informations", "•Gérer les cas", "Fondements juridiques", "•Article 6-1-c du RGPD", ": obligation légale", "more right"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("reading order\n got %q\nwant %q", got, want)
	}
}

func TestGutterNeedsSeveralLines(t *testing.T) {
	lines := twoColumns([][2]string{{"Nom", "Valeur"}, {"one column text", ""}})
	if g := gutter(lines, 595); g != 0 {
		t.Errorf("gutter = %.1f for a single two-sided line, want 0", g)
	}
}

func TestParagraphs(t *testing.T) {
	// Bullet at 80, text at 95; continuation lines align with the text.
	gs := concat(
		word("•", 80, 100, 9), word("Acquérir, contrôler, traiter les", 95, 100, 9),
		word("informations utiles", 95, 110.5, 9),
		word("•", 80, 121, 9), word("Gérer la sous-", 95, 121, 9),
		word("traitance", 95, 131.5, 9),
		word("Paragraphe", 60, 160, 9), // far below: a new paragraph
		word("suite du paragraphe", 60, 170.5, 9),
		word("Titre", 60, 190, 14), // bigger: not a continuation
	)
	ps := paragraphs(readingOrder(buildLines(gs), 0))
	var got []string
	for _, p := range ps {
		blk := block(p, 1, 9, markerLevels([]pageResult{{paras: ps}}), []float64{14})
		got = append(got, string(blk.Kind)+":"+blk.Text)
	}
	want := []string{
		"list_item:Acquérir, contrôler, traiter les informations utiles",
		"list_item:Gérer la sous-traitance",
		"paragraph:Paragraphe suite du paragraphe",
		"heading:Titre",
	}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("paragraphs\n got %q\nwant %q", got, want)
	}
}

func TestJoinLines(t *testing.T) {
	tests := []struct{ prev, next, want string }{
		{"la sous-", "traitance", ""},
		{"Articles L. 43 -", "Code", " "},
		{"e-", "Mail", " "},
		{"fin", "début", " "},
	}
	for _, tt := range tests {
		if got := joinLines(tt.prev, tt.next); got != tt.want {
			t.Errorf("joinLines(%q, %q) = %q, want %q", tt.prev, tt.next, got, tt.want)
		}
	}
}

func TestFontStyle(t *testing.T) {
	tests := []struct {
		name         string
		bold, italic bool
	}{
		{"LiberationSerif-BoldItalic", true, true},
		{"LiberationSans", false, false},
		{"Arial,Bold", true, false},
		{"Helvetica-Oblique", false, true},
	}
	for _, tt := range tests {
		b, i := fontStyle(tt.name)
		if b != tt.bold || i != tt.italic {
			t.Errorf("fontStyle(%q) = %v, %v", tt.name, b, i)
		}
	}
}

func TestInfoText(t *testing.T) {
	tests := []struct {
		raw       string
		encrypted bool
		want      string
	}{
		{"Plain title", false, "Plain title"},
		{"\xfe\xff\x00D\x00\xe9\x00c", false, "Déc"},
		{"D\xe9cision", false, "Décision"},
		{"Title\x03\x03\x03", true, "Title"},
	}
	for _, tt := range tests {
		if got := infoText(tt.raw, tt.encrypted); got != tt.want {
			t.Errorf("infoText(%q) = %q, want %q", tt.raw, got, tt.want)
		}
	}
}

func TestGarbled(t *testing.T) {
	clean := buildLines(word("Gérer les immatriculations et les affiliations", 10, 10, 10))
	if garbled(clean) {
		t.Error("French text seen as garbage")
	}
	junk := buildLines(word(strings.Repeat("\ufffd\ue001x", 12), 10, 10, 10))
	if !garbled(junk) {
		t.Error("replacement and private-use characters not seen as garbage")
	}
	bullets := buildLines(concat(word("\uf0b7", 10, 10, 10), word("Texte de la liste à puces", 30, 10, 10)))
	if garbled(bullets) {
		t.Error("a Symbol-font bullet is not garbage")
	}
}
