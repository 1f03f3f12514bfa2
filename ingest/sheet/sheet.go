// Package sheet reads spreadsheets (XLSX with excelize, ODS by walking
// content.xml) into a registre.Document: for every sheet, a heading block
// with the sheet's name followed by one table block, each cell's paragraph
// located as "Sheet!B3".
package sheet

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"registre"
)

// Limits against hostile files: a register has thousands of cells, a zip
// bomb billions.
const (
	maxUnzip    = 256 << 20
	maxPartSize = 64 << 20
	maxCells    = 2_000_000
)

// ErrTooLarge is returned for spreadsheets beyond the limits.
var ErrTooLarge = errors.New("spreadsheet too large (zip bomb?)")

// grid is one sheet as read: rows of cell texts with their real (1-based)
// row numbers, and the horizontal span of merged cells.
type grid struct {
	name  string
	rows  []gridRow
	spans map[[2]int]int // (row, col) 1-based → column span
	// links holds the hyperlink targets of cells, (row, col) 1-based:
	// registers link their attached documents.
	links map[[2]int]string
}

type gridRow struct {
	n     int // 1-based row number in the sheet
	cells []string
}

// Read reads an .xlsx or .ods file's bytes into a document.
func Read(ctx context.Context, path string, data []byte) (*registre.Document, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, fmt.Errorf("sheet: not a readable zip archive (corrupt, truncated or not a spreadsheet): %w", err)
	}
	var (
		grids  []grid
		format registre.Format
		title  string
		date   string
	)
	switch {
	case has(zr, "xl/workbook.xml"):
		format = registre.FormatXLSX
		grids, title, date, err = readXLSX(ctx, data)
	case has(zr, "content.xml"):
		format = registre.FormatODS
		grids, title, date, err = readODS(ctx, zr)
	default:
		return nil, errors.New("sheet: zip archive is neither an XLSX workbook nor an OpenDocument spreadsheet")
	}
	if err != nil {
		return nil, err
	}
	b := registre.NewBuilder(path, format, "")
	for _, g := range grids {
		build(b, g)
	}
	doc := b.Doc()
	doc.Title, doc.Date = title, date
	return doc, nil
}

func has(zr *zip.Reader, name string) bool {
	for _, f := range zr.File {
		if f.Name == name {
			return true
		}
	}
	return false
}

// build lays out one sheet: its name as a heading, then its table, every
// row padded to the sheet's width so columns line up.
func build(b *registre.Builder, g grid) {
	b.Add(registre.Block{Kind: registre.BlockHeading, Level: 1, Text: g.name, Path: quoteSheet(g.name)})
	if len(g.rows) == 0 {
		return
	}
	width := 0
	for _, r := range g.rows {
		width = max(width, len(r.cells))
	}
	rows := make([][][]registre.Block, len(g.rows))
	spans := make([][]int, len(g.rows))
	for i, r := range g.rows {
		rows[i] = make([][]registre.Block, width)
		spans[i] = make([]int, width)
		for j := 0; j < width; j++ {
			v := ""
			if j < len(r.cells) {
				v = strings.ReplaceAll(r.cells[j], "\r\n", "\n")
			}
			blk := registre.Block{Kind: registre.BlockParagraph, Text: v, Path: CellRef(g.name, j+1, r.n)}
			if href := g.links[[2]int{r.n, j + 1}]; href != "" && v != "" {
				blk.Links = []registre.Link{{Text: v, Href: href, Start: 0, End: len(v)}}
			}
			rows[i][j] = []registre.Block{blk}
			spans[i][j] = g.spans[[2]int{r.n, j + 1}]
		}
	}
	b.AddTable(registre.Block{Path: quoteSheet(g.name)}, rows, spans)
}

// CellRef names a cell the way spreadsheets do: Feuille1!B3, 'Mon onglet'!C7.
func CellRef(sheet string, col, row int) string {
	name, err := excelize.CoordinatesToCellName(col, row)
	if err != nil {
		name = fmt.Sprintf("R%dC%d", row, col)
	}
	return quoteSheet(sheet) + "!" + name
}

func quoteSheet(s string) string {
	for _, r := range s {
		if !(r == '_' || r == '.' || r >= '0' && r <= '9' || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r > 0x7f) {
			return "'" + strings.ReplaceAll(s, "'", "''") + "'"
		}
	}
	return s
}

func readXLSX(ctx context.Context, data []byte) ([]grid, string, string, error) {
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: maxUnzip, UnzipXMLSizeLimit: maxPartSize})
	if err != nil {
		if strings.Contains(err.Error(), "size") {
			return nil, "", "", fmt.Errorf("sheet: %w: %v", ErrTooLarge, err)
		}
		return nil, "", "", fmt.Errorf("sheet: open XLSX workbook: %w", err)
	}
	defer f.Close()
	var grids []grid
	cells := 0
	for _, name := range f.GetSheetList() {
		if err := ctx.Err(); err != nil {
			return nil, "", "", err
		}
		rows, err := f.GetRows(name)
		if err != nil {
			return nil, "", "", fmt.Errorf("sheet: read sheet %q: %w", name, err)
		}
		if raw, err := f.GetRows(name, excelize.Options{RawCellValue: true}); err == nil {
			isoDates(rows, raw)
		}
		g := grid{name: name, spans: map[[2]int]int{}}
		for i, r := range rows {
			cells += len(r)
			if cells > maxCells {
				return nil, "", "", fmt.Errorf("sheet: %w: more than %d cells", ErrTooLarge, maxCells)
			}
			if !blankRow(r) {
				g.rows = append(g.rows, gridRow{n: i + 1, cells: r})
				for j, v := range r {
					if v == "" {
						continue
					}
					cell, _ := excelize.CoordinatesToCellName(j+1, i+1)
					if ok, target, err := f.GetCellHyperLink(name, cell); err == nil && ok && target != "" {
						if g.links == nil {
							g.links = map[[2]int]string{}
						}
						g.links[[2]int{i + 1, j + 1}] = target
					}
				}
			}
		}
		if merges, err := f.GetMergeCells(name, true); err == nil {
			for _, m := range merges {
				c1, r1, err1 := excelize.CellNameToCoordinates(m.GetStartAxis())
				c2, _, err2 := excelize.CellNameToCoordinates(m.GetEndAxis())
				if err1 == nil && err2 == nil && c2 > c1 {
					g.spans[[2]int{r1, c1}] = c2 - c1 + 1
				}
			}
		}
		grids = append(grids, g)
	}
	title, date := "", ""
	if p, err := f.GetDocProps(); err == nil && p != nil {
		title = strings.TrimSpace(p.Title)
		date = isoDate(p.Created)
	}
	return grids, title, date, nil
}

func blankRow(r []string) bool {
	for _, c := range r {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

func isoDate(s string) string {
	s = strings.TrimSpace(s)
	if len(s) < 10 {
		return ""
	}
	t, err := time.Parse("2006-01-02", s[:10])
	if err != nil || t.Year() < 1980 {
		return ""
	}
	return s[:10]
}

// reShownDate is a date as a number format shows it: 07/01/10, 2010-07-01,
// 07/2010, with an optional time.
// A two-part form needs a four-digit year, so that 3.50 is not a date.
var reShownDate = regexp.MustCompile(`^(?:\d{1,4}[/.-]\d{1,2}[/.-](\d{1,4})|(\d{1,2}[/-]\d{4}|\d{4}[/-]\d{1,2}))(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$`)

// isoDates replaces dates shown through the workbook's number format by
// their ISO form, read from the serial number the cell holds: a format
// written in another locale ("mm/dd/yy" from an English LibreOffice) would
// otherwise be read day-first by a French reader.
func isoDates(shown, raw [][]string) {
	for i := range shown {
		if i >= len(raw) {
			return
		}
		for j, v := range shown[i] {
			if j >= len(raw[i]) || raw[i][j] == v {
				continue
			}
			m := reShownDate.FindStringSubmatch(strings.TrimSpace(v))
			if m == nil {
				continue
			}
			serial, err := strconv.ParseFloat(raw[i][j], 64)
			if err != nil || serial < 1 {
				continue
			}
			t, err := excelize.ExcelDateToTime(serial, false)
			if err != nil {
				continue
			}
			if m[2] != "" { // month and year only
				shown[i][j] = t.Format("2006-01")
			} else {
				shown[i][j] = t.Format("2006-01-02")
			}
		}
	}
}
