package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/loket-id/loket/tickets"
)

const staffAddUsage = "usage: loket staff add --telegram-id ID --name NAME [--role officer|supervisor|admin] [--unit a,b]"

// findStaff returns the officer registered with a Telegram id, active or not.
func findStaff(ctx context.Context, s *tickets.Store, telegramID int64) (tickets.Staff, bool, error) {
	list, err := s.ListStaff(ctx)
	if err != nil {
		return tickets.Staff{}, false, err
	}
	for _, st := range list {
		if st.TelegramUserID == telegramID {
			return st, true, nil
		}
	}
	return tickets.Staff{}, false, nil
}

// runStaffAdd registers an officer, or changes what is given of one already
// registered (the rest is kept).
func runStaffAdd(ctx context.Context, e env, args []string) error {
	fs := flag.NewFlagSet("staff add", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	id := fs.Int64("telegram-id", 0, "the officer's Telegram user id (a number; the bot tells it to unregistered officers)")
	name := fs.String("name", "", "the officer's name as shown to colleagues (required for someone new)")
	role := fs.String("role", "", "officer (their units' tickets), supervisor or admin (every unit's, the integrity unit's only as its members); default officer")
	unitList := fs.String("unit", "", "the units they belong to, separated by commas (\"\" for none)")
	if err := fs.Parse(args); err != nil {
		return usageError{err.Error()}
	}
	if *id <= 0 || fs.NArg() != 0 {
		return usageError{staffAddUsage}
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if set["role"] && !slices.Contains(tickets.Roles(), *role) {
		return usageError{fmt.Sprintf("role %q is not one of %s", *role, strings.Join(tickets.Roles(), ", "))}
	}
	_, db, s, err := openStore(ctx, e)
	if err != nil {
		return err
	}
	defer func() { _ = db.Close() }()
	cur, existed, err := findStaff(ctx, s, *id)
	if err != nil {
		return err
	}
	if !existed && strings.TrimSpace(*name) == "" {
		return usageError{fmt.Sprintf("no officer has Telegram id %d yet: give their name with --name", *id)}
	}
	if !set["name"] {
		*name = cur.Name
	}
	units := cur.Units
	if set["unit"] {
		units = commaList(*unitList)
	}
	st, err := s.SetStaff(ctx, *id, *name, *role, units)
	var unknown *tickets.UnknownUnitError
	if errors.As(err, &unknown) {
		return fmt.Errorf("unit %q does not exist; create it with: loket unit add --slug %s --name NAME", unknown.Slug, unknown.Slug)
	}
	if err != nil {
		return err
	}
	verb := "registered"
	if existed {
		verb = "updated"
	}
	state := "active"
	if !st.Active {
		state = fmt.Sprintf("disabled (enable with: loket staff enable --telegram-id %d)", st.TelegramUserID)
	}
	fmt.Fprintf(e.stdout, "Officer %q (Telegram id %d) %s: role %s, units %s; %s.\n",
		st.Name, st.TelegramUserID, verb, st.Role, unitsText(st.Units), state)
	if st.Role == tickets.RoleOfficer && len(st.Units) == 0 {
		if us, err := s.Units(ctx, db); err == nil && len(us) > 0 {
			fmt.Fprintf(e.stdout, "Note: an officer of no unit acts only on tickets without a unit; give units with: loket staff add --telegram-id %d --unit SLUG\n", st.TelegramUserID)
		}
	}
	return nil
}

// unitsText lists unit slugs for operators.
func unitsText(units []string) string {
	if len(units) == 0 {
		return "none"
	}
	return strings.Join(units, ", ")
}

// runStaffList prints the registered officers as a table.
func runStaffList(ctx context.Context, e env, args []string) error {
	if len(args) != 0 {
		return usageError{"usage: loket staff list"}
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
	if len(list) == 0 {
		fmt.Fprintln(e.stdout, "No officers registered yet: loket staff add --telegram-id ID --name NAME")
		return nil
	}
	w := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "TELEGRAM ID\tNAME\tROLE\tUNITS\tSTATE")
	for _, st := range list {
		state := "active"
		if !st.Active {
			state = "disabled"
		}
		units := "-"
		if len(st.Units) > 0 {
			units = strings.Join(st.Units, ",")
		}
		fmt.Fprintf(w, "%d\t%s\t%s\t%s\t%s\n", st.TelegramUserID, st.Name, st.Role, units, state)
	}
	return w.Flush()
}

// runStaffDisable stops an officer from acting on tickets.
func runStaffDisable(ctx context.Context, e env, args []string) error {
	return runStaffActive(ctx, e, args, false)
}

// runStaffEnable lets a disabled officer act again.
func runStaffEnable(ctx context.Context, e env, args []string) error {
	return runStaffActive(ctx, e, args, true)
}

func runStaffActive(ctx context.Context, e env, args []string, active bool) error {
	verb := "disable"
	if active {
		verb = "enable"
	}
	fs := flag.NewFlagSet("staff "+verb, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	id := fs.Int64("telegram-id", 0, "the officer's Telegram user id")
	if err := fs.Parse(args); err != nil {
		return usageError{err.Error()}
	}
	if *id <= 0 || fs.NArg() != 0 {
		return usageError{"usage: loket staff " + verb + " --telegram-id ID"}
	}
	_, db, s, err := openStore(ctx, e)
	if err != nil {
		return err
	}
	defer func() { _ = db.Close() }()
	cur, found, err := findStaff(ctx, s, *id)
	if err != nil {
		return err
	}
	if !found {
		return fmt.Errorf("no officer has Telegram id %d; see: loket staff list", *id)
	}
	if cur.Active == active {
		fmt.Fprintf(e.stdout, "Officer %q (Telegram id %d) is already %sd; nothing changed.\n", cur.Name, *id, verb)
		return nil
	}
	change := s.DisableStaff
	if active {
		change = s.EnableStaff
	}
	if err := change(ctx, *id); err != nil {
		return err
	}
	if active {
		fmt.Fprintf(e.stdout, "Officer %q (Telegram id %d) enabled: they may act on tickets again.\n", cur.Name, *id)
	} else {
		fmt.Fprintf(e.stdout, "Officer %q (Telegram id %d) disabled: they can no longer act on tickets; tickets they hold stay assigned to them.\n", cur.Name, *id)
	}
	return nil
}

// commaList splits a flag's comma-separated values, trimmed, without empty ones.
func commaList(s string) []string {
	var out []string
	for _, v := range strings.Split(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}
