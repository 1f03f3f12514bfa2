package pdf

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"registre"
)

const fixtures = "../../fixtures/pdf"

func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(fixtures, name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func mustRead(t *testing.T, name string) *registre.Document {
	t.Helper()
	doc, err := Read(t.Context(), name, readFixture(t, name))
	if err != nil {
		t.Fatalf("read %s: %v", name, err)
	}
	return doc
}

// pagesOf lists the pages of the blocks whose text equals s.
func pagesOf(doc *registre.Document, s string) []int {
	var out []int
	for _, b := range doc.Blocks {
		if b.Text == s {
			out = append(out, b.Page)
		}
	}
	return out
}

func TestReadRealFiles(t *testing.T) {
	tests := []struct {
		file     string
		pages    int
		title    string
		contains []string
		// blocks whose exact text must be found, with the pages they are on
		blocks map[string][]int
	}{
		{
			file:  "cnam-registre.pdf",
			pages: 163,
			title: "Traitements de données personnelles opérés par l'Assurance Maladie",
			contains: []string{
				"TRAITEMENTS DE DONNÉES PERSONNELLES", "Justification absence du droit d'opposition",
				"mise en œuvre", "Aide médicale d'État (AME)", "à", "è", "ç", "É",
				"l'encadrement de la sous-traitance", // line-end hyphen joined
			},
			blocks: map[string][]int{
				"01 | GESTION DES DROITS – Fiche 1":              {3, 4},
				"Gérer les immatriculations et les affiliations": {3, 4},
				// an item drawn on two lines is one block
				"Gérer les cas d'affiliations et immatriculations particulières (étudiants, travailleurs étrangers, etc.) ainsi que l'Aide médicale d'État (AME)": {3},
			},
		},
		{
			file:  "cramif-registre-print.pdf",
			pages: 40,
			title: "Protection des données personnelles | Cramif",
			contains: []string{
				"Nom du traitement :Dématérialisation des marchés", "Délégué à la protection des données",
				"Date de mise en œuvre", "É", "ç", "à",
			},
			blocks: map[string][]int{"Protection des données personnelles": {1}, "Mis à jour le 12/10/2020": {1}},
		},
		{
			file:     "ccmsa-decision-14-04.pdf",
			pages:    2,
			title:    "Décision n°14-04 - CCMSA",
			contains: []string{"sécurisés extranet 5ème modification", "Vu la Loi n° 78-17", "mis en œuvre par la MSA Dordogne"},
			// the superscript "er" joins its number
			blocks: map[string][]int{"Article 1er :": {1}, "Article 3 :": {2}, "A AGEN, le 28/07/2014": {2}},
		},
		{
			file:     "fiche-registre-journal-d-entreprise-10-minutes.pdf",
			pages:    1,
			contains: []string{"Aut O’ Mattic Ltd. Hébergement du site Web", "tout public intéressé en externe"},
			blocks:   map[string][]int{"Objet du traitement": {1}, "Durée de conservation des données": {1}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			doc := mustRead(t, tt.file)
			if doc.Pages != tt.pages {
				t.Errorf("pages = %d, want %d", doc.Pages, tt.pages)
			}
			if tt.title != "" && doc.Title != tt.title {
				t.Errorf("title = %q, want %q", doc.Title, tt.title)
			}
			if doc.Format != registre.FormatPDF {
				t.Errorf("format = %q", doc.Format)
			}
			if len(doc.Warnings) > 0 {
				t.Errorf("warnings on a clean file: %v", doc.Warnings)
			}
			for _, s := range tt.contains {
				if !strings.Contains(doc.Text, s) {
					t.Errorf("text lacks %q", s)
				}
			}
			for s, want := range tt.blocks {
				if got := pagesOf(doc, s); !equalInts(got, want) {
					t.Errorf("block %q on pages %v, want %v", s, got, want)
				}
			}
			if strings.ContainsRune(doc.Text, '\uFFFD') {
				t.Error("text holds replacement characters")
			}
			checkSpans(t, doc)
		})
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// checkSpans: every block and run points at its own text, page breaks come
// in order, one per page.
func checkSpans(t *testing.T, doc *registre.Document) {
	t.Helper()
	breaks := 0
	page := 0
	for _, b := range doc.Blocks {
		if b.Kind == registre.BlockPageBreak {
			breaks++
			if b.Page != page+1 {
				t.Fatalf("page break %d after page %d", b.Page, page)
			}
			page = b.Page
			continue
		}
		if b.Page != page {
			t.Fatalf("block %q has page %d inside page %d", b.Text, b.Page, page)
		}
		if doc.Text[b.Start:b.End] != b.Text {
			t.Fatalf("block span %d-%d holds %q, block text %q", b.Start, b.End, doc.Text[b.Start:b.End], b.Text)
		}
		if len(b.Runs) == 0 {
			t.Fatalf("block %q has no runs", b.Text)
		}
		for _, r := range b.Runs {
			if r.Start < b.Start || r.End > b.End || doc.Text[r.Start:r.End] != r.Text {
				t.Fatalf("run %+v outside or unlike block %q", r, b.Text)
			}
			if r.X < 0 || r.X > 600 || r.Y < 0 || r.Y > 850 || r.FontSize <= 0 {
				t.Fatalf("run %+v off the A4 page", r)
			}
		}
	}
	if breaks != doc.Pages {
		t.Errorf("%d page breaks for %d pages", breaks, doc.Pages)
	}
}

// The Cnam table: cells of the two columns come out as separate blocks, the
// left column first, each with runs that tell its column and nesting.
func TestReadCnamTableColumns(t *testing.T) {
	doc := mustRead(t, "cnam-registre.pdf")
	var page3 []registre.Block
	for _, b := range doc.Blocks {
		if b.Page == 3 && b.Kind != registre.BlockPageBreak {
			page3 = append(page3, b)
		}
	}
	find := func(prefix string) (int, registre.Block) {
		for i, b := range page3 {
			if strings.HasPrefix(b.Text, prefix) {
				return i, b
			}
		}
		t.Fatalf("no block starting %q on page 3", prefix)
		return 0, registre.Block{}
	}
	iLeft, left := find("Sous-finalités")
	iRight, right := find("Fondements juridiques")
	if !left.Bold || !right.Bold || left.Text != "Sous-finalités" || right.Text != "Fondements juridiques" {
		t.Errorf("header cells: %q bold=%v, %q bold=%v", left.Text, left.Bold, right.Text, right.Bold)
	}
	if iLeft > iRight || left.Runs[0].X > 300 || right.Runs[0].X < 300 {
		t.Errorf("left column (x=%.0f, #%d) must come before right column (x=%.0f, #%d)", left.Runs[0].X, iLeft, right.Runs[0].X, iRight)
	}
	_, basis := find("Article 6-1-c du RGPD")
	if basis.Kind != registre.BlockListItem || basis.Level != 0 ||
		basis.Text != "Article 6-1-c du RGPD : le traitement est nécessaire au respect d'une obligation légale notamment :" {
		t.Errorf("basis item: %s L%d %q", basis.Kind, basis.Level, basis.Text)
	}
	_, child := find("L. 111-2-2")
	if child.Kind != registre.BlockListItem || child.Level != 1 {
		t.Errorf("nested item %q: %s level %d, want list_item level 1", child.Text, child.Kind, child.Level)
	}
	if len(basis.Runs) != 2 || basis.Runs[1].Y <= basis.Runs[0].Y {
		t.Errorf("a two-line item has one run per line, top to bottom: %+v", basis.Runs)
	}
	_, title := find("Gérer les immatriculations")
	if title.Kind != registre.BlockHeading || !title.Runs[0].Italic || !title.Runs[0].Bold {
		t.Errorf("title: %s italic=%v bold=%v", title.Kind, title.Runs[0].Italic, title.Runs[0].Bold)
	}
}

func TestReadUnreadable(t *testing.T) {
	cnam := readFixture(t, "cnam-registre.pdf")
	ccmsa := readFixture(t, "ccmsa-decision-14-04.pdf")
	tests := []struct {
		name    string
		data    []byte
		want    error
		message string
	}{
		{"empty", nil, ErrCorrupt, "empty file"},
		{"blank", []byte("  \n"), ErrCorrupt, "empty file"},
		{"not a pdf", []byte("<html><body>hello</body></html>"), ErrCorrupt, "no %PDF- header"},
		{"truncated", cnam[:len(cnam)/2], ErrTruncated, "truncated PDF: no %%EOF marker"},
		{"truncated early", ccmsa[:200], ErrTruncated, "truncated PDF"},
		{"garbage body", []byte("%PDF-1.4\n" + strings.Repeat("garbage ", 50) + "\n%%EOF\n"), ErrCorrupt, "corrupt PDF"},
		{"encrypted", readFixture(t, "encrypted-password.pdf"), ErrEncrypted, "encrypted PDF: a password is required"},
		{"scanned", readFixture(t, "scanned-no-text.pdf"), ErrNoText, "no text layer (scanned PDF?)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := Read(t.Context(), tt.name+".pdf", tt.data)
			if err == nil {
				t.Fatalf("no error; got %d pages", doc.Pages)
			}
			if !errors.Is(err, tt.want) {
				t.Errorf("error %q is not %q", err, tt.want)
			}
			if !strings.Contains(err.Error(), tt.message) {
				t.Errorf("error %q does not say %q", err, tt.message)
			}
		})
	}
}

// An encrypted file with an empty user password opens like any other; the
// warning says it was encrypted.
func TestReadEncryptedWithoutUserPassword(t *testing.T) {
	doc := mustRead(t, "encrypted-no-user-password.pdf")
	if doc.Pages != 2 || doc.Title != "Décision n°14-04 - CCMSA" || !strings.Contains(doc.Text, "Article 1er :") {
		t.Errorf("pages %d, title %q, text starts %q", doc.Pages, doc.Title, doc.Text[:min(80, len(doc.Text))])
	}
	if len(doc.Warnings) != 1 || !strings.Contains(doc.Warnings[0], "encrypted") {
		t.Errorf("warnings = %v", doc.Warnings)
	}
}

// brokenXref returns a copy of a PDF whose startxref points nowhere:
// ledongthuc refuses it, poppler rebuilds the cross-reference table.
func brokenXref(t *testing.T, data []byte) []byte {
	t.Helper()
	i := bytes.LastIndex(data, []byte("startxref"))
	if i < 0 {
		t.Fatal("no startxref")
	}
	out := append([]byte(nil), data[:i]...)
	return append(out, []byte("startxref\n999999999\n%%EOF\n")...)
}

func TestReadFallsBackToPdftotext(t *testing.T) {
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("poppler-utils not installed")
	}
	doc, err := Read(t.Context(), "broken.pdf", brokenXref(t, readFixture(t, "ccmsa-decision-14-04.pdf")))
	if err != nil {
		t.Fatal(err)
	}
	if doc.Pages != 2 {
		t.Errorf("pages = %d, want 2", doc.Pages)
	}
	if len(doc.Warnings) == 0 || !strings.Contains(doc.Warnings[0], "read with pdftotext") {
		t.Errorf("warnings = %v", doc.Warnings)
	}
	for _, s := range []string{"Article 1er :", "à l'identification (dont le NIR),", "A AGEN, le 28/07/2014"} {
		if !strings.Contains(doc.Text, s) {
			t.Errorf("fallback text lacks %q", s)
		}
	}
	items := 0
	for _, b := range doc.Blocks {
		if b.Kind == registre.BlockListItem {
			items++
		}
	}
	if items < 8 {
		t.Errorf("fallback found %d list items, want the bullets of articles 1 and 2", items)
	}
	checkSpans(t, doc)
}

func TestReadWithoutPoppler(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	_, err := Read(t.Context(), "broken.pdf", brokenXref(t, readFixture(t, "ccmsa-decision-14-04.pdf")))
	if err == nil || !strings.Contains(err.Error(), "poppler-utils") {
		t.Errorf("error %v should name poppler-utils", err)
	}
	// A good file does not need poppler.
	if _, err := Read(t.Context(), "ok.pdf", readFixture(t, "ccmsa-decision-14-04.pdf")); err != nil {
		t.Errorf("good file without poppler: %v", err)
	}
}

func TestReadCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Read(ctx, "x.pdf", readFixture(t, "ccmsa-decision-14-04.pdf")); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}

func TestPagesWithoutText(t *testing.T) {
	b := registre.NewBuilder("x.pdf", registre.FormatPDF, "")
	b.PageBreak(1)
	b.Add(registre.Block{Kind: registre.BlockParagraph, Text: "texte", Page: 1})
	b.PageBreak(2)
	b.PageBreak(3)
	b.Add(registre.Block{Kind: registre.BlockParagraph, Text: "  ", Page: 3})
	doc := b.Doc()
	doc.Pages = 3
	if got := PagesWithoutText(doc); !equalInts(got, []int{2, 3}) {
		t.Errorf("PagesWithoutText = %v, want [2 3]", got)
	}
}

func FuzzRead(f *testing.F) {
	for _, name := range []string{"ccmsa-decision-14-04.pdf", "fiche-registre-journal-d-entreprise-10-minutes.pdf", "encrypted-password.pdf", "encrypted-no-user-password.pdf", "scanned-no-text.pdf"} {
		data := readFixture(f, name)
		f.Add(data)
		f.Add(data[:len(data)/3])
	}
	f.Add(handmadePDF("BT /F1 12 Tf 72 700 Td (Une page) Tj ET", "q 1 0 0 1 10 10 cm BT /F1 9 Tf 2 Tr [(A) -250 (B)] TJ T* (C) ' ET Q"))
	f.Add([]byte("%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[2 0 R]/Count 1>>endobj\ntrailer<</Root 1 0 R>>\nstartxref\n9\n%%EOF\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := Read(context.Background(), "fuzz.pdf", data)
		if err != nil {
			return
		}
		for _, b := range doc.Blocks {
			if b.Start < 0 || b.End > len(doc.Text) || doc.Text[b.Start:b.End] != b.Text {
				t.Fatalf("bad block span %d-%d", b.Start, b.End)
			}
		}
	})
}

// handmadePDF writes a PDF with one page per content stream, using the
// standard Helvetica font (no widths), with a correct cross-reference table.
func handmadePDF(contents ...string) []byte {
	var b bytes.Buffer
	var offs []int
	obj := func(s string) {
		offs = append(offs, b.Len())
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", len(offs), s)
	}
	b.WriteString("%PDF-1.4\n")
	n := len(contents)
	kids := ""
	for i := range contents {
		kids += fmt.Sprintf("%d 0 R ", 4+2*i)
	}
	obj("<< /Type /Catalog /Pages 2 0 R >>")
	obj(fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", kids, n))
	obj("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
	for i, c := range contents {
		obj(fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>", 5+2*i))
		obj(fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(c), c))
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(offs)+1)
	for _, o := range offs {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(offs)+1, xref)
	return b.Bytes()
}

// A page whose content stream makes ledongthuc panic is read again by
// pdftotext; the other pages keep the main reader.
func TestReadPageFallback(t *testing.T) {
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("poppler-utils not installed")
	}
	data := handmadePDF(
		"BT /F1 12 Tf 72 700 Td (Premiere page lisible) Tj ET",
		"BT /F1 12 Tf 72 700 Td (Seconde page) Tj ET end", // "end" without "begin": ledongthuc panics
	)
	doc, err := Read(t.Context(), "handmade.pdf", data)
	if err != nil {
		t.Fatal(err)
	}
	if got := pagesOf(doc, "Premiere page lisible"); !equalInts(got, []int{1}) {
		t.Errorf("page 1 text on pages %v; text %q", got, doc.Text)
	}
	if got := pagesOf(doc, "Seconde page"); !equalInts(got, []int{2}) {
		t.Errorf("page 2 text on pages %v; text %q", got, doc.Text)
	}
	if len(doc.Warnings) != 1 || !strings.Contains(doc.Warnings[0], "page 2: ledongthuc/pdf panicked") || !strings.Contains(doc.Warnings[0], "read with pdftotext") {
		t.Errorf("warnings = %q", doc.Warnings)
	}
	checkSpans(t, doc)
}

// Text drawn sideways (rotated text matrix) is read along its own direction.
func TestReadSidewaysText(t *testing.T) {
	for _, tt := range []struct{ name, m1, m2 string }{
		{"quarter turn", "0 1 -1 0 300 100", "0 1 -1 0 314 100"},        // reads upwards: next line to the right
		{"three quarter turns", "0 -1 1 0 300 700", "0 -1 1 0 286 700"}, // reads downwards: next line to the left
	} {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := Read(t.Context(), "sideways.pdf", handmadePDF(
				"BT /F1 12 Tf "+tt.m1+" Tm (Texte vertical) Tj ET BT /F1 12 Tf "+tt.m2+" Tm (Deuxieme ligne) Tj ET"))
			if err != nil {
				t.Fatal(err)
			}
			if got := pagesOf(doc, "Texte vertical Deuxieme ligne"); !equalInts(got, []int{1}) {
				t.Errorf("text %q", doc.Text)
			}
		})
	}
}
