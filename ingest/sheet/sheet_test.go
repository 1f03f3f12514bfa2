package sheet

import (
	"archive/zip"
	"bytes"
	"context"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"registre"
)

const fixtures = "../../fixtures/sheet"

func read(t testing.TB, name string) *registre.Document {
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

func checkSpans(t testing.TB, doc *registre.Document) {
	t.Helper()
	for _, b := range doc.Blocks {
		if b.Kind != registre.BlockTable {
			if doc.Text[b.Start:b.End] != b.Text {
				t.Fatalf("block %s: span text differs", b.Path)
			}
			continue
		}
		for _, row := range b.Rows {
			for _, c := range row {
				if doc.Text[c.Start:c.End] != c.Text() {
					t.Fatalf("cell %v: span text %q != %q", c.Blocks, doc.Text[c.Start:c.End], c.Text())
				}
			}
		}
	}
}

// Both renderings of the Cramif register read as one sheet: its name as a
// heading, then 74 rows (header + 73) of 15 columns.
func TestReadRegister(t *testing.T) {
	for _, tt := range []struct {
		file   string
		format registre.Format
	}{
		{"cramif-registre.xlsx", registre.FormatXLSX},
		{"cramif-registre.ods", registre.FormatODS},
	} {
		t.Run(tt.file, func(t *testing.T) {
			doc := read(t, tt.file)
			if doc.Format != tt.format {
				t.Errorf("format %q", doc.Format)
			}
			if len(doc.Blocks) != 2 || doc.Blocks[0].Kind != registre.BlockHeading || doc.Blocks[0].Text != "cramif-registre" {
				t.Fatalf("blocks: %d, first %+v", len(doc.Blocks), doc.Blocks[0])
			}
			tbl := doc.Blocks[1]
			if tbl.Kind != registre.BlockTable || len(tbl.Rows) != 74 {
				t.Fatalf("table with %d rows", len(tbl.Rows))
			}
			for i, row := range tbl.Rows {
				if len(row) != 15 {
					t.Fatalf("row %d has %d cells", i+1, len(row))
				}
			}
			cells := []struct {
				row, col int
				path     string
				text     string
			}{
				{0, 0, "'cramif-registre'!A1", "N°"},
				{0, 1, "'cramif-registre'!B1", "Nom / sigle du traitement"},
				{0, 14, "'cramif-registre'!O1", "Documents associés"},
				{1, 0, "'cramif-registre'!A2", "1"},
				{1, 1, "'cramif-registre'!B2", "SNTRP ( ex base SGE/TAPR)"},
				{1, 13, "'cramif-registre'!N2", "6 décembre 1993"},
			}
			for _, c := range cells {
				cell := tbl.Rows[c.row][c.col]
				if cell.Text() != c.text || cell.Blocks[0].Path != c.path {
					t.Errorf("cell %s = %q at %s, want %q", c.path, cell.Text(), cell.Blocks[0].Path, c.text)
				}
			}
			// All cells are text: "2009" and "1er mars 2009" stay as written.
			found := false
			for _, row := range tbl.Rows {
				if strings.HasPrefix(row[13].Text(), "1er ") {
					found = true
				}
			}
			if !found {
				t.Error(`no "1er …" date kept as text`)
			}
		})
	}
}

func TestXLSXAndODSAgree(t *testing.T) {
	x, o := read(t, "cramif-registre.xlsx"), read(t, "cramif-registre.ods")
	if x.Text != o.Text {
		t.Error("the XLSX and ODS renderings of the same register read differently")
	}
}

func TestCellRef(t *testing.T) {
	tests := []struct {
		sheet    string
		col, row int
		want     string
	}{
		{"Feuille1", 2, 3, "Feuille1!B3"},
		{"Mon onglet", 3, 7, "'Mon onglet'!C7"},
		{"Registre 2020-2021", 28, 1, "'Registre 2020-2021'!AB1"},
		{"d'activité", 1, 1, "'d''activité'!A1"},
	}
	for _, tt := range tests {
		if got := CellRef(tt.sheet, tt.col, tt.row); got != tt.want {
			t.Errorf("CellRef(%q,%d,%d) = %q, want %q", tt.sheet, tt.col, tt.row, got, tt.want)
		}
	}
}

func zipOf(t testing.TB, files map[string][]byte) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, data := range files {
		w, _ := zw.Create(name)
		w.Write(data)
	}
	zw.Close()
	return buf.Bytes()
}

func TestHostile(t *testing.T) {
	good, _ := os.ReadFile(filepath.Join(fixtures, "cramif-registre.xlsx"))
	rnd := rand.New(rand.NewSource(2))
	random := make([]byte, 4096)
	rnd.Read(random)
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"random bytes", random, "not a readable zip"},
		{"truncated xlsx", good[:len(good)/2], "not a readable zip"},
		{"other zip", zipOf(t, map[string][]byte{"a.txt": []byte("x")}), "neither an XLSX"},
		{"garbage workbook", zipOf(t, map[string][]byte{"xl/workbook.xml": random[:500]}), "sheet:"},
		{"garbage ods", zipOf(t, map[string][]byte{"mimetype": []byte("application/vnd.oasis.opendocument.spreadsheet"), "content.xml": random[:500]}), "parse content.xml"},
		{"ods bomb", zipOf(t, map[string][]byte{"content.xml": bytes.Repeat([]byte(" "), maxPartSize+1)}), "too large"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Read(context.Background(), tt.name, tt.data)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want it to say %q", err, tt.want)
			}
		})
	}
}

// A filled row repeated a million times must not be materialised a million
// times.
func TestODSRepeatCap(t *testing.T) {
	content := `<?xml version="1.0"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet><table:table table:name="S"><table:table-row><table:table-cell><text:p>h</text:p></table:table-cell></table:table-row><table:table-row table:number-rows-repeated="1000000"><table:table-cell table:number-columns-repeated="3"><text:p>x<text:s text:c="2"/>y</text:p></table:table-cell></table:table-row><table:table-row><table:table-cell><text:p><text:a xmlns:xlink="http://www.w3.org/1999/xlink" xlink:href="https://x.fr/a.pdf">Acte</text:a></text:p></table:table-cell></table:table-row><table:table-row table:number-rows-repeated="1048000"><table:table-cell/></table:table-row></table:table></office:spreadsheet></office:body></office:document-content>`
	doc, err := Read(context.Background(), "r.ods", zipOf(t, map[string][]byte{"content.xml": []byte(content)}))
	if err != nil {
		t.Fatal(err)
	}
	tbl := doc.Blocks[1]
	if len(tbl.Rows) != 2+maxRepeat {
		t.Errorf("rows = %d, want %d", len(tbl.Rows), 2+maxRepeat)
	}
	last := tbl.Rows[len(tbl.Rows)-1][0]
	if l := last.Blocks[0].Links; len(l) != 1 || l[0].Href != "https://x.fr/a.pdf" || last.Text() != "Acte" {
		t.Errorf("linked cell %q links %+v", last.Text(), l)
	}
	if got := tbl.Rows[1][2].Text(); got != "x  y" {
		t.Errorf("cell = %q", got)
	}
	if p := tbl.Rows[1][2].Blocks[0].Path; p != "S!C2" {
		t.Errorf("path %q", p)
	}
}

func FuzzRead(f *testing.F) {
	for _, n := range []string{"cramif-registre.xlsx", "cramif-registre.ods"} {
		data, err := os.ReadFile(filepath.Join(fixtures, n))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := Read(context.Background(), "fuzz", data)
		if err != nil {
			return
		}
		checkSpans(t, doc)
	})
}

// FuzzODSContent fuzzes the content.xml walk directly.
func FuzzODSContent(f *testing.F) {
	f.Add([]byte(`<table:table xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" table:name="S"><table:table-row><table:table-cell table:number-columns-spanned="2"><p>a</p></table:table-cell></table:table-row></table:table>`))
	f.Fuzz(func(t *testing.T, content []byte) {
		doc, err := Read(context.Background(), "fuzz.ods", zipOf(t, map[string][]byte{"content.xml": content}))
		if err != nil {
			return
		}
		checkSpans(t, doc)
	})
}

// A workbook written by excelize: two sheets, a merged title, a blank row,
// a name that needs quoting, a number and a multi-line cell.
func TestWorkbookFeatures(t *testing.T) {
	f := excelize.NewFile()
	f.SetSheetName("Sheet1", "Légende")
	f.SetCellStr("Légende", "A1", "Notes")
	f.NewSheet("Registre 2021")
	s := "Registre 2021"
	f.SetCellStr(s, "A1", "Registre de la CGSS")
	f.MergeCell(s, "A1", "C1")
	f.SetCellStr(s, "A3", "N°")
	f.SetCellStr(s, "B3", "Nom du traitement")
	f.SetCellStr(s, "C3", "Finalités")
	f.SetCellInt(s, "A4", 7)
	f.SetCellStr(s, "B4", "Paie")
	f.SetCellStr(s, "C4", "Verser\nDéclarer")
	f.SetDocProps(&excelize.DocProperties{Title: "Registre RGPD", Created: "2021-03-04T10:00:00Z"})
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	doc, err := Read(context.Background(), "w.xlsx", buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	checkSpans(t, doc)
	if doc.Title != "Registre RGPD" || doc.Date != "2021-03-04" {
		t.Errorf("title %q date %q", doc.Title, doc.Date)
	}
	var kinds []string
	for _, b := range doc.Blocks {
		kinds = append(kinds, string(b.Kind)+":"+b.Text)
	}
	if got := strings.Join(kinds, ","); got != "heading:Légende,table:,heading:Registre 2021,table:" {
		t.Fatalf("blocks %s", got)
	}
	tbl := doc.Blocks[3]
	if len(tbl.Rows) != 3 { // the blank row 2 is dropped
		t.Fatalf("rows %d", len(tbl.Rows))
	}
	if c := tbl.Rows[0][0]; c.ColSpan != 3 || c.Text() != "Registre de la CGSS" || c.Blocks[0].Path != "'Registre 2021'!A1" {
		t.Errorf("merged title cell %+v", c)
	}
	if c := tbl.Rows[2][0]; c.Text() != "7" || c.Blocks[0].Path != "'Registre 2021'!A4" {
		t.Errorf("number cell %q at %s", c.Text(), c.Blocks[0].Path)
	}
	if c := tbl.Rows[2][2]; c.Text() != "Verser\nDéclarer" {
		t.Errorf("multi-line cell %q", c.Text())
	}
}

func BenchmarkRead(b *testing.B) {
	for _, name := range []string{"cramif-registre.xlsx", "cramif-registre.ods"} {
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

// Date cells come out as ISO dates read from their serial number, whatever
// locale wrote their number format: LibreOffice in English stores the
// French "01/07/2010" as 40360 shown "mm/dd/yy", which reads "07/01/10".
func TestDateCellsISO(t *testing.T) {
	tests := []struct {
		fmtCode string
		serial  float64
		want    string
	}{
		{"mm/dd/yy", 40360, "2010-07-01"},
		{"dd/mm/yyyy", 42444, "2016-03-15"},
		{"mm/yyyy", 44075, "2020-09"},
		{"General", 2018, "2018"}, // a year typed as a number is not a date
		{"0.00", 3.5, "3.50"},
	}
	for _, tt := range tests {
		t.Run(tt.fmtCode, func(t *testing.T) {
			f := excelize.NewFile()
			code := tt.fmtCode
			st, err := f.NewStyle(&excelize.Style{CustomNumFmt: &code})
			if err != nil {
				t.Fatal(err)
			}
			if err := f.SetCellValue("Sheet1", "A1", "Date de mise en œuvre"); err != nil {
				t.Fatal(err)
			}
			if err := f.SetCellFloat("Sheet1", "A2", tt.serial, -1, 64); err != nil {
				t.Fatal(err)
			}
			if err := f.SetCellStyle("Sheet1", "A2", "A2", st); err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			if err := f.Write(&buf); err != nil {
				t.Fatal(err)
			}
			doc, err := Read(context.Background(), "d.xlsx", buf.Bytes())
			if err != nil {
				t.Fatal(err)
			}
			var got string
			for _, b := range doc.Blocks {
				if b.Kind == registre.BlockTable && len(b.Rows) > 1 {
					got = b.Rows[1][0].Text()
				}
			}
			if got != tt.want {
				t.Errorf("cell = %q, want %q", got, tt.want)
			}
		})
	}
	// The same from a real LibreOffice conversion of a French CSV.
	data, err := os.ReadFile("../../fixtures/holdout/registre-carsat-bretagne.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := Read(context.Background(), "registre-carsat-bretagne.xlsx", data)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(doc.Text, "2010-07-01") || strings.Contains(doc.Text, "07/01/10") {
		t.Errorf("LibreOffice date cell not read as 2010-07-01")
	}
	// And from the same CSV saved as ODS (office:date-value).
	data, err = os.ReadFile("../../fixtures/holdout/registre-carsat-bretagne.ods")
	if err != nil {
		t.Fatal(err)
	}
	doc, err = Read(context.Background(), "registre-carsat-bretagne.ods", data)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"2010-07-01", "2016-03-15", "09/2020"} {
		if !strings.Contains(doc.Text, want) {
			t.Errorf("ODS: no %q in the text", want)
		}
	}
	if strings.Contains(doc.Text, "03/15/16") {
		t.Errorf("ODS: date cell kept its English rendering 03/15/16")
	}
}

func TestODSDate(t *testing.T) {
	tests := []struct{ shown, value, want string }{
		{"03/15/16", "2016-03-15", "2016-03-15"},
		{"15/03/2016", "2016-03-15T00:00:00", "2016-03-15"},
		{"09/2020", "2020-09-01", "2020-09"},
		{"1er mars 1994", "1994-03-01", "1er mars 1994"}, // a wording is kept
		{"03/15/16", "", "03/15/16"},
	}
	for _, tt := range tests {
		if got := odsDate(tt.shown, tt.value); got != tt.want {
			t.Errorf("odsDate(%q, %q) = %q, want %q", tt.shown, tt.value, got, tt.want)
		}
	}
}

// A cell's hyperlink becomes a link over the cell's text.
func TestHyperlinks(t *testing.T) {
	f := excelize.NewFile()
	f.SetCellStr("Sheet1", "A1", "Documents associés")
	f.SetCellStr("Sheet1", "A2", "Acte réglementaire pdf - 119.09 Ko")
	if err := f.SetCellHyperLink("Sheet1", "A2", "https://www.cramif.fr/sites/default/files/acte.pdf", "External"); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	doc, err := Read(context.Background(), "l.xlsx", buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	checkSpans(t, doc)
	c := doc.Blocks[1].Rows[1][0].Blocks[0]
	if len(c.Links) != 1 || c.Links[0].Href != "https://www.cramif.fr/sites/default/files/acte.pdf" || doc.Text[c.Links[0].Start:c.Links[0].End] != "Acte réglementaire pdf - 119.09 Ko" {
		t.Errorf("links %+v", c.Links)
	}
	if l := doc.Blocks[1].Rows[0][0].Blocks[0].Links; len(l) != 0 {
		t.Errorf("unlinked cell has links %+v", l)
	}
}
