package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/loket-id/loket/console"
	"github.com/loket-id/loket/tickets"
)

const userUsage = "usage: loket user add --username NAME --role officer|editor|supervisor|admin [--name \"Full Name\"] [--unit a,b] [--telegram-id ID] | passwd --username NAME | list (passwords are read from standard input)"

// runUser dispatches the console account subcommands.
func runUser(ctx context.Context, e env, args []string) error {
	if len(args) == 0 {
		return usageError{userUsage}
	}
	switch args[0] {
	case "add":
		return runUserAdd(ctx, e, args[1:])
	case "passwd":
		return runUserPasswd(ctx, e, args[1:])
	case "list":
		return runUserList(ctx, e, args[1:])
	}
	return usageError{userUsage}
}

// readPassword reads the password from the first line of standard input: never from a
// flag, which would leave it in the shell history and the process list.
func readPassword(e env) (string, error) {
	line, err := bufio.NewReader(e.stdin).ReadString('\n')
	if err != nil && line == "" {
		return "", usageError{"give the password on standard input, e.g.: printf '%s\\n' \"$PASSWORD\" | loket user add …"}
	}
	pw := strings.TrimRight(line, "\r\n")
	if msg := console.CheckNewPassword(pw); msg != "" {
		return "", usageError{fmt.Sprintf("password: at least %d characters", console.MinPasswordLen)}
	}
	return pw, nil
}

func runUserAdd(ctx context.Context, e env, args []string) error {
	fs := flag.NewFlagSet("user add", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	username := fs.String("username", "", "login name: 3–32 lowercase letters, digits, '.', '_' or '-'")
	role := fs.String("role", "", "officer, editor, supervisor or admin")
	name := fs.String("name", "", "full name shown to colleagues and in the audit log (default: the username)")
	unitList := fs.String("unit", "", "units they belong to, separated by commas")
	telegramID := fs.Int64("telegram-id", 0, "their Telegram user id: gives the login to the officer registered with it, so both doors are one person")
	if err := fs.Parse(args); err != nil {
		return usageError{err.Error()}
	}
	if *username == "" || *role == "" || fs.NArg() != 0 {
		return usageError{userUsage}
	}
	pw, err := readPassword(e)
	if err != nil {
		return err
	}
	units := commaList(*unitList)
	_, db, s, err := openStore(ctx, e)
	if err != nil {
		return err
	}
	defer func() { _ = db.Close() }()
	st, err := console.CreateUser(ctx, db, s, console.NewUser{Username: *username, Name: *name, Role: *role, Password: pw, Units: units, TelegramUserID: *telegramID},
		tickets.OperatorActor(), tickets.DoorCLI)
	var unknown *tickets.UnknownUnitError
	switch {
	case errors.As(err, &unknown):
		return fmt.Errorf("unit %q does not exist; create it with: loket unit add --slug %s --name NAME", unknown.Slug, unknown.Slug)
	case errors.Is(err, console.ErrUsernameTaken):
		return fmt.Errorf("username %q is taken; change that account's password with: loket user passwd --username %s", *username, *username)
	case err != nil:
		return err
	}
	fmt.Fprintf(e.stdout, "Console account %s (%s, %s) ready; log in at LOKET_HTTP_ADDR.\n", st.Username, st.Name, st.Role)
	return nil
}

func runUserPasswd(ctx context.Context, e env, args []string) error {
	fs := flag.NewFlagSet("user passwd", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	username := fs.String("username", "", "the account's login name")
	if err := fs.Parse(args); err != nil {
		return usageError{err.Error()}
	}
	if *username == "" || fs.NArg() != 0 {
		return usageError{userUsage}
	}
	pw, err := readPassword(e)
	if err != nil {
		return err
	}
	_, db, s, err := openStore(ctx, e)
	if err != nil {
		return err
	}
	defer func() { _ = db.Close() }()
	st, err := console.StaffByUsername(ctx, db, s, *username)
	if errors.Is(err, tickets.ErrNotFound) {
		return fmt.Errorf("no active account %q; see loket user list", *username)
	}
	if err != nil {
		return err
	}
	if err := console.SetPassword(ctx, db, st.ID, pw); err != nil {
		return err
	}
	if err := s.Audit(ctx, db, 0, tickets.OperatorActor(), tickets.DoorCLI, tickets.ActionPasswordReset, map[string]any{"staff_id": st.ID}); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Password of %s changed; their sessions were ended.\n", st.Username)
	return nil
}

func runUserList(ctx context.Context, e env, args []string) error {
	if len(args) != 0 {
		return usageError{userUsage}
	}
	_, db, s, err := openStore(ctx, e)
	if err != nil {
		return err
	}
	defer func() { _ = db.Close() }()
	list, err := s.ListStaff(ctx)
	if err != nil {
		return err
	}
	w := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "USERNAME\tNAME\tROLE\tUNITS\tTELEGRAM\tSTATE")
	for _, st := range list {
		if st.Username == "" {
			continue
		}
		state, tg := "active", "-"
		if !st.Active {
			state = "disabled"
		}
		if st.TelegramUserID != 0 {
			tg = fmt.Sprint(st.TelegramUserID)
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\n", st.Username, st.Name, st.Role, strings.Join(st.Units, ","), tg, state)
	}
	return w.Flush()
}
