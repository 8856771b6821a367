package console

import (
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/loket-id/loket/internal/csvcell"
)

// svgElements parses an SVG document strictly and returns its elements in order, with
// the text of each <title> and <text>.
func svgElements(t *testing.T, svg string) (names []string, texts []string, attrs []xml.Attr) {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(svg))
	d.Strict = true
	var inText bool
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v\n%s", err, svg)
		}
		switch tk := tok.(type) {
		case xml.StartElement:
			names = append(names, tk.Name.Local)
			attrs = append(attrs, tk.Attr...)
			inText = tk.Name.Local == "title" || tk.Name.Local == "text"
		case xml.EndElement:
			inText = false
		case xml.CharData:
			if inText {
				texts = append(texts, string(tk))
			}
		}
	}
	return names, texts, attrs
}

func count(names []string, name string) int {
	n := 0
	for _, s := range names {
		if s == name {
			n++
		}
	}
	return n
}

func TestBarChartWellFormedWithBarsAndLabels(t *testing.T) {
	c := barChart{
		Title:  "Tiket per hari",
		Labels: []string{"1 Mar", "2 Mar", "3 Mar"},
		Series: []chartSeries{
			{Name: "Dibuka", Colour: chartBlue, Values: []float64{3, 0, 7}},
			{Name: "Diselesaikan", Colour: chartGreen, Values: []float64{1, 2, 1234}},
		},
	}
	svg := string(c.SVG())
	names, texts, attrs := svgElements(t, svg)
	if names[0] != "svg" {
		t.Fatalf("root is %q, want svg", names[0])
	}
	// 5 bars (the zero is not drawn) plus 2 legend squares.
	if got := count(names, "rect"); got != 7 {
		t.Errorf("%d rects, want 5 bars and 2 legend squares\n%s", got, svg)
	}
	all := strings.Join(texts, "|")
	for _, want := range []string{"Tiket per hari", "3 Mar · Diselesaikan: 1.234", "2 Mar · Diselesaikan: 2", "1 Mar", "Dibuka"} {
		if !strings.Contains(all, want) {
			t.Errorf("text %q missing from %q", want, all)
		}
	}
	var label bool
	for _, a := range attrs {
		if a.Name.Local == "style" {
			t.Errorf("style attribute %q: the Content-Security-Policy forbids inline styles", a.Value)
		}
		if a.Name.Local == "aria-label" && a.Value == "Tiket per hari" {
			label = true
		}
	}
	if !label {
		t.Error("no aria-label with the chart's title")
	}
	// The axis goes to a round number at or above the highest bar.
	if !strings.Contains(all, "1.500") {
		t.Errorf("y axis does not reach 1.500: %q", all)
	}
}

func TestBarChartEscapesLabels(t *testing.T) {
	evil := `<script>alert("x")</script> & "Unit" 'A'`
	c := barChart{
		Title:  evil,
		Labels: []string{evil},
		Series: []chartSeries{{Name: evil, Colour: `red"/><script>`, Values: []float64{2}}},
	}
	svg := string(c.SVG())
	if strings.Contains(svg, "<script") {
		t.Fatalf("unescaped markup in\n%s", svg)
	}
	names, texts, _ := svgElements(t, svg)
	if count(names, "script") != 0 {
		t.Fatal("a script element")
	}
	// The escaped text reads back as written.
	var found bool
	for _, s := range texts {
		if strings.Contains(s, `<script>alert("x")</script> & "Unit" 'A'`) {
			found = true
		}
	}
	if !found {
		t.Errorf("the label does not read back: %q", texts)
	}
}

func TestBarChartEmpty(t *testing.T) {
	for _, c := range []barChart{
		{Title: "Kosong"},
		{Title: "Nol", Labels: []string{"1 Mar", "2 Mar"}, Series: []chartSeries{{Name: "Dibuka", Values: []float64{0, 0}}}},
		{Title: "Tanpa seri", Labels: []string{"1 Mar"}},
	} {
		svg := string(c.SVG())
		names, texts, _ := svgElements(t, svg)
		if got := count(names, "rect"); got > len(c.Series) { // legend squares only
			t.Errorf("%s: %d rects in an empty chart", c.Title, got)
		}
		if !strings.Contains(strings.Join(texts, "|"), "Belum ada data") {
			t.Errorf("%s: no 'Belum ada data' message", c.Title)
		}
	}
}

func TestBarChartStackedAndBadValues(t *testing.T) {
	c := barChart{
		Title:   "Bertumpuk",
		Labels:  []string{"a", "b"},
		Stacked: true,
		Series: []chartSeries{
			{Name: "x", Colour: chartBlue, Values: []float64{6, -3}},
			{Name: "y", Colour: chartRed, Values: []float64{4}}, // b missing
		},
	}
	svg := string(c.SVG())
	_, texts, _ := svgElements(t, svg)
	all := strings.Join(texts, "|")
	// The stack of a is 10: the axis goes to 10, not 6; negative and missing values
	// draw nothing.
	if !strings.Contains(all, "|10|") || strings.Contains(all, "b · x") || strings.Contains(all, "b · y") {
		t.Errorf("stacked chart texts: %q", all)
	}
}

func TestBarChartIntegerAxis(t *testing.T) {
	c := barChart{Title: "Tiket", Labels: []string{"a", "b"}, Integer: true,
		Series: []chartSeries{{Name: "Dibuka", Colour: chartBlue, Values: []float64{1, 0}}}}
	_, texts, _ := svgElements(t, string(c.SVG()))
	all := strings.Join(texts, "|")
	if strings.Contains(all, "0,5") || !strings.Contains(all, "|0|1|") {
		t.Errorf("a count axis with fractions or without 0 and 1: %q", all)
	}
}

func TestChartScale(t *testing.T) {
	for _, c := range []struct{ max, top, step float64 }{
		{0, 1, 0.25}, {3, 3, 1}, {10, 10, 5}, {7, 8, 2}, {1234, 1500, 500}, {0.4, 0.4, 0.1},
	} {
		top, step := chartScale(c.max)
		if top != c.top || step != c.step {
			t.Errorf("chartScale(%v) = %v, %v; want %v, %v", c.max, top, step, c.top, c.step)
		}
		if top < c.max {
			t.Errorf("chartScale(%v): top %v below the maximum", c.max, top)
		}
	}
}

func TestDashNumbers(t *testing.T) {
	for _, c := range []struct{ got, want string }{
		{dashInt(0), "0"}, {dashInt(999), "999"}, {dashInt(1234), "1.234"}, {dashInt(1234567), "1.234.567"},
		{dashDecimal(87.5, 1), "87,5"}, {dashDecimal(1234.56, 2), "1.234,56"}, {dashDecimal(-0.04, 1), "0,0"},
		{dashPercent(7, 8), "87,5%"}, {dashPercent(1, 1), "100%"}, {dashPercent(0, 0), "—"}, {dashPercent(1, 3), "33,3%"},
		{dashNumber(2), "2"}, {dashNumber(2.5), "2,5"},
		{csvcell.Guard("=SUM(A1)"), "'=SUM(A1)"}, {csvcell.Guard("+62812"), "'+62812"}, {csvcell.Guard("-1"), "'-1"},
		{csvcell.Guard("@cmd"), "'@cmd"}, {csvcell.Guard("Dinas"), "Dinas"}, {csvcell.Guard(""), ""},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}
