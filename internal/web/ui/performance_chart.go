package ui

import (
	"fmt"
	"html"
	"html/template"
	"strings"
)

// Charts are server-rendered SVG: no script, readable without colours (each
// bar carries its value as text and as a <title>), described for screen
// readers by the chart's <title> and <desc>.

// bar is one labelled value of a chart; Text is how the value reads.
type bar struct {
	Label string
	Value float64
	Text  string
}

// series is bars of one kind (one colour) in a grouped chart.
type series struct {
	Name  string
	Class string // CSS class of its bars: chart-a, chart-b, chart-c
	Bars  []bar
}

const (
	chartWidth    = 640
	barHeight     = 18
	barGap        = 6
	labelWidth    = 160
	valueWidth    = 80
	columnsHeight = 180
)

// hbarChart draws horizontal bars, one group per label, one bar per series.
func hbarChart(id, title, desc string, ss []series) template.HTML {
	if len(ss) == 0 || len(ss[0].Bars) == 0 {
		return ""
	}
	maxV := maxOf(ss)
	groups := len(ss[0].Bars)
	groupH := len(ss)*barHeight + barGap*2
	legendH := 0
	if len(ss) > 1 {
		legendH = 24
	}
	h := legendH + groups*groupH
	var b strings.Builder
	open(&b, id, title, desc, chartWidth, h)
	legend(&b, ss)
	span := float64(chartWidth - labelWidth - valueWidth)
	for g := 0; g < groups; g++ {
		y0 := legendH + g*groupH + barGap
		fmt.Fprintf(&b, `<text class="chart-label" x="%d" y="%d" text-anchor="end">%s</text>`,
			labelWidth-8, y0+len(ss)*barHeight/2+5, esc(ss[0].Bars[g].Label))
		for i, s := range ss {
			v := s.Bars[g]
			w := 0.0
			if maxV > 0 {
				w = v.Value / maxV * span
			}
			y := y0 + i*barHeight
			fmt.Fprintf(&b, `<g class="chart-bar"><title>%s · %s : %s</title><rect class="%s" x="%d" y="%d" width="%.1f" height="%d"></rect>`+
				`<text class="chart-value" x="%.1f" y="%d">%s</text></g>`,
				esc(v.Label), esc(s.Name), esc(v.Text), s.Class, labelWidth, y+2, w, barHeight-4, float64(labelWidth)+w+6, y+barHeight-5, esc(v.Text))
		}
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// columnChart draws vertical bars side by side (days, age buckets), one
// column per label and series.
func columnChart(id, title, desc string, ss []series) template.HTML {
	if len(ss) == 0 || len(ss[0].Bars) == 0 {
		return ""
	}
	maxV := maxOf(ss)
	n := len(ss[0].Bars)
	const left, bottom, top = 40, 40, 30
	slot := float64(chartWidth-left-10) / float64(n)
	colW := slot * 0.8 / float64(len(ss))
	h := top + columnsHeight + bottom
	var b strings.Builder
	open(&b, id, title, desc, chartWidth, h)
	legend(&b, ss)
	fmt.Fprintf(&b, `<line class="chart-axis" x1="%d" y1="%d" x2="%d" y2="%d"></line>`, left, top+columnsHeight, chartWidth-10, top+columnsHeight)
	fmt.Fprintf(&b, `<text class="chart-tick" x="%d" y="%d" text-anchor="end">%s</text>`, left-4, top+8, esc(trimFloat(maxV)))
	every := max(1, n/15) // at most ~15 labels under the axis
	for i := 0; i < n; i++ {
		x0 := float64(left) + float64(i)*slot + slot*0.1
		for k, s := range ss {
			v := s.Bars[i]
			hgt := 0.0
			if maxV > 0 {
				hgt = v.Value / maxV * columnsHeight
			}
			fmt.Fprintf(&b, `<g class="chart-bar"><title>%s · %s : %s</title><rect class="%s" x="%.1f" y="%.1f" width="%.1f" height="%.1f"></rect></g>`,
				esc(v.Label), esc(s.Name), esc(v.Text), s.Class, x0+float64(k)*colW, float64(top+columnsHeight)-hgt, colW, hgt)
		}
		if i%every == 0 {
			fmt.Fprintf(&b, `<text class="chart-tick" x="%.1f" y="%d" text-anchor="middle">%s</text>`, x0+slot*0.4, top+columnsHeight+16, esc(ss[0].Bars[i].Label))
		}
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

func open(b *strings.Builder, id, title, desc string, w, h int) {
	fmt.Fprintf(b, `<svg class="chart" id="%s" role="img" aria-labelledby="%s-title %s-desc" viewBox="0 0 %d %d" width="100%%" preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">`+
		`<title id="%s-title">%s</title><desc id="%s-desc">%s</desc>`, esc(id), esc(id), esc(id), w, h, esc(id), esc(title), esc(id), esc(desc))
}

func legend(b *strings.Builder, ss []series) {
	if len(ss) < 2 {
		return
	}
	x := labelWidth
	for _, s := range ss {
		fmt.Fprintf(b, `<rect class="%s" x="%d" y="6" width="12" height="12"></rect><text class="chart-legend" x="%d" y="16">%s</text>`, s.Class, x, x+16, esc(s.Name))
		x += 24 + 8*len([]rune(s.Name))
	}
}

func maxOf(ss []series) float64 {
	m := 0.0
	for _, s := range ss {
		for _, v := range s.Bars {
			m = max(m, v.Value)
		}
	}
	return m
}

func esc(s string) string { return html.EscapeString(s) }

func trimFloat(f float64) string {
	s := fmt.Sprintf("%.1f", f)
	return strings.TrimSuffix(strings.ReplaceAll(s, ".", ","), ",0")
}
