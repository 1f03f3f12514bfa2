package docx

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"registre"
)

const fixtures = "../../fixtures/docx"

func readFixture(t testing.TB, name string) *registre.Document {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(fixtures, name))
	if err != nil {
		t.Fatal(err)
	}
	doc, err := Read(context.Background(), name, data)
	if err != nil {
		t.Fatalf("read %s: %v", name, err)
	}
	checkSpans(t, doc)
	return doc
}

// checkSpans asserts the builder invariant readers rely on: every block's
// text is exactly its span of Document.Text.
func checkSpans(t testing.TB, doc *registre.Document) {
	t.Helper()
	var walk func([]registre.Block)
	walk = func(bs []registre.Block) {
		for _, b := range bs {
			if b.Start < 0 || b.End > len(doc.Text) || b.Start > b.End {
				t.Fatalf("block %s span [%d,%d) outside text of %d bytes", b.Path, b.Start, b.End, len(doc.Text))
			}
			if b.Kind != registre.BlockTable && doc.Text[b.Start:b.End] != b.Text {
				t.Fatalf("block %s: span text %q != block text %q", b.Path, doc.Text[b.Start:b.End], b.Text)
			}
			for _, l := range b.Links {
				if doc.Text[l.Start:l.End] != l.Text {
					t.Fatalf("link %q: span text %q", l.Text, doc.Text[l.Start:l.End])
				}
			}
			for _, s := range b.Labels {
				if s.Start < b.Start || s.End > b.End {
					t.Fatalf("label span %v outside block %s", s, b.Path)
				}
			}
			for _, row := range b.Rows {
				for _, c := range row {
					walk(c.Blocks)
				}
			}
		}
	}
	walk(doc.Blocks)
}

// all flattens blocks, cells included, in document order.
func all(bs []registre.Block) []registre.Block {
	var out []registre.Block
	for _, b := range bs {
		out = append(out, b)
		for _, row := range b.Rows {
			for _, c := range row {
				out = append(out, all(c.Blocks)...)
			}
		}
	}
	return out
}

func byText(doc *registre.Document, text string) (registre.Block, bool) {
	for _, b := range all(doc.Blocks) {
		if b.Text == text {
			return b, true
		}
	}
	return registre.Block{}, false
}

func TestReadDeclarationForm(t *testing.T) {
	doc := readFixture(t, "declaration-sntrp.docx")
	if doc.Format != registre.FormatDOCX {
		t.Errorf("format %q", doc.Format)
	}
	if doc.Title != "Fiche de déclaration de traitement – SNTRP ( ex base SGE/TAPR)" {
		t.Errorf("title %q", doc.Title)
	}
	var tbl *registre.Block
	for i, b := range doc.Blocks {
		if b.Kind == registre.BlockTable {
			tbl = &doc.Blocks[i]
			break
		}
	}
	if tbl == nil {
		t.Fatal("no table")
	}
	if len(tbl.Rows) != 14 {
		t.Fatalf("rows = %d, want 14", len(tbl.Rows))
	}
	tests := []struct {
		row          int
		label, value string
	}{
		{0, "Nom du traitement", "SNTRP ( ex base SGE/TAPR)"},
		{4, "Base légale", ""},
		{7, "Destinataires", "Interne : Service AT/MP Cramif\nExterne : DRP Cnam, URSSAF, INRS, Adjuvance partenaire BVA uniquement en septembre/octobre 2016 et pour des fichiers d'entreprises TPE-PME (réalisation d'un sondage)"},
		{13, "Date de mise en œuvre", "6 décembre 1993"},
	}
	for _, tt := range tests {
		row := tbl.Rows[tt.row]
		if len(row) != 2 {
			t.Fatalf("row %d has %d cells", tt.row, len(row))
		}
		if got := row[0].Text(); got != tt.label {
			t.Errorf("row %d label %q, want %q", tt.row, got, tt.label)
		}
		if got := row[1].Text(); got != tt.value {
			t.Errorf("row %d value %q, want %q", tt.row, got, tt.value)
		}
		if !row[0].Blocks[0].Bold {
			t.Errorf("row %d label not bold", tt.row)
		}
		if got := doc.Text[row[1].Start:row[1].End]; got != tt.value {
			t.Errorf("row %d cell span text %q", tt.row, got)
		}
	}
	if p := tbl.Rows[0][1].Blocks[0].Path; p != "body/tbl[1]/tr[1]/tc[2]/p[1]" {
		t.Errorf("path %q", p)
	}
	if b, ok := byText(doc, "Fiche de déclaration de traitement"); !ok || b.Kind != registre.BlockHeading || b.Level != 1 {
		t.Errorf("heading block = %+v, %v", b, ok)
	}
}

func TestReadParagraphForm(t *testing.T) {
	doc := readFixture(t, "fiche-registre-journal-d-entreprise-10-minutes.docx")
	lab, ok := byText(doc, "Objet du traitement")
	if !ok || !lab.Bold {
		t.Fatalf("label paragraph = %+v, %v", lab, ok)
	}
	val, ok := byText(doc, `Journal d'entreprise : "10 minutes"`)
	if !ok || val.Bold {
		t.Fatalf("value paragraph = %+v, %v", val, ok)
	}
	if val.Start <= lab.Start {
		t.Error("value before label")
	}
	// The header's line break stays inside one paragraph.
	if _, ok := byText(doc, "Caisse régionale d'assurance maladie d'Île-de-France (Cramif)\nDélégué à la protection des données"); !ok {
		t.Error("header paragraph with line break not found")
	}
}

// features.docx is made by LibreOffice from fixtures/docx/make_features.py:
// legacy form fields, content controls, lists, links, nested tables, merges.
func TestReadFeatures(t *testing.T) {
	doc := readFixture(t, "features.docx")
	tests := []struct {
		name    string
		text    string
		kind    registre.BlockKind
		level   int
		bold    bool
		checked *bool
	}{
		{"heading 1", "Organisme de test – Déclaration", registre.BlockHeading, 1, false, nil},
		{"heading 2", "Sous-titre", registre.BlockHeading, 2, false, nil},
		{"bold paragraph", "Libellé en gras", registre.BlockParagraph, 0, true, nil},
		{"list level 0", "Premier niveau", registre.BlockListItem, 0, false, nil},
		{"list level 1", "Second niveau", registre.BlockListItem, 1, false, nil},
		{"glyph checkboxes", "☒ oui ☐ non", registre.BlockParagraph, 0, false, ptr(true)},
		{"FORMTEXT value", "Nom du projet : Projet Alpha", registre.BlockParagraph, 0, false, nil},
		{"FORMCHECKBOX checked", "Données de santé ☒", registre.BlockParagraph, 0, false, ptr(true)},
		{"empty FORMTEXT", "Vide :", registre.BlockParagraph, 0, false, nil},
		{"placeholder content control", "Responsable :", registre.BlockParagraph, 0, false, nil},
		{"filled content control", "Sous-traitant : Société Exemple", registre.BlockParagraph, 0, false, nil},
		{"w14 checkboxes", "Mineurs ☐ Transfert ☒", registre.BlockParagraph, 0, false, ptr(false)},
		{"after page break", "Après le saut de page", registre.BlockParagraph, 0, false, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, ok := byText(doc, tt.text)
			if !ok {
				t.Fatalf("no block %q", tt.text)
			}
			if b.Kind != tt.kind || b.Level != tt.level || b.Bold != tt.bold {
				t.Errorf("kind/level/bold = %s/%d/%v, want %s/%d/%v", b.Kind, b.Level, b.Bold, tt.kind, tt.level, tt.bold)
			}
			if (b.Checked == nil) != (tt.checked == nil) || (b.Checked != nil && *b.Checked != *tt.checked) {
				t.Errorf("checked = %v, want %v", b.Checked, tt.checked)
			}
		})
	}
	if strings.Contains(doc.Text, "Cliquez") {
		t.Error("a Word prompt was read as text")
	}
	// The page header is read first, located in its part.
	if b := doc.Blocks[0]; b.Text != "En-tête : Caisse de test" || b.Path != "header1/p[1]" {
		t.Errorf("first block = %q at %q, want the page header", b.Text, b.Path)
	}
	// Bold label at the start of a paragraph.
	b, _ := byText(doc, "Finalité : gérer les tests")
	if len(b.Labels) != 1 || doc.Text[b.Labels[0].Start:b.Labels[0].End] != "Finalité :" {
		t.Errorf("labels = %v", b.Labels)
	}
	// Hyperlink with its target and the size text after it.
	b, _ = byText(doc, "Acte réglementaire pdf - 119.09 Ko")
	if len(b.Links) != 1 || b.Links[0].Href != "https://www.cramif.fr/acte.pdf" || b.Links[0].Text != "Acte réglementaire" || b.Links[0].After != "pdf - 119.09 Ko" {
		t.Errorf("links = %+v", b.Links)
	}
	// Page break block between the table and the last paragraph.
	var kinds []registre.BlockKind
	for _, b := range doc.Blocks {
		kinds = append(kinds, b.Kind)
	}
	n := len(kinds)
	if n < 3 || kinds[n-1] != registre.BlockParagraph || kinds[n-2] != registre.BlockPageBreak || kinds[n-3] != registre.BlockTable {
		t.Errorf("last blocks = %v", kinds[max(0, n-3):])
	}
	// Table: nested table in the first cell, merged last row, two
	// paragraphs in the recipients cell.
	tbl := doc.Blocks[n-3]
	if len(tbl.Rows) != 3 {
		t.Fatalf("rows %d", len(tbl.Rows))
	}
	var nested *registre.Block
	for i, cb := range tbl.Rows[0][0].Blocks {
		if cb.Kind == registre.BlockTable {
			nested = &tbl.Rows[0][0].Blocks[i]
		}
	}
	if nested == nil || len(nested.Rows) != 1 || nested.Rows[0][0].Text() != "SI" || nested.Rows[0][1].Text() != "☒" {
		t.Fatalf("nested table = %+v", nested)
	}
	if got := doc.Text[nested.Rows[0][0].Start:nested.Rows[0][0].End]; got != "SI" {
		t.Errorf("nested cell span %q", got)
	}
	if p := nested.Rows[0][1].Blocks[0].Path; p != "body/tbl[1]/tr[1]/tc[1]/tbl[1]/tr[1]/tc[2]/p[1]" {
		t.Errorf("nested path %q", p)
	}
	if len(tbl.Rows[2]) != 1 || tbl.Rows[2][0].ColSpan != 2 {
		t.Errorf("merged row = %+v", tbl.Rows[2])
	}
	if got := tbl.Rows[1][1].Text(); got != "Interne : service A\nExterne : prestataire B" {
		t.Errorf("recipients cell %q", got)
	}
}

func ptr[T any](v T) *T { return &v }

func TestBlankFormReadsEmpty(t *testing.T) {
	doc := readFixture(t, "cgss-rgpd-crise.docx")
	for _, p := range []string{"Cliquez ici pour taper du texte", "Cliquez et sélectionner ici", "Cliquez ici pour indiquer le traitement"} {
		if strings.Contains(doc.Text, p) {
			t.Errorf("prompt %q read as text", p)
		}
	}
	var tables, nested, breaks int
	for _, b := range doc.Blocks {
		switch b.Kind {
		case registre.BlockTable:
			tables++
		case registre.BlockPageBreak:
			breaks++
		}
	}
	for _, b := range all(doc.Blocks) {
		if b.Kind == registre.BlockTable && strings.Count(b.Path, "tbl[") > 1 {
			nested++
		}
	}
	if tables+nested != 15 {
		t.Errorf("tables: %d top-level + %d nested, want 15 Word tables", tables, nested)
	}
	if breaks == 0 {
		t.Error("no page break read")
	}
	b, ok := byText(doc, "Dénomination du traitement (nom du projet)")
	if !ok {
		t.Fatal("form label missing")
	}
	_ = b
	// The name cell holds only a prompt: it is empty.
	for _, blk := range doc.Blocks {
		for _, row := range blk.Rows {
			if len(row) == 2 && row[0].Text() == "Dénomination du traitement (nom du projet)" && row[1].Text() != "" {
				t.Errorf("name cell = %q, want empty", row[1].Text())
			}
		}
	}
}

func TestCleanText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Cliquez ici pour taper du texte.", ""},
		{"Cliquez ou appuyez ici pour entrer du texte.", ""},
		{"Click here to enter text.", ""},
		{"Click or tap here to enter text.", ""},
		{"Cliquez et sélectionner ici pour détailler les données et leur origine.", ""},
		{"Cliquez ici pour indiquer le ST ou  « néant ».", ""},
		{"Autres Cliquer pour préciser", "Autres"},
		{"Choisissez un élément.", ""},
		{"\u00a0 Valeur réelle\u2002\u2002", "Valeur réelle"},
		{"Interne : Service AT/MP", "Interne : Service AT/MP"},
		{"Le client clique ici", "Le client clique ici"},
		// Lower-casing changes byte lengths here: spans must stay right.
		{"İİİ Choisissez un élément.", "İİİ"},
		{"Cliquez ici pour entrer une date. Entrez une date.", ""},
	}
	for _, tt := range tests {
		if got, _ := cleanText(tt.in); got != tt.want {
			t.Errorf("cleanText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func zipOf(t testing.TB, files map[string][]byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, data := range files {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(data)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestHostile(t *testing.T) {
	good, err := os.ReadFile(filepath.Join(fixtures, "declaration-sntrp.docx"))
	if err != nil {
		t.Fatal(err)
	}
	rnd := rand.New(rand.NewSource(1))
	random := make([]byte, 4096)
	rnd.Read(random)
	garbage := make([]byte, 2048)
	rnd.Read(garbage)
	bomb := []byte(`<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>` +
		strings.Repeat(" ", DefaultMaxPartSize+1) + `</w:t></w:r></w:p></w:body></w:document>`)
	deep := []byte(strings.Repeat("<a>", 100000))
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"random bytes", random, "not a readable zip"},
		{"truncated", good[:len(good)/2], "not a readable zip"},
		{"zip of garbage", zipOf(t, map[string][]byte{"word/document.xml": garbage}), "read word/document.xml"},
		{"zip without document", zipOf(t, map[string][]byte{"hello.txt": []byte("hi")}), "no word/document.xml"},
		{"zip bomb", zipOf(t, map[string][]byte{"word/document.xml": bomb}), "too large"},
		{"deep nesting", zipOf(t, map[string][]byte{"word/document.xml": deep}), "nested too deeply"},
		{"not a document", zipOf(t, map[string][]byte{"word/document.xml": []byte("<x/>")}), "no w:document"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := Read(context.Background(), tt.name+".docx", tt.data)
			if err == nil {
				t.Fatalf("no error, doc with %d blocks", len(doc.Blocks))
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not say %q", err, tt.want)
			}
		})
	}
}

func TestBombLimitOption(t *testing.T) {
	doc := []byte(`<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>` +
		strings.Repeat("x", 4096) + `</w:t></w:r></w:p></w:body></w:document>`)
	data := zipOf(t, map[string][]byte{"word/document.xml": doc})
	if _, err := ReadWith(context.Background(), "small.docx", data, Options{MaxPartSize: 1024}); !errors.Is(err, ErrTooLarge) {
		t.Errorf("err = %v, want ErrTooLarge", err)
	}
	got, err := ReadWith(context.Background(), "small.docx", data, Options{MaxPartSize: 1 << 20})
	if err != nil || len(got.Blocks) != 1 {
		t.Errorf("under the limit: %v, %v", got, err)
	}
}

func TestCancelled(t *testing.T) {
	data, _ := os.ReadFile(filepath.Join(fixtures, "cgss-rgpd-crise.docx"))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Read(ctx, "cgss.docx", data); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}

func FuzzRead(f *testing.F) {
	for _, name := range []string{"declaration-sntrp.docx", "features.docx", "fiche-registre-journal-d-entreprise-10-minutes.docx"} {
		data, err := os.ReadFile(filepath.Join(fixtures, name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte("PK\x03\x04"))
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := ReadWith(context.Background(), "fuzz.docx", data, Options{MaxPartSize: 1 << 20})
		if err != nil {
			return
		}
		checkSpans(t, doc)
	})
}

// FuzzDocumentXML fuzzes the WordprocessingML walk itself (the zip layer
// rejects almost every mutation of a whole file).
func FuzzDocumentXML(f *testing.F) {
	data, err := os.ReadFile(filepath.Join(fixtures, "features.docx"))
	if err != nil {
		f.Fatal(err)
	}
	zr, _ := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	for _, zf := range zr.File {
		if zf.Name == "word/document.xml" {
			rc, _ := zf.Open()
			var b bytes.Buffer
			b.ReadFrom(rc)
			rc.Close()
			f.Add(b.Bytes())
		}
	}
	f.Fuzz(func(t *testing.T, xml []byte) {
		doc, err := ReadWith(context.Background(), "fuzz.docx", zipOf(t, map[string][]byte{"word/document.xml": xml}), Options{MaxPartSize: 1 << 20})
		if err != nil {
			return
		}
		checkSpans(t, doc)
	})
}

func TestHyperlinkInstr(t *testing.T) {
	tests := []struct{ in, want string }{
		{` HYPERLINK "https://www.cramif.fr/a.pdf" `, "https://www.cramif.fr/a.pdf"},
		{`HYPERLINK \l "_Toc123"`, "#_Toc123"},
		{`HYPERLINK "http://x.fr" \o "infobulle"`, "http://x.fr"},
		{`PAGE`, ""},
		{`HYPERLINK`, ""},
	}
	for _, tt := range tests {
		if got := hyperlinkInstr(tt.in); got != tt.want {
			t.Errorf("hyperlinkInstr(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func BenchmarkRead(b *testing.B) {
	for _, name := range []string{"declaration-sntrp.docx", "cgss-rgpd-crise.docx"} {
		data, err := os.ReadFile(filepath.Join(fixtures, name))
		if err != nil {
			b.Fatal(err)
		}
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				if _, err := Read(context.Background(), name, data); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// Word in French names heading styles "Titre1" (id) / "heading 1" (name);
// custom styles inherit headings and bold through basedOn and outlineLvl.
func TestStyles(t *testing.T) {
	xml := `<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:docDefaults><w:rPrDefault><w:rPr/></w:rPrDefault></w:docDefaults>
<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>
<w:style w:type="paragraph" w:styleId="Titre1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:rPr><w:b/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Titre2"><w:name w:val="heading 2"/><w:basedOn w:val="Normal"/></w:style>
<w:style w:type="paragraph" w:styleId="Titre"><w:name w:val="Title"/></w:style>
<w:style w:type="paragraph" w:styleId="Rubrique"><w:name w:val="Rubrique"/><w:basedOn w:val="Titre2"/></w:style>
<w:style w:type="paragraph" w:styleId="Plan"><w:name w:val="Plan"/><w:pPr><w:outlineLvl w:val="2"/></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="Libelle"><w:name w:val="Libellé"/><w:basedOn w:val="Titre1"/><w:rPr><w:b w:val="0"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Puce"><w:name w:val="Puce"/><w:pPr><w:numPr><w:ilvl w:val="1"/><w:numId w:val="4"/></w:numPr></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="Boucle"><w:name w:val="Boucle"/><w:basedOn w:val="Boucle"/></w:style>
</w:styles>`
	root, err := parseXML(strings.NewReader(xml))
	if err != nil {
		t.Fatal(err)
	}
	st := parseStyles(root)
	tests := []struct {
		id      string
		heading int
		bold    *bool
	}{
		{"Normal", 0, nil},
		{"Titre1", 1, ptr(true)},
		{"Titre2", 2, nil},
		{"Titre", 1, nil},
		{"Rubrique", 2, nil},
		{"Plan", 3, nil},
		{"Libelle", 1, ptr(false)},
		{"Boucle", 0, nil}, // a basedOn cycle must not hang
		{"Absent", 0, nil},
	}
	for _, tt := range tests {
		if got := st.headingLevel(tt.id); got != tt.heading {
			t.Errorf("headingLevel(%s) = %d, want %d", tt.id, got, tt.heading)
		}
		if got := st.bold(tt.id); (got == nil) != (tt.bold == nil) || (got != nil && *got != *tt.bold) {
			t.Errorf("bold(%s) = %v, want %v", tt.id, got, tt.bold)
		}
	}
	if id, lvl := st.numbering("Puce"); id != "4" || lvl != 1 {
		t.Errorf("numbering(Puce) = %q, %d", id, lvl)
	}
	if st.defaultPara != "Normal" {
		t.Errorf("default paragraph style %q", st.defaultPara)
	}
}
