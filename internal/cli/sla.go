package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"text/tabwriter"
	"time"

	"servicedesk/internal/sla"
)

// slaCmd shows each project's service levels, or checks a policy file
// before the team commits it.
func (c *command) slaCmd(args []string) error {
	if len(args) > 0 && args[0] == "check" {
		return c.slaCheck(args[1:])
	}
	fs := newFlags("sla")
	project := fs.String("project", "", "only this project")
	asJSON := fs.Bool("json", false, "print as JSON")
	if rest, err := parse(fs, args); err != nil {
		return err
	} else if len(rest) > 0 {
		return misuse("unknown sla command %q: use check FILE, or no command", rest[0])
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
	policies, err := svc.SLAPolicies(ctx, projectID)
	if err != nil {
		return err
	}
	projects, err := svc.Projects(ctx)
	if err != nil {
		return err
	}
	type out struct {
		Project  string `json:"project"`
		Problem  string `json:"problem,omitempty"`
		Calendar string `json:"calendar,omitempty"`
		Targets  string `json:"targets,omitempty"`
		Soon     int    `json:"due_soon"`
		Breached int    `json:"breached"`
	}
	var rows []out
	for _, p := range policies {
		o := out{Problem: p.Problem}
		for _, pr := range projects {
			if pr.ID == p.ProjectID {
				o.Project = pr.Path
			}
		}
		if p.Problem == "" {
			o.Calendar, o.Targets = p.Policy.Calendar.String(), describeTargets(p.Policy)
			counts, err := svc.CountViews(ctx, p.ProjectID)
			if err != nil {
				return err
			}
			o.Soon, o.Breached = counts.SLASoon, counts.SLABreached
		}
		rows = append(rows, o)
	}
	if *asJSON {
		return c.printJSON(rows)
	}
	if len(rows) == 0 {
		fmt.Fprintf(c.env.Stdout, "No service levels: the team keeps them in the project's repository at %s (sync to read it).\n", sla.DefaultPath)
		return nil
	}
	tw := tabwriter.NewWriter(c.env.Stdout, 0, 4, 2, ' ', 0)
	for _, o := range rows {
		if o.Problem != "" {
			fmt.Fprintf(tw, "%s\tBROKEN: %s\n", o.Project, o.Problem)
			continue
		}
		fmt.Fprintf(tw, "%s\t%s\n\thours: %s\n\tnow: %d due soon, %d breached\n", o.Project, o.Targets, o.Calendar, o.Soon, o.Breached)
	}
	return tw.Flush()
}

// slaCheck reads a policy file as the app will and says what it found, or
// each mistake with its line (exit 1).
func (c *command) slaCheck(args []string) error {
	fs := newFlags("sla check")
	rest, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return misuse("sla check needs one file: servicedesk sla check .gitlab/service_desk_desktop/sla.yml")
	}
	data, err := os.ReadFile(rest[0])
	if err != nil {
		return err
	}
	p, err := sla.Parse(filepath.Base(rest[0]), data)
	if err != nil {
		return err
	}
	now := time.Now()
	fmt.Fprintf(c.env.Stdout, "%s reads: %s\nhours: %s\n", rest[0], describeTargets(p), p.Calendar)
	if p.FirstResponse > 0 {
		fmt.Fprintf(c.env.Stdout, "a ticket opened now is due for a first response at %s\n",
			p.Calendar.AddBusiness(now, p.FirstResponse).In(p.Calendar.Location()).Format("Mon 2006-01-02 15:04 MST"))
	} else {
		fmt.Fprintln(c.env.Stdout, "no first-response target (a label may set one)")
	}
	return nil
}

// describeTargets says a policy's targets in one line.
func describeTargets(p sla.Policy) string {
	target := func(d time.Duration) string {
		if d <= 0 {
			return "none"
		}
		h, m := int(d/time.Hour), int(d%time.Hour/time.Minute)
		switch {
		case m == 0:
			return fmt.Sprintf("%dh", h)
		case h == 0:
			return fmt.Sprintf("%dm", m)
		}
		return fmt.Sprintf("%dh%02dm", h, m)
	}
	s := fmt.Sprintf("first response %s, resolution %s", target(p.FirstResponse), target(p.Resolution))
	for _, lt := range p.Labels {
		s += fmt.Sprintf("; label %s: first response %s, resolution %s", lt.Label, labelTarget(lt.FirstResponse, target), labelTarget(lt.Resolution, target))
	}
	return s
}

func labelTarget(d time.Duration, target func(time.Duration) string) string {
	switch d {
	case 0:
		return "as above"
	case sla.NoTarget:
		return "none"
	}
	return target(d)
}
