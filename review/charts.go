package review

import (
	"fmt"
	"html/template"
	"strings"
)

// bar is one bar of a chart.
type bar struct {
	Label string
	Value float64
	Text  string
}

// barChart draws a horizontal bar chart as inline SVG, on the server, so the
// dashboard needs no script. max is the value of a full bar (0 = the
// largest value).
func barChart(bars []bar, max float64) template.HTML {
	if len(bars) == 0 {
		return template.HTML(`<p class="muted">Aucune donnée.</p>`)
	}
	if max <= 0 {
		for _, b := range bars {
			if b.Value > max {
				max = b.Value
			}
		}
	}
	const labelW, barW, rowH, textW = 260, 320, 22, 60
	h := rowH*len(bars) + 4
	var sb strings.Builder
	fmt.Fprintf(&sb, `<svg class="chart" role="img" width="%d" height="%d" viewBox="0 0 %d %d" xmlns="http://www.w3.org/2000/svg">`, labelW+barW+textW, h, labelW+barW+textW, h)
	for i, b := range bars {
		y := i*rowH + 2
		w := 0.0
		if max > 0 {
			w = b.Value / max * barW
		}
		fmt.Fprintf(&sb, `<text x="%d" y="%d" text-anchor="end" font-size="12">%s</text>`, labelW-6, y+15, template.HTMLEscapeString(b.Label))
		fmt.Fprintf(&sb, `<rect x="%d" y="%d" width="%.1f" height="%d" fill="#2f6f9f"><title>%s : %s</title></rect>`, labelW, y+3, w, rowH-6, template.HTMLEscapeString(b.Label), template.HTMLEscapeString(b.Text))
		fmt.Fprintf(&sb, `<text x="%.1f" y="%d" font-size="12">%s</text>`, float64(labelW)+w+4, y+15, template.HTMLEscapeString(b.Text))
	}
	sb.WriteString(`</svg>`)
	return template.HTML(sb.String())
}
