package sheet

import (
	"archive/zip"
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// maxRepeat bounds how many copies of a repeated non-empty row or cell are
// materialised: ODS writes "1 048 576 empty rows" as one repeated row, and a
// hostile file can repeat a filled one as often.
const maxRepeat = 10000

func openPart(zr *zip.Reader, name string) (io.ReadCloser, error) {
	for _, f := range zr.File {
		if f.Name != name {
			continue
		}
		if f.UncompressedSize64 > maxPartSize {
			return nil, fmt.Errorf("sheet: %w: %s is %d bytes", ErrTooLarge, name, f.UncompressedSize64)
		}
		rc, err := f.Open()
		if err != nil {
			return nil, fmt.Errorf("sheet: open %s: %w", name, err)
		}
		return struct {
			io.Reader
			io.Closer
		}{&capReader{r: rc, left: maxPartSize}, rc}, nil
	}
	return nil, nil
}

type capReader struct {
	r    io.Reader
	left int64
}

func (c *capReader) Read(b []byte) (int, error) {
	if c.left <= 0 {
		return 0, fmt.Errorf("%w: decompressed part over %d bytes", ErrTooLarge, maxPartSize)
	}
	if int64(len(b)) > c.left {
		b = b[:c.left]
	}
	n, err := c.r.Read(b)
	c.left -= int64(n)
	return n, err
}

func intAttr(se xml.StartElement, local string, def int) int {
	for _, a := range se.Attr {
		if a.Name.Local == local {
			if n, err := strconv.Atoi(a.Value); err == nil && n > 0 {
				return n
			}
		}
	}
	return def
}

func strAttr(se xml.StartElement, local string) string {
	for _, a := range se.Attr {
		if a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}

// readODS streams content.xml: table:table → table:table-row →
// table:table-cell → text:p, expanding number-*-repeated sensibly.
func readODS(ctx context.Context, zr *zip.Reader) ([]grid, string, string, error) {
	rc, err := openPart(zr, "content.xml")
	if err != nil {
		return nil, "", "", err
	}
	if rc == nil {
		return nil, "", "", fmt.Errorf("sheet: OpenDocument spreadsheet without content.xml")
	}
	defer rc.Close()
	dec := xml.NewDecoder(rc)
	var (
		grids    []grid
		cur      *grid
		rowN     int // rows consumed in the current table
		row      []string
		rowRep   int
		inCell   bool
		cell     strings.Builder
		cellRep  int
		cellSpan int
		cellDate string // office:date-value of a date cell
		cellHref string // the target of a link in the cell
		paras    int
		depthP   int // inside text:p (cells hold several)
		cells    int
	)
	flushRow := func() error {
		// Trailing empty cells carry no information.
		for len(row) > 0 && strings.TrimSpace(row[len(row)-1]) == "" {
			row = row[:len(row)-1]
		}
		if len(row) == 0 {
			rowN += rowRep
			return nil
		}
		for i := 0; i < min(rowRep, maxRepeat); i++ {
			rowN++
			cells += len(row)
			if cells > maxCells {
				return fmt.Errorf("sheet: %w: more than %d cells", ErrTooLarge, maxCells)
			}
			cur.rows = append(cur.rows, gridRow{n: rowN, cells: append([]string(nil), row...)})
		}
		rowN += max(0, rowRep-maxRepeat)
		return nil
	}
	for {
		if err := ctx.Err(); err != nil {
			return nil, "", "", err
		}
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, "", "", fmt.Errorf("sheet: parse content.xml: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "table":
				if t.Name.Space != "urn:oasis:names:tc:opendocument:xmlns:table:1.0" || cur != nil {
					continue
				}
				grids = append(grids, grid{name: strAttr(t, "name"), spans: map[[2]int]int{}})
				cur, rowN = &grids[len(grids)-1], 0
			case "table-row":
				if cur != nil {
					row, rowRep = row[:0], intAttr(t, "number-rows-repeated", 1)
				}
			case "table-cell", "covered-table-cell":
				if cur != nil {
					inCell, paras = true, 0
					cell.Reset()
					cellRep = min(intAttr(t, "number-columns-repeated", 1), maxRepeat)
					cellSpan, cellDate, cellHref = 1, "", ""
					if strAttr(t, "value-type") == "date" {
						cellDate = strAttr(t, "date-value")
					}
					if t.Name.Local == "table-cell" {
						cellSpan = intAttr(t, "number-columns-spanned", 1)
					}
				}
			case "p", "h":
				if inCell {
					if paras > 0 {
						cell.WriteByte('\n')
					}
					paras++
					depthP++
				}
			case "s":
				if depthP > 0 {
					cell.WriteString(strings.Repeat(" ", min(intAttr(t, "c", 1), 1000)))
				}
			case "tab":
				if depthP > 0 {
					cell.WriteByte('\t')
				}
			case "a":
				if depthP > 0 && cellHref == "" {
					cellHref = strAttr(t, "href")
				}
			case "line-break":
				if depthP > 0 {
					cell.WriteByte('\n')
				}
			case "annotation":
				// Comments are not cell content: skip the whole element.
				if err := dec.Skip(); err != nil {
					return nil, "", "", fmt.Errorf("sheet: parse content.xml: %w", err)
				}
			}
		case xml.CharData:
			if depthP > 0 {
				cell.Write(t)
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "p", "h":
				if depthP > 0 {
					depthP--
				}
			case "table-cell", "covered-table-cell":
				if !inCell {
					continue
				}
				inCell = false
				// Runs of empty cells are trimmed when the row ends.
				v := cell.String()
				if cellDate != "" {
					v = odsDate(v, cellDate)
				}
				if cellSpan > 1 && v != "" {
					cur.spans[[2]int{rowN + 1, len(row) + 1}] = cellSpan
				}
				if cellHref != "" && v != "" && cellRep == 1 {
					if cur.links == nil {
						cur.links = map[[2]int]string{}
					}
					cur.links[[2]int{rowN + 1, len(row) + 1}] = cellHref
				}
				for i := 0; i < cellRep; i++ {
					row = append(row, v)
				}
			case "table-row":
				if cur != nil {
					if err := flushRow(); err != nil {
						return nil, "", "", err
					}
				}
			case "table":
				if t.Name.Space == "urn:oasis:names:tc:opendocument:xmlns:table:1.0" {
					cur = nil
				}
			}
		}
	}
	title, date := odsMeta(zr)
	return grids, title, date, nil
}

// odsMeta reads the title and creation date from meta.xml.
func odsMeta(zr *zip.Reader) (title, date string) {
	rc, err := openPart(zr, "meta.xml")
	if err != nil || rc == nil {
		return "", ""
	}
	defer rc.Close()
	var m struct {
		Meta struct {
			Title   string `xml:"title"`
			Created string `xml:"creation-date"`
		} `xml:"meta"`
	}
	if xml.NewDecoder(rc).Decode(&m) != nil {
		return "", ""
	}
	return strings.TrimSpace(m.Meta.Title), isoDate(m.Meta.Created)
}

// odsDate gives a date cell shown as a date ("03/15/16" from an English
// format) in ISO form from its office:date-value, so that it is not read
// day-first; month-year forms keep their precision. Other renderings
// ("1er mars 1994" typed as a date, a weekday) are kept as shown.
func odsDate(shown, value string) string {
	m := reShownDate.FindStringSubmatch(strings.TrimSpace(shown))
	if m == nil || len(value) < len("2006-01-02") {
		return shown
	}
	if m[2] != "" {
		return value[:len("2006-01")]
	}
	return value[:len("2006-01-02")]
}
