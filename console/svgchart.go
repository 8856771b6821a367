package console

import (
	"fmt"
	"html"
	"html/template"
	"math"
	"strings"
	"unicode/utf8"
)

// barChart is a bar chart drawn on the server as inline SVG: no script, no style
// attribute (the Content-Security-Policy forbids inline styles; colours and fonts are
// presentation attributes), every text escaped, an accessible name and a tooltip
// (<title>) on every bar. The page's CSS sizes it (class "chart").
type barChart struct {
	// Title names the chart for screen readers (<title> and aria-label).
	Title string
	// Labels are the categories along the x axis (days, units).
	Labels []string
	// Series are drawn side by side in each category, or on top of each other when
	// Stacked; each has a value per label (missing values are 0).
	Series  []chartSeries
	Stacked bool
	// Integer keeps the y axis on whole numbers (counts).
	Integer bool
	// Format writes a value on the axis and in tooltips (nil: dashNumber).
	Format func(float64) string
}

// chartSeries is one set of bars.
type chartSeries struct {
	Name   string
	Colour string // an SVG colour: "#0b5cad"
	Values []float64
}

// Chart geometry, in SVG user units (the chart scales to the width of its box).
const (
	chartWidth   = 720
	chartHeight  = 260
	chartLeft    = 56
	chartRight   = 8
	chartTop     = 30
	chartBottom  = 36
	chartMaxTick = 12 // most x labels written; the others are in the tooltips
	chartLabelCh = 14 // longest x label, in characters
)

// Chart colours (readable on white, distinguishable for most colour-blind readers).
const (
	chartBlue   = "#0b5cad"
	chartOrange = "#e08a00"
	chartGreen  = "#1c7c3c"
	chartRed    = "#b3261e"
	chartGrey   = "#8a94a6"
)

// SVG returns the chart as inline SVG.
func (c barChart) SVG() template.HTML {
	format := c.Format
	if format == nil {
		format = dashNumber
	}
	var b strings.Builder
	title := html.EscapeString(c.Title)
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 %d %d" role="img" aria-label="%s">`,
		chartWidth, chartHeight, title)
	fmt.Fprintf(&b, `<title>%s</title>`, title)
	c.legend(&b)
	plotW := float64(chartWidth - chartLeft - chartRight)
	plotH := float64(chartHeight - chartTop - chartBottom)
	base := float64(chartHeight - chartBottom)
	top, step := chartScale(c.maxValue())
	if c.Integer && step < 1 {
		top, step = math.Max(1, math.Ceil(c.maxValue())), 1
	}
	b.WriteString(`<g font-size="11" fill="#5b6677">`)
	for v := 0.0; v <= top+step/2; v += step {
		y := base - v/top*plotH
		fmt.Fprintf(&b, `<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="#d8dee8" stroke-width="1"/>`,
			chartLeft, y, chartWidth-chartRight, y)
		fmt.Fprintf(&b, `<text x="%d" y="%.1f" text-anchor="end">%s</text>`, chartLeft-6, y+4, html.EscapeString(format(v)))
	}
	b.WriteString(`</g>`)
	n := len(c.Labels)
	if n == 0 || len(c.Series) == 0 || c.maxValue() == 0 {
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" text-anchor="middle" font-size="14" fill="#5b6677">Belum ada data untuk periode ini.</text>`,
			float64(chartLeft)+plotW/2, float64(chartTop)+plotH/2)
	}
	if n > 0 {
		slot := plotW / float64(n)
		every := (n + chartMaxTick - 1) / chartMaxTick
		b.WriteString(`<g>`)
		for i, label := range c.Labels {
			c.bars(&b, i, float64(chartLeft)+float64(i)*slot, slot, base, plotH, top, format)
			if i%every == 0 {
				fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" text-anchor="middle" font-size="11" fill="#1d2430">%s</text>`,
					float64(chartLeft)+(float64(i)+0.5)*slot, base+16, html.EscapeString(chartShorten(label, chartLabelCh)))
			}
		}
		b.WriteString(`</g>`)
	}
	fmt.Fprintf(&b, `<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="#5b6677" stroke-width="1"/>`,
		chartLeft, base, chartWidth-chartRight, base)
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// legend writes the series' names and colours above the plot.
func (c barChart) legend(b *strings.Builder) {
	b.WriteString(`<g font-size="12" fill="#1d2430">`)
	x := float64(chartLeft)
	for _, s := range c.Series {
		fmt.Fprintf(b, `<rect x="%.1f" y="8" width="12" height="12" fill="%s"/>`, x, html.EscapeString(s.Colour))
		fmt.Fprintf(b, `<text x="%.1f" y="18">%s</text>`, x+16, html.EscapeString(s.Name))
		x += 28 + 7*float64(utf8.RuneCountInString(s.Name))
	}
	b.WriteString(`</g>`)
}

// bars writes the bars of category i, in a slot of the given width starting at x.
func (c barChart) bars(b *strings.Builder, i int, x, slot, base, plotH, top float64, format func(float64) string) {
	inner := slot * 0.8
	x += slot * 0.1
	width := inner
	if !c.Stacked && len(c.Series) > 0 {
		width = inner / float64(len(c.Series))
	}
	stack := 0.0
	for k, s := range c.Series {
		v := chartValue(s.Values, i)
		if v == 0 {
			continue
		}
		h := v / top * plotH
		y := base - h
		bx := x
		if c.Stacked {
			y -= stack / top * plotH
			stack += v
		} else {
			bx = x + float64(k)*width
		}
		fmt.Fprintf(b, `<rect x="%.2f" y="%.2f" width="%.2f" height="%.2f" fill="%s"><title>%s · %s: %s</title></rect>`,
			bx, y, math.Max(width-0.5, 0.5), h, html.EscapeString(s.Colour),
			html.EscapeString(c.Labels[i]), html.EscapeString(s.Name), html.EscapeString(format(v)))
	}
}

// chartValue is values[i], 0 when missing, negative or not a number.
func chartValue(values []float64, i int) float64 {
	if i >= len(values) {
		return 0
	}
	v := values[i]
	if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
		return 0
	}
	return v
}

// maxValue is the highest bar (the highest stack when stacked).
func (c barChart) maxValue() float64 {
	m := 0.0
	for i := range c.Labels {
		sum := 0.0
		for _, s := range c.Series {
			v := chartValue(s.Values, i)
			if c.Stacked {
				sum += v
			} else {
				m = math.Max(m, v)
			}
		}
		m = math.Max(m, sum)
	}
	return m
}

// chartScale returns the top of the y axis and the step between its lines for values
// up to m: a step of 1, 2 or 5 times a power of ten, about four steps.
func chartScale(m float64) (top, step float64) {
	if m <= 0 {
		return 1, 0.25
	}
	raw := m / 4
	pow := math.Pow(10, math.Floor(math.Log10(raw)))
	step = 10 * pow
	for _, f := range []float64{1, 2, 5} {
		if f*pow >= raw {
			step = f * pow
			break
		}
	}
	return math.Ceil(m/step-1e-9) * step, step
}

// chartShorten cuts s to n characters, with "…" when cut.
func chartShorten(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}
