package cli

import (
	"context"
	"fmt"
)

func (c *command) project(args []string) error {
	if len(args) == 0 {
		return misuse("project needs a subcommand: list, add")
	}
	switch args[0] {
	case "list":
		return c.projectList(args[1:])
	case "add":
		return c.projectAdd(args[1:])
	}
	return misuse("unknown project subcommand %q", args[0])
}

func (c *command) projectList(args []string) error {
	fs := newFlags("project list")
	asJSON := fs.Bool("json", false, "print JSON")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	ctx := context.Background()
	svc, err := c.service(ctx)
	if err != nil {
		return err
	}
	ps, err := svc.ProjectInfos(ctx)
	if err != nil {
		return err
	}
	if *asJSON {
		return c.printJSON(ps)
	}
	w := c.table("PATH\tACCOUNT\tTICKETS\tLABELS\tMEMBERS\tSERVICE DESK ADDRESS")
	for _, p := range ps {
		fmt.Fprintf(w, "%s\t%s\t%d\t%d\t%d\t%s\n", p.Path, p.Account, p.Tickets, len(p.Labels), len(p.Members), p.ServiceDeskAddress)
	}
	return w.Flush()
}

func (c *command) projectAdd(args []string) error {
	fs := newFlags("project add")
	account := fs.Int64("account", 0, "GitLab account id")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 || *account <= 0 {
		return misuse("project add needs a project path and --account ID")
	}
	ctx, cancel := c.signalContext()
	defer cancel()
	svc, err := c.service(ctx)
	if err != nil {
		return err
	}
	p, err := svc.AddProject(ctx, *account, pos[0])
	if err != nil {
		return err
	}
	fmt.Fprintf(c.env.Stdout, "Added project %s to account %d\n", p.Path, *account)
	return nil
}
