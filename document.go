// Package registre holds the domain types every stage of the pipeline shares:
// the Document a reader produces, the RawRecord an extractor finds in it, and
// the contract Record that normalize, flags and index work on.
//
// The pipeline is files → ingest (Document) → extract (RawRecord) →
// normalize (Record) → flags → index. Each stage lives in the folder of that
// name and imports only this package, so there are no cycles.
package registre

// Format is a source file format, as named by the output contract.
type Format string

const (
	FormatPDF  Format = "pdf"
	FormatDOCX Format = "docx"
	FormatDOC  Format = "doc"
	FormatHTML Format = "html"
	FormatXLSX Format = "xlsx"
	FormatODS  Format = "ods"
	FormatODT  Format = "odt"
	FormatTXT  Format = "txt"
	FormatMD   Format = "md"
)

// BlockKind says what a Block is.
type BlockKind string

const (
	BlockHeading   BlockKind = "heading"
	BlockParagraph BlockKind = "paragraph"
	BlockListItem  BlockKind = "list_item"
	BlockTable     BlockKind = "table"
	BlockPageBreak BlockKind = "page_break"
)

// Document is a file read into ordered blocks over one normalized text.
//
// Text is the concatenation of every block's text, each block followed by a
// newline (table cells are laid out row by row). Every Block, Cell and Run
// knows its [Start, End) byte span in Text, so any value an extractor finds
// can point back into the source: that span is the evidence reviewers see.
type Document struct {
	Path   string `json:"path"`
	Format Format `json:"format"`
	SHA256 string `json:"sha256"`
	Title  string `json:"title,omitempty"`
	// Date is the document's own date (ISO, possibly partial) when the reader
	// finds one in the file's metadata; extractors may refine it from content.
	Date   string  `json:"date,omitempty"`
	Pages  int     `json:"pages,omitempty"`
	Text   string  `json:"text"`
	Blocks []Block `json:"blocks"`
	// Warnings are non-fatal reading problems (a page that fell back to
	// another reader, an unreadable embedded part…).
	Warnings []string `json:"warnings,omitempty"`
}

// Block is one structural element of a document.
type Block struct {
	Kind BlockKind `json:"kind"`
	// Level is the heading level (1-6) for headings and the nesting depth
	// (0 = top level) for list items.
	Level int    `json:"level,omitempty"`
	Text  string `json:"text,omitempty"`
	Start int    `json:"start"`
	End   int    `json:"end"`
	// Page is the 1-based page the block starts on (PDF; 0 when unknown).
	Page int `json:"page,omitempty"`
	// Path locates the block in the source markup: "body/div[3]/ul/li[2]"
	// for HTML, "body/tbl[1]/tr[2]/tc[1]/p[1]" for DOCX, "sheet1!A2" for
	// spreadsheets.
	Path string `json:"path,omitempty"`
	// Bold is true when every run of the block's text is bold (forms use
	// bold label paragraphs).
	Bold bool `json:"bold,omitempty"`
	// Rows holds a table's cells, row by row.
	Rows [][]Cell `json:"rows,omitempty"`
	// Links are the hyperlinks inside the block, with their spans.
	Links []Link `json:"links,omitempty"`
	// Runs are the positioned text runs of a PDF block, kept so that
	// extractors can rebuild columns and table cells by position.
	Runs []Run `json:"runs,omitempty"`
	// Labels are the spans of inline label markup (<strong>, bold runs) at the
	// start of a block, kept because "Label : value" is how registers speak.
	Labels []Span `json:"labels,omitempty"`
	// Checked is set for a checkbox (☒ true, ☐ false) that the block holds.
	Checked *bool `json:"checked,omitempty"`
}

// Cell is one table cell: its own blocks and its span in the document text.
type Cell struct {
	Blocks  []Block `json:"blocks"`
	Start   int     `json:"start"`
	End     int     `json:"end"`
	ColSpan int     `json:"colspan,omitempty"`
}

// Text returns the text of the cell's blocks joined by newlines.
func (c Cell) Text() string {
	s := ""
	for i, b := range c.Blocks {
		if i > 0 {
			s += "\n"
		}
		s += b.Text
	}
	return s
}

// Link is a hyperlink: its visible text, its target and its span.
type Link struct {
	Text  string `json:"text"`
	Href  string `json:"href"`
	Start int    `json:"start"`
	End   int    `json:"end"`
	// After is the text right after the link inside the same element, where
	// registers put the file size ("pdf - 119.09 Ko").
	After string `json:"after,omitempty"`
}

// Run is a piece of text drawn at one position on a PDF page. Coordinates are
// in PDF points with the origin at the top-left of the page (Y grows down).
type Run struct {
	Text     string  `json:"text"`
	X        float64 `json:"x"`
	Y        float64 `json:"y"`
	W        float64 `json:"w"`
	FontSize float64 `json:"font_size,omitempty"`
	Bold     bool    `json:"bold,omitempty"`
	Italic   bool    `json:"italic,omitempty"`
	Start    int     `json:"start"`
	End      int     `json:"end"`
}

// Span is a [Start, End) byte range of Document.Text.
type Span struct {
	Start int `json:"start"`
	End   int `json:"end"`
}
