package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/loket-id/loket/knowledge"
)

// The kb commands speak Indonesian: editors use them.

func runKBImport(ctx context.Context, e env, args []string) error {
	fs := flag.NewFlagSet("kb import", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	merge := fs.Bool("merge", false, "hanya tambah dan ubah; FAQ yang tidak ada di berkas tetap disimpan")
	if err := fs.Parse(reorder(args, "merge")); err != nil {
		return usageError{err.Error()}
	}
	if fs.NArg() != 1 {
		return usageError{"pemakaian: loket kb import BERKAS [--merge]"}
	}
	name := fs.Arg(0)
	data, err := readFile(name)
	if err != nil {
		return err
	}
	f, err := knowledge.ParseFile(filepath.Base(name), data)
	if err != nil {
		return err
	}
	_, db, err := databaseFor(ctx, e)
	if err != nil {
		return err
	}
	defer func() { _ = db.Close() }()
	rep, err := knowledge.NewStore(db).Import(ctx, f, !*merge)
	if err != nil {
		return fmt.Errorf("impor gagal, tidak ada yang diubah: %w", err)
	}
	printImportReport(e.stdout, name, len(f.FAQs), rep)
	return nil
}

func printImportReport(w io.Writer, name string, n int, rep knowledge.ImportReport) {
	fmt.Fprintf(w, "Berkas %s diimpor: %d FAQ (%d baru, %d diubah, %d tetap", name, n, rep.Added, rep.Changed, rep.Unchanged)
	if rep.Removed > 0 {
		fmt.Fprintf(w, ", %d dihapus karena tidak ada di berkas", rep.Removed)
	}
	fmt.Fprintln(w, ").")
	if rep.Synonyms > 0 {
		fmt.Fprintf(w, "Kumpulan sinonim tersimpan: %d.\n", rep.Synonyms)
	}
}

func runKBExport(ctx context.Context, e env, args []string) error {
	fs := flag.NewFlagSet("kb export", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	format := fs.String("format", "", "yaml atau json (bawaan: menurut nama berkas, atau yaml)")
	out := fs.String("o", "", "tulis ke BERKAS, bukan ke layar")
	if err := fs.Parse(args); err != nil {
		return usageError{err.Error()}
	}
	if fs.NArg() != 0 {
		return usageError{"pemakaian: loket kb export [--format yaml|json] [-o BERKAS]"}
	}
	if *format == "" {
		*format = "yaml"
		if filepath.Ext(*out) == ".json" {
			*format = "json"
		}
	}
	if *format != "yaml" && *format != "json" {
		return usageError{"--format harus yaml atau json"}
	}
	_, db, err := databaseFor(ctx, e)
	if err != nil {
		return err
	}
	defer func() { _ = db.Close() }()
	f, err := knowledge.NewStore(db).Content(ctx)
	if err != nil {
		return err
	}
	faqs := f.FAQs
	w := e.stdout
	if *out != "" {
		file, err := os.Create(*out)
		if err != nil {
			return fmt.Errorf("berkas %s tidak bisa ditulis: %w", *out, err)
		}
		defer func() { _ = file.Close() }()
		w = file
	}
	if *format == "json" {
		err = f.WriteJSON(w)
	} else {
		err = f.WriteYAML(w)
	}
	if err != nil {
		return fmt.Errorf("ekspor gagal: %w", err)
	}
	if *out != "" {
		fmt.Fprintf(e.stderr, "%d FAQ ditulis ke %s.\n", len(faqs), *out)
	}
	return nil
}

// readFile reads a file an editor named, with an error they can act on.
func readFile(name string) ([]byte, error) {
	data, err := os.ReadFile(name)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, fmt.Errorf("berkas %s tidak ditemukan; periksa nama dan foldernya", name)
	case errors.Is(err, fs.ErrPermission):
		return nil, fmt.Errorf("berkas %s tidak boleh dibaca (izin akses)", name)
	case err != nil:
		return nil, fmt.Errorf("berkas %s tidak bisa dibaca: %w", name, err)
	}
	return data, nil
}

// reorder moves the named boolean flags to the front so they may follow positional
// arguments ("kb import kb.yaml --merge").
func reorder(args []string, bools ...string) []string {
	var flags, rest []string
	for _, a := range args {
		isFlag := false
		for _, b := range bools {
			if a == "-"+b || a == "--"+b {
				isFlag = true
			}
		}
		if isFlag {
			flags = append(flags, a)
		} else {
			rest = append(rest, a)
		}
	}
	return append(flags, rest...)
}
