package cli

import (
	"context"
	"fmt"
	"strings"
	"text/tabwriter"

	"servicedesk/internal/service"
)

// macro lists the team's macros or applies one to a ticket.
func (c *command) macro(args []string) error {
	if len(args) == 0 {
		return misuse("macro needs list or apply")
	}
	switch args[0] {
	case "list":
		return c.macroList(args[1:])
	case "apply":
		return c.macroApply(args[1:])
	default:
		return misuse("unknown macro command %q: use list or apply", args[0])
	}
}

// macroList prints the macros of the team folders: name, what it does, and
// the problem of a broken file.
func (c *command) macroList(args []string) error {
	fs := newFlags("macro list")
	project := fs.String("project", "", "only this project's macros")
	asJSON := fs.Bool("json", false, "print the macros as JSON")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	ctx := context.Background()
	svc, err := c.service(ctx)
	if err != nil {
		return err
	}
	projectID, err := projectFilter(ctx, svc, *project)
	if err != nil {
		return err
	}
	ms, err := svc.Macros(ctx, projectID)
	if err != nil {
		return err
	}
	if *asJSON {
		return c.printJSON(ms)
	}
	if len(ms) == 0 {
		fmt.Fprintln(c.env.Stdout, "No macros: the team keeps them in the project's repository under .gitlab/service_desk_desktop/macros/ (sync to read them).")
		return nil
	}
	tw := tabwriter.NewWriter(c.env.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tDOES")
	for _, m := range ms {
		does := strings.Join(m.Actions, "; ")
		if m.Problem != "" {
			does = "BROKEN: " + m.Problem
		}
		fmt.Fprintf(tw, "%s\t%s\n", m.Name, does)
	}
	return tw.Flush()
}

// macroApply queues a macro's actions on a ticket and prints their op ids;
// they leave together after the undo window ('outbox undo' takes each back).
func (c *command) macroApply(args []string) error {
	fs := newFlags("macro apply")
	now := fs.Bool("now", false, "no undo window: due at once")
	project := fs.String("project", "", "project path (needed when the profile has several)")
	asJSON := fs.Bool("json", false, "print the ops as JSON")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 2 {
		return misuse("macro apply needs a ticket number and a macro name: macro apply 12 \"Refund approved\"")
	}
	iid, err := ticketArg("macro apply", pos[:1])
	if err != nil {
		return err
	}
	ctx := context.Background()
	svc, p, err := c.serviceFor(ctx, *project)
	if err != nil {
		return err
	}
	req := service.MacroRequest{ProjectID: p.ID, IID: iid, Name: pos[1]}
	if *now {
		req.Undo = -1
	}
	ops, err := svc.ApplyMacro(ctx, req)
	if err != nil {
		return notLocal(p, iid, err)
	}
	if *asJSON {
		out := make([]opJSON, len(ops))
		for i, op := range ops {
			out[i] = toOpJSON(op, map[int64]string{p.ID: p.Path})
		}
		return c.printJSON(out)
	}
	for _, op := range ops {
		fmt.Fprintf(c.env.Stdout, "%s\t%s\n", op.ID, op.Kind)
	}
	return nil
}

// rules lists the team's rules: name, conditions, actions, or the problem
// of a broken rules file.
func (c *command) rules(args []string) error {
	fs := newFlags("rules")
	asJSON := fs.Bool("json", false, "print the rules as JSON")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	ctx := context.Background()
	svc, err := c.service(ctx)
	if err != nil {
		return err
	}
	rs, err := svc.Rules(ctx, 0)
	if err != nil {
		return err
	}
	if *asJSON {
		return c.printJSON(rs)
	}
	if len(rs) == 0 {
		fmt.Fprintln(c.env.Stdout, "No rules: the team keeps them in the project's repository as .gitlab/service_desk_desktop/rules.yml (sync to read them).")
		return nil
	}
	tw := tabwriter.NewWriter(c.env.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "RULE\tWHEN\tDO")
	for _, r := range rs {
		if r.Problem != "" {
			fmt.Fprintf(tw, "%s\tBROKEN: %s\t\n", r.Name, r.Problem)
			continue
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\n", r.Name, r.When, r.Do)
	}
	return tw.Flush()
}
