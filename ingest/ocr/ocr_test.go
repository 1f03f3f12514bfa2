package ocr_test

import (
	"bytes"
	"context"
	"errors"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/signintech/gopdf"

	"registre"
	"registre/ingest"
	"registre/ingest/ocr"
	"registre/ingest/pdf"
)

const scan = "../../fixtures/bulk/scanned-no-text.pdf"

// needOCR skips without tesseract, except in CI where it must be installed.
func needOCR(t *testing.T) {
	t.Helper()
	if !ocr.Available() {
		if os.Getenv("CI") == "true" {
			t.Fatal("tesseract-ocr (+fra) and poppler-utils must be installed in CI")
		}
		t.Skip("tesseract or pdftoppm not installed")
	}
}

func checkSpans(t *testing.T, doc *registre.Document) {
	t.Helper()
	for i, b := range doc.Blocks {
		if b.Kind == registre.BlockTable || b.Kind == registre.BlockPageBreak {
			continue
		}
		if doc.Text[b.Start:b.End] != b.Text {
			t.Errorf("block %d: span [%d,%d) is %q, text %q", i, b.Start, b.End, doc.Text[b.Start:b.End], b.Text)
		}
	}
}

func TestScannedPDFIsReadByOCR(t *testing.T) {
	needOCR(t)
	data, err := os.ReadFile(scan)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := ingest.Read(context.Background(), scan, data)
	if err != nil {
		t.Fatalf("read scan: %v", err)
	}
	if doc.Pages != 1 || doc.SHA256 == "" || doc.Format != registre.FormatPDF {
		t.Errorf("pages %d sha %q format %q", doc.Pages, doc.SHA256, doc.Format)
	}
	folded := strings.ToUpper(doc.Text)
	for _, want := range []string{"MUTUALIT", "SOCIALE AGRICOLE", "DÉCISION", "CNIL"} {
		if !strings.Contains(folded, want) {
			t.Errorf("OCR text lacks %q:\n%.400s", want, doc.Text)
		}
	}
	ocrBlocks := 0
	for _, b := range doc.Blocks {
		if strings.HasPrefix(b.Path, "ocr/page[1]/") {
			ocrBlocks++
		}
	}
	if ocrBlocks < 5 {
		t.Errorf("%d OCR blocks, want the page's paragraphs", ocrBlocks)
	}
	if len(doc.Warnings) == 0 || !strings.Contains(doc.Warnings[0], "OCR") {
		t.Errorf("warnings do not say the file was OCR'd: %v", doc.Warnings)
	}
	checkSpans(t, doc)
}

func TestScannedPDFWithoutTesseract(t *testing.T) {
	t.Setenv("PATH", t.TempDir()) // no tool can be found
	data, err := os.ReadFile(scan)
	if err != nil {
		t.Fatal(err)
	}
	_, err = ingest.Read(context.Background(), scan, data)
	if !errors.Is(err, ocr.ErrNotInstalled) || !errors.Is(err, pdf.ErrNoText) {
		t.Fatalf("err = %v, want ErrNotInstalled and ErrNoText", err)
	}
	if !strings.Contains(err.Error(), "tesseract is not installed") {
		t.Errorf("reason does not name the missing tool: %v", err)
	}
}

// A PDF whose second page is a scan: page 1 keeps its text layer, page 2 is
// OCR'd and put after it, with right spans.
func TestMixedPDFOCRsOnlyTheScannedPage(t *testing.T) {
	needOCR(t)
	dir := t.TempDir()
	// The scan as an image, rasterised by poppler.
	if out, err := exec.Command("pdftoppm", "-r", "100", "-gray", "-png", "-singlefile", scan, filepath.Join(dir, "scan")).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v %s", err, out)
	}
	imgPath := filepath.Join(dir, "scan.png")
	f, err := os.Open(imgPath)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	font := "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
	if _, err := os.Stat(font); err != nil {
		t.Skip("fonts-dejavu-core not installed")
	}
	p := &gopdf.GoPdf{}
	p.Start(gopdf.Config{PageSize: *gopdf.PageSizeA4})
	if err := p.AddTTFFont("sans", font); err != nil {
		t.Fatal(err)
	}
	p.AddPage()
	if err := p.SetFont("sans", "", 12); err != nil {
		t.Fatal(err)
	}
	p.SetXY(60, 60)
	p.Cell(nil, "Registre des activités de traitement – page de garde")
	p.AddPage()
	b := img.Bounds()
	if err := p.ImageFrom(img, 0, 0, &gopdf.Rect{W: 595, H: 595 * float64(b.Dy()) / float64(b.Dx())}); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := p.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	doc, err := ingest.Read(context.Background(), "mixed.pdf", buf.Bytes())
	if err != nil {
		t.Fatalf("read mixed PDF: %v", err)
	}
	if doc.Pages != 2 {
		t.Fatalf("pages = %d", doc.Pages)
	}
	if !strings.HasPrefix(doc.Text, "Registre des activités de traitement") {
		t.Errorf("page 1 text not first: %.80q", doc.Text)
	}
	lastPage := 0
	ocrd := 0
	for _, blk := range doc.Blocks {
		if blk.Page < lastPage {
			t.Errorf("block on page %d after page %d", blk.Page, lastPage)
		}
		lastPage = max(lastPage, blk.Page)
		if strings.HasPrefix(blk.Path, "ocr/") {
			ocrd++
			if blk.Page != 2 {
				t.Errorf("OCR block on page %d", blk.Page)
			}
		}
	}
	if ocrd == 0 || !strings.Contains(strings.ToUpper(doc.Text), "SOCIALE AGRICOLE") {
		t.Errorf("page 2 not OCR'd (%d blocks)", ocrd)
	}
	checkSpans(t, doc)
}

func TestMarkLowersConfidenceOfOCRValues(t *testing.T) {
	b := registre.NewBuilder("x.pdf", registre.FormatPDF, "")
	b.Add(registre.Block{Kind: registre.BlockParagraph, Text: "Nom du traitement : SNTRP", Page: 1})
	sp := b.Add(registre.Block{Kind: registre.BlockParagraph, Text: "Finalité : tarification", Page: 2, Path: "ocr/page[2]/par[1]@80%"})
	doc := b.Doc()
	recs := []registre.Record{{Provenance: map[string]registre.Provenance{
		"name":     {Start: 20, End: 25, Method: registre.MethodRule, Confidence: 1},
		"purposes": {Start: sp.Start + 11, End: sp.End, Method: registre.MethodRule, Confidence: 0.9},
	}}}
	ocr.Mark(doc, recs)
	if p := recs[0].Provenance["name"]; p.Method != registre.MethodRule || p.Confidence != 1 {
		t.Errorf("text-layer value changed: %+v", p)
	}
	p := recs[0].Provenance["purposes"]
	if p.Method != registre.MethodOCR {
		t.Errorf("OCR value method = %q", p.Method)
	}
	if want := 0.9 * 0.8 * ocr.ConfidenceFactor; p.Confidence < want-0.01 || p.Confidence > want+0.01 {
		t.Errorf("OCR value confidence = %v, want %.2f", p.Confidence, want)
	}
	ocr.Mark(nil, recs) // no document: nothing to do, no panic
}
