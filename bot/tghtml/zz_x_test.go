package tghtml
import ("testing";"strings";"github.com/yuin/goldmark/text")
func BenchmarkDeep(b *testing.B){ s := strings.Repeat("- ", 5000)+"x"; for b.Loop() { Render(s) } }
func BenchmarkDeepParse(b *testing.B){ s := []byte(strings.Repeat("- ", 5000)+"x"); for b.Loop() { markdown.Parser().Parse(text.NewReader(s)) } }
