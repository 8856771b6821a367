package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/loket-id/loket/bot/tghtml"
	"github.com/loket-id/loket/knowledge"
)

// askResult is one line of `loket ask --json`.
type askResult struct {
	Q        string          `json:"q"`
	Decision string          `json:"decision"`
	Hits     []knowledge.Hit `json:"hits"`
}

func runAsk(ctx context.Context, e env, args []string) error {
	fs := flag.NewFlagSet("ask", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	kb := fs.String("kb", "", "answer from this knowledge-base file instead of the database")
	asJSON := fs.Bool("json", false, "one JSON object per question")
	if err := fs.Parse(reorder(args, "json")); err != nil {
		return usageError{err.Error()}
	}
	ix, err := loadIndex(ctx, e, *kb)
	if err != nil {
		return err
	}
	answer := func(q string) error {
		res, err := ix.Search(ctx, q)
		if err != nil {
			return err
		}
		if *asJSON {
			hits := res.Hits
			if hits == nil {
				hits = []knowledge.Hit{}
			}
			b, err := json.Marshal(askResult{Q: q, Decision: string(res.Decision), Hits: hits})
			if err != nil {
				return err
			}
			_, err = fmt.Fprintf(e.stdout, "%s\n", b)
			return err
		}
		printAnswer(e.stdout, ix, q, res)
		return nil
	}
	if fs.NArg() > 0 {
		return answer(strings.Join(fs.Args(), " "))
	}
	sc := bufio.NewScanner(e.stdin)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for sc.Scan() {
		if err := answer(sc.Text()); err != nil {
			return err
		}
	}
	return sc.Err()
}

// loadIndex builds the index from a file, or from the database when file is "".
func loadIndex(ctx context.Context, e env, file string) (*knowledge.Index, error) {
	if file != "" {
		data, err := readFile(file)
		if err != nil {
			return nil, err
		}
		f, err := knowledge.ParseFile(filepath.Base(file), data)
		if err != nil {
			return nil, err
		}
		return knowledge.NewIndex(f.FAQs, f.Synonyms...)
	}
	_, db, err := databaseFor(ctx, e)
	if err != nil {
		return nil, fmt.Errorf("%w (or answer from a file with --kb FILE)", err)
	}
	defer func() { _ = db.Close() }()
	c, err := knowledge.NewStore(db).Content(ctx)
	if err != nil {
		return nil, err
	}
	return knowledge.NewIndex(c.FAQs, c.Synonyms...)
}

func printAnswer(w io.Writer, ix *knowledge.Index, q string, res knowledge.Result) {
	fmt.Fprintf(w, "Pertanyaan: %s\nKeputusan: %s\n", q, res.Decision)
	for i, h := range res.Hits {
		fmt.Fprintf(w, "  %d. %-28s %6.2f  %s\n", i+1, h.ID, h.Score, h.Question)
	}
	if res.Decision == knowledge.DecisionAnswer {
		if f, ok := ix.FAQ(res.Hits[0].ID); ok {
			if html, err := tghtml.Render(f.Answer); err == nil {
				fmt.Fprintf(w, "\n%s\n", tghtml.PlainText(html))
			}
		}
	}
	fmt.Fprintln(w)
}
