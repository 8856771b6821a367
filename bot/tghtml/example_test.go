package tghtml_test

import (
	"fmt"

	"github.com/loket-id/loket/bot/tghtml"
)

func ExampleRender() {
	html, err := tghtml.Render("## Syarat\n\n- umur < 17 tahun & **belum menikah**\n- [formulir](https://loket.id/form)")
	if err != nil {
		panic(err)
	}
	fmt.Println(html)
	// Output:
	// <b>Syarat</b>
	//
	// • umur &lt; 17 tahun &amp; <b>belum menikah</b>
	// • <a href="https://loket.id/form">formulir</a>
}

func ExampleSplit() {
	for _, msg := range tghtml.Split("<b>satu dua tiga</b>", 9) {
		fmt.Println(msg)
	}
	// Output:
	// <b>satu dua</b>
	// <b>tiga</b>
}

func ExamplePlainText() {
	fmt.Println(tghtml.PlainText(`Isi <a href="https://loket.id/form">formulir</a> &amp; kirim.`))
	// Output: Isi formulir (https://loket.id/form) & kirim.
}
