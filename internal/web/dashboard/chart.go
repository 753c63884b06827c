package dashboard

import (
	"fmt"
	"html/template"
	"strings"
)

// chart is a bar chart drawn on the server as SVG (no script, no CDN) with its
// table: the SVG is hidden from screen readers, which read the table instead,
// and anyone can open the table under the chart.
type chart struct {
	Title string
	SVG   template.HTML // built from numbers only: nothing to escape
	Rows  []chartRow
}

type chartRow struct{ Label, Value string }

// newChart draws values (one bar per label) scaled to their maximum; the SVG
// stretches to its container's width, so it reads on a phone as on a desktop.
func newChart(title string, labels []string, values []int64, format func(int64) string) chart {
	c := chart{Title: title, Rows: make([]chartRow, len(values))}
	var top int64
	for i, v := range values {
		top = max(top, v)
		c.Rows[i] = chartRow{Label: labels[i], Value: format(v)}
	}
	const w, h = 600.0, 120.0
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="chart" viewBox="0 0 %.0f %.0f" preserveAspectRatio="none" aria-hidden="true" focusable="false">`, w, h)
	fmt.Fprintf(&b, `<line x1="0" y1="%.1f" x2="%.0f" y2="%.1f" class="chart-axis"/>`, h-0.5, w, h-0.5)
	if n := len(values); n > 0 {
		slot := w / float64(n)
		gap := min(slot*0.2, 4)
		for i, v := range values {
			bh := 0.0
			if top > 0 {
				bh = float64(v) / float64(top) * (h - 4)
			}
			if v > 0 && bh < 1 {
				bh = 1
			}
			fmt.Fprintf(&b, `<rect x="%.2f" y="%.2f" width="%.2f" height="%.2f" class="chart-bar"/>`,
				float64(i)*slot+gap/2, h-bh, slot-gap, bh)
		}
	}
	b.WriteString(`</svg>`)
	c.SVG = template.HTML(b.String()) //nolint:gosec // numbers and fixed text only
	return c
}
