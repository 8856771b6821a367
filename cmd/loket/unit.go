package main

import (
	"context"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/jmoiron/sqlx"

	"github.com/loket-id/loket/internal/config"
	"github.com/loket-id/loket/tickets"
)

// The unit and staff commands speak English, for operators.

const unitUsage = "usage: loket unit add --slug S --name NAME [--chat-id ID] [--default] [--integrity] [--forum] [--first-response-days N] [--resolution-days N] | list | disable --slug S | enable --slug S"

// openStore loads the configuration and opens the database; close it when done.
func openStore(ctx context.Context, e env) (config.Config, *sqlx.DB, *tickets.Store, error) {
	cfg, db, err := databaseFor(ctx, e)
	if err != nil {
		return cfg, nil, nil, err
	}
	return cfg, db, tickets.NewStore(db), nil
}

// runUnit dispatches the unit subcommands.
func runUnit(ctx context.Context, e env, args []string) error {
	if len(args) == 0 {
		return usageError{unitUsage}
	}
	switch args[0] {
	case "add":
		return runUnitAdd(ctx, e, args[1:])
	case "list":
		return runUnitList(ctx, e, args[1:])
	case "disable":
		return runUnitActive(ctx, e, args[1:], false)
	case "enable":
		return runUnitActive(ctx, e, args[1:], true)
	}
	return usageError{fmt.Sprintf("unknown unit command %q; %s", args[0], unitUsage)}
}

// runUnitAdd creates a unit, or changes the settings given of an existing one.
func runUnitAdd(ctx context.Context, e env, args []string) error {
	fs := flag.NewFlagSet("unit add", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	slug := fs.String("slug", "", "the unit's short name, as FAQs name it: lowercase letters, digits and \"-\" (e.g. disdukcapil)")
	name := fs.String("name", "", "the unit's name as officers and citizens see it (required for a new unit)")
	chatID := fs.Int64("chat-id", 0, "the unit's own Telegram staff group (0: the default group, LOKET_STAFF_CHAT_ID)")
	isDefault := fs.Bool("default", false, "the triage unit: questions whose FAQ names no active unit (taken from the unit that had it)")
	integrity := fs.Bool("integrity", false, "the integrity unit, for confidential reports of misconduct: only its members see its tickets (needs --chat-id)")
	forum := fs.Bool("forum", false, "the unit's group (--chat-id) is a forum supergroup: one topic per ticket, where officers simply write")
	firstDays := fs.Int("first-response-days", tickets.DefaultFirstResponseDays, "working days to the first response")
	resolveDays := fs.Int("resolution-days", tickets.DefaultResolutionDays, "working days to the resolution")
	if err := fs.Parse(args); err != nil {
		return usageError{err.Error()}
	}
	if *slug == "" || fs.NArg() != 0 {
		return usageError{"usage: loket unit add --slug S --name NAME [--chat-id ID] [--default] [--integrity] [--forum] [--first-response-days N] [--resolution-days N]"}
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })

	cfg, db, s, err := openStore(ctx, e)
	if err != nil {
		return err
	}
	defer func() { _ = db.Close() }()
	before, err := s.Units(ctx, db)
	if err != nil {
		return err
	}
	// An existing unit keeps what is not given; a new one starts from the defaults.
	u, err := s.Unit(ctx, db, strings.TrimSpace(*slug))
	existed := err == nil
	switch {
	case errors.Is(err, tickets.ErrNotFound):
		u = tickets.Unit{Slug: *slug}
		if strings.TrimSpace(*name) == "" {
			return usageError{fmt.Sprintf("unit %q is new: give its name with --name", *slug)}
		}
	case err != nil:
		return err
	}
	if set["name"] {
		u.Name = *name
	}
	if set["chat-id"] {
		if *chatID != 0 && *chatID == cfg.StaffChatID {
			return usageError{fmt.Sprintf("group %d is the default staff group (LOKET_STAFF_CHAT_ID); leave --chat-id out for a unit that answers there", *chatID)}
		}
		u.StaffChatID = sql.NullInt64{Int64: *chatID, Valid: *chatID != 0}
	}
	if set["default"] {
		u.IsDefault = *isDefault
	}
	if set["integrity"] {
		u.IsIntegrity = *integrity
	}
	if set["forum"] {
		u.Forum = *forum
	}
	if set["first-response-days"] {
		u.FirstResponseDays = *firstDays
	}
	if set["resolution-days"] {
		u.ResolutionDays = *resolveDays
	}
	if (set["first-response-days"] && *firstDays < 1) || (set["resolution-days"] && *resolveDays < 1) {
		return usageError{"--first-response-days and --resolution-days must be at least 1"}
	}
	u, err = s.AddUnit(ctx, u)
	if err != nil {
		return err
	}
	verb := "created"
	if existed {
		verb = "updated"
	}
	fmt.Fprintf(e.stdout, "Unit %q (%s) %s: %s; first response within %s, resolution within %s.\n",
		u.Slug, u.Name, verb, groupText(u), days(u.FirstResponseDays), days(u.ResolutionDays))
	for _, b := range before {
		if b.Slug == u.Slug {
			continue
		}
		if u.IsDefault && b.IsDefault {
			fmt.Fprintf(e.stdout, "Unit %q is no longer the default unit.\n", b.Slug)
		}
		if u.IsIntegrity && b.IsIntegrity {
			fmt.Fprintf(e.stdout, "Unit %q is no longer the integrity unit.\n", b.Slug)
		}
	}
	if _, err := s.RouteUnit(ctx, db, ""); errors.Is(err, tickets.ErrNotFound) {
		fmt.Fprintln(e.stdout, "Note: there is no default unit, so questions whose FAQ names no unit go to the default staff group without a unit; choose one with: loket unit add --slug SLUG --default")
	}
	return nil
}

// groupText says where a unit's tickets go.
func groupText(u tickets.Unit) string {
	var b strings.Builder
	if u.StaffChatID.Valid {
		fmt.Fprintf(&b, "tickets go to group %d", u.StaffChatID.Int64)
	} else {
		b.WriteString("tickets go to the default staff group")
	}
	if u.IsDefault {
		b.WriteString("; the default unit (triage)")
	}
	if u.IsIntegrity {
		b.WriteString("; the integrity unit (only its members see its tickets)")
	}
	return b.String()
}

// days writes a number of working days.
func days(n int) string {
	if n == 1 {
		return "1 working day"
	}
	return fmt.Sprintf("%d working days", n)
}

// runUnitList prints the units as a table.
func runUnitList(ctx context.Context, e env, args []string) error {
	if len(args) != 0 {
		return usageError{"usage: loket unit list"}
	}
	_, db, s, err := openStore(ctx, e)
	if err != nil {
		return err
	}
	defer func() { _ = db.Close() }()
	us, err := s.Units(ctx, db)
	if err != nil {
		return err
	}
	if len(us) == 0 {
		fmt.Fprintln(e.stdout, "No units yet: every ticket goes to the default staff group. Add one with: loket unit add --slug SLUG --name NAME")
		return nil
	}
	w := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "SLUG\tNAME\tGROUP\tFLAGS\tSLA (DAYS)\tSTAFF")
	for _, u := range us {
		group := "default group"
		if u.StaffChatID.Valid {
			group = fmt.Sprint(u.StaffChatID.Int64)
		}
		var flags []string
		if u.IsDefault {
			flags = append(flags, "default")
		}
		if u.IsIntegrity {
			flags = append(flags, "integrity")
		}
		if u.Forum {
			flags = append(flags, "forum")
		}
		if !u.Active {
			flags = append(flags, "disabled")
		}
		if len(flags) == 0 {
			flags = []string{"-"}
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%d / %d\t%d\n", u.Slug, u.Name, group, strings.Join(flags, ","),
			u.FirstResponseDays, u.ResolutionDays, u.StaffCount)
	}
	if err := w.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, "SLA: working days to the first response / to the resolution. STAFF: active officers of the unit.")
	return nil
}

// runUnitActive disables or re-enables a unit.
func runUnitActive(ctx context.Context, e env, args []string, active bool) error {
	verb := "disable"
	if active {
		verb = "enable"
	}
	fs := flag.NewFlagSet("unit "+verb, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	slug := fs.String("slug", "", "the unit's slug")
	if err := fs.Parse(args); err != nil {
		return usageError{err.Error()}
	}
	if *slug == "" || fs.NArg() != 0 {
		return usageError{"usage: loket unit " + verb + " --slug S"}
	}
	_, db, s, err := openStore(ctx, e)
	if err != nil {
		return err
	}
	defer func() { _ = db.Close() }()
	if err := s.SetUnitActive(ctx, *slug, active); errors.Is(err, tickets.ErrNotFound) {
		return fmt.Errorf("unit %q does not exist; see: loket unit list", *slug)
	} else if err != nil {
		return err
	}
	if active {
		fmt.Fprintf(e.stdout, "Unit %q enabled: questions for it go to it again.\n", *slug)
	} else {
		fmt.Fprintf(e.stdout, "Unit %q disabled: new questions for it go where questions without a unit go (the default unit, if any); its open tickets stay with it.\n", *slug)
	}
	return nil
}
