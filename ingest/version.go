package ingest

import (
	"fmt"

	"registre"
	"registre/ingest/docx"
	"registre/ingest/html"
	"registre/ingest/ocr"
	"registre/ingest/office"
	"registre/ingest/pdf"
	"registre/ingest/sheet"
	"registre/ingest/text"
)

// Version covers sniffing and dispatch (what every format goes through).
// Bump it when Sniff or Read change what any file gives.
// 2: Markdown with HTML fragments (PDF conversions) is text, not HTML.
const Version = 2

// ReaderVersion names the version of everything that reads a file of format
// f: the dispatch plus that format's reader. The bulk ledger keys its work on
// it, so bumping one reader re-processes only that format's files. An empty
// format (a file that could not be sniffed) depends on the dispatch only.
func ReaderVersion(f registre.Format) string {
	v := 0
	switch f {
	case registre.FormatPDF:
		v = pdf.Version*1000 + ocrVersion
	case registre.FormatDOCX:
		v = docx.Version
	case registre.FormatDOC, registre.FormatODT:
		v = office.Version
	case registre.FormatHTML:
		v = html.Version
	case registre.FormatXLSX, registre.FormatODS:
		v = sheet.Version
	case registre.FormatTXT, registre.FormatMD:
		v = text.Version
	}
	return fmt.Sprintf("ingest/%d %s/%d", Version, f, v)
}

// ocrVersion is part of the PDF reader's version: scans are read by OCR.
const ocrVersion = ocr.Version
