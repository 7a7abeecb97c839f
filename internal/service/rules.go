package service

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
	"unicode"

	"servicedesk/internal/model"
)

// Team rules run on every sync. The team keeps them in the project's
// repository as .gitlab/service_desk_desktop/rules.yml:
//
//	- name: Billing questions to Priya
//	  when:
//	    new: true                     # no public reply yet
//	    from: [northwind-traders.com] # a part of the customer's address
//	    words: [invoice, refund]      # any of them in the subject or the first message
//	    label: billing                # the ticket has the label
//	    no_reply_for: 4h              # the customer has waited this long
//	  do:
//	    add_labels: [billing]
//	    assign: [priya.natarajan]     # or round_robin: [alex.morgan, tom.becker]
//	    note: Routed to billing by the team's rule.
//
// Every condition given must hold (within a list, any item). A matching
// open ticket gets one rule op in the outbox; when several agents' apps
// queue it, the claim on GitLab (outbox.Runner.rule) lets exactly one apply
// it. Round robin picks by ticket number, so every app picks the same agent.

const teamRulesFile = model.TeamDir + "/rules.yml"

// Rule is one team rule of a project.
type Rule struct {
	ProjectID int64  `json:"project_id"`
	Key       string `json:"key"`
	Name      string `json:"name"`
	When      string `json:"when"` // the conditions in words
	Do        string `json:"do"`   // the actions in words
	Problem   string `json:"problem"`

	spec ruleSpec
}

type ruleSpec struct {
	Name string `yaml:"name"`
	When struct {
		New        bool   `yaml:"new"`
		From       names  `yaml:"from"`
		Words      names  `yaml:"words"`
		Label      names  `yaml:"label"`
		NoReplyFor string `yaml:"no_reply_for"`
	} `yaml:"when"`
	Do struct {
		AddLabels    names  `yaml:"add_labels"`
		RemoveLabels names  `yaml:"remove_labels"`
		Assign       names  `yaml:"assign"`
		RoundRobin   names  `yaml:"round_robin"`
		Note         string `yaml:"note"`
	} `yaml:"do"`

	noReplyFor time.Duration
}

// Rules lists the rules of a project's team folder (0: every project). A
// broken file gives one rule carrying the problem, and no rule of that
// project runs.
func (s *Service) Rules(ctx context.Context, projectID int64) ([]Rule, error) {
	files, err := s.store.RepoFiles(ctx, projectID)
	if err != nil {
		return nil, err
	}
	var out []Rule
	for _, f := range files {
		if f.Path != teamRulesFile {
			continue
		}
		specs, err := parseRules(f.Content)
		if err != nil {
			out = append(out, Rule{ProjectID: f.ProjectID, Name: "rules.yml", Problem: fmt.Sprintf("%s: %v", f.Path, err)})
			continue
		}
		for _, sp := range specs {
			out = append(out, Rule{ProjectID: f.ProjectID, Key: ruleKey(sp.Name), Name: sp.Name, When: sp.describeWhen(),
				Do: sp.describeDo(), spec: sp})
		}
	}
	return out, nil
}

func parseRules(data []byte) ([]ruleSpec, error) {
	var specs []ruleSpec
	if err := decodeStrict(data, &specs); errors.Is(err, io.EOF) {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	for i := range specs {
		sp := &specs[i]
		where := fmt.Sprintf("rule %d", i+1)
		if strings.TrimSpace(sp.Name) == "" {
			return nil, fmt.Errorf("%s has no name", where)
		}
		where = fmt.Sprintf("rule %q", sp.Name)
		if seen[ruleKey(sp.Name)] {
			return nil, fmt.Errorf("%s: two rules have this name", where)
		}
		seen[ruleKey(sp.Name)] = true
		if sp.When.NoReplyFor != "" {
			d, err := time.ParseDuration(sp.When.NoReplyFor)
			if err != nil || d <= 0 {
				return nil, fmt.Errorf("%s: no_reply_for %q is not a duration like 4h or 90m", where, sp.When.NoReplyFor)
			}
			sp.noReplyFor = d
		}
		if !sp.When.New && len(sp.When.From)+len(sp.When.Words)+len(sp.When.Label) == 0 && sp.noReplyFor == 0 {
			return nil, fmt.Errorf("%s: when has no condition; it would change every ticket", where)
		}
		if len(sp.Do.Assign) > 0 && len(sp.Do.RoundRobin) > 0 {
			return nil, fmt.Errorf("%s: assign and round_robin both given: keep one", where)
		}
		if sp.describeDo() == "" {
			return nil, fmt.Errorf("%s: do has no action", where)
		}
	}
	return specs, nil
}

// ruleKey is a rule's name as a marker-safe key.
func ruleKey(name string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return unicode.ToLower(r)
		}
		return '-'
	}, strings.TrimSpace(name))
}

func (sp ruleSpec) describeWhen() string {
	var w []string
	if sp.When.New {
		w = append(w, "no reply yet")
	}
	if len(sp.When.From) > 0 {
		w = append(w, "from "+strings.Join(sp.When.From, " or "))
	}
	if len(sp.When.Words) > 0 {
		w = append(w, "mentions "+strings.Join(sp.When.Words, " or "))
	}
	if len(sp.When.Label) > 0 {
		w = append(w, "labelled "+strings.Join(sp.When.Label, " or "))
	}
	if sp.noReplyFor > 0 {
		w = append(w, "waiting "+sp.noReplyFor.String())
	}
	return strings.Join(w, ", ")
}

func (sp ruleSpec) describeDo() string {
	var d []string
	if len(sp.Do.AddLabels) > 0 {
		d = append(d, "add ~"+strings.Join(sp.Do.AddLabels, " ~"))
	}
	if len(sp.Do.RemoveLabels) > 0 {
		d = append(d, "remove ~"+strings.Join(sp.Do.RemoveLabels, " ~"))
	}
	if len(sp.Do.Assign) > 0 {
		d = append(d, "assign @"+strings.Join(sp.Do.Assign, " @"))
	}
	if len(sp.Do.RoundRobin) > 0 {
		d = append(d, "assign in turn @"+strings.Join(sp.Do.RoundRobin, " @"))
	}
	if strings.TrimSpace(sp.Do.Note) != "" {
		d = append(d, "internal note")
	}
	return strings.Join(d, ", ")
}

// matches says whether an open ticket meets every condition of a rule.
// matches says whether the rule applies to a ticket; waited is how long the
// customer has waited since a time (business time when the project has
// service levels, as its targets count).
func (sp ruleSpec) matches(t model.Ticket, answered bool, waited func(since time.Time) time.Duration) bool {
	if sp.When.New && answered {
		return false
	}
	customer := strings.ToLower(t.Customer)
	if len(sp.When.From) > 0 && !slices.ContainsFunc(sp.When.From, func(f string) bool { return strings.Contains(customer, strings.ToLower(f)) }) {
		return false
	}
	text := strings.ToLower(t.Title + "\n" + t.Description)
	if len(sp.When.Words) > 0 && !slices.ContainsFunc(sp.When.Words, func(w string) bool { return strings.Contains(text, strings.ToLower(w)) }) {
		return false
	}
	if len(sp.When.Label) > 0 && !slices.ContainsFunc(sp.When.Label, func(l string) bool {
		return slices.ContainsFunc(t.Labels, func(x string) bool { return strings.EqualFold(x, l) })
	}) {
		return false
	}
	if sp.noReplyFor > 0 && (!t.NeedsReply() || waited(t.LastPublicAt) < sp.noReplyFor) {
		return false
	}
	return true
}

// runRules queues the project's rules for the open tickets they match and
// have not been queued for. It returns how many ops it queued.
func (s *Service) runRules(ctx context.Context, p model.Project, now time.Time) (int, error) {
	rules, err := s.Rules(ctx, p.ID)
	if err != nil || len(rules) == 0 {
		return 0, err
	}
	for _, r := range rules {
		if r.Problem != "" {
			return 0, errors.New(r.Problem) // a broken file runs nothing
		}
	}
	tickets, err := s.store.Tickets(ctx, model.TicketFilter{ProjectID: p.ID, State: model.StateOpened})
	if err != nil {
		return 0, err
	}
	waited, err := s.waitClock(ctx, p.ID, now)
	if err != nil {
		return 0, err
	}
	queued := 0
	for _, r := range rules {
		done, err := s.store.RuleRuns(ctx, p.ID, r.Key)
		if err != nil {
			return queued, err
		}
		var ops []model.OutboxOp
		var iids []int64
		for _, t := range tickets {
			if done[t.IID] {
				continue
			}
			answered := false
			if r.spec.When.New {
				if answered, err = s.answered(ctx, t); err != nil {
					return queued, err
				}
			}
			if !r.spec.matches(t, answered, waited) {
				continue
			}
			ops = append(ops, r.op(t, now))
			iids = append(iids, t.IID)
		}
		if len(ops) == 0 {
			continue
		}
		if _, err := s.store.EnqueueOps(ctx, ops, false); err != nil {
			return queued, err
		}
		if err := s.store.AddRuleRuns(ctx, p.ID, r.Key, iids); err != nil {
			return queued, err
		}
		queued += len(ops)
	}
	if queued > 0 {
		s.kickOutbox()
	}
	return queued, nil
}

// waitClock measures how long a customer has waited until now: in the
// project's business hours when it has service levels (no_reply_for: 4h
// then means four business hours, as its targets do), else on the wall
// clock.
func (s *Service) waitClock(ctx context.Context, projectID int64, now time.Time) (func(time.Time) time.Duration, error) {
	p, ok, err := s.SLAPolicy(ctx, projectID)
	if err != nil {
		return nil, err
	}
	if ok && p.Problem == "" {
		cal := p.Policy.Calendar
		return func(since time.Time) time.Duration { return cal.BusinessTime(since, now) }, nil
	}
	return func(since time.Time) time.Duration { return now.Sub(since) }, nil
}

// answered says whether the team has answered a ticket in public.
func (s *Service) answered(ctx context.Context, t model.Ticket) (bool, error) {
	notes, err := s.store.Notes(ctx, t.ID)
	if err != nil {
		return false, err
	}
	return slices.ContainsFunc(notes, func(n model.Note) bool { return n.Kind() == model.KindReply }), nil
}

// op is the outbox op applying the rule to a ticket.
func (r Rule) op(t model.Ticket, now time.Time) model.OutboxOp {
	sp := r.spec
	assignees := []string(sp.Do.Assign)
	if n := len(sp.Do.RoundRobin); n > 0 {
		assignees = []string{sp.Do.RoundRobin[int(t.IID%int64(n))]}
	}
	body := fmt.Sprintf("Rule “%s” applied (%s).", r.Name, sp.describeDo())
	if note := strings.TrimSpace(sp.Do.Note); note != "" {
		body += "\n\n" + note
	}
	return model.OutboxOp{ProjectID: t.ProjectID, IID: t.IID, Kind: model.OpRule, State: model.OpQueued, NotBefore: now,
		Payload: model.OpPayload{Rule: r.Key, Body: body, AddLabels: sp.Do.AddLabels, RemoveLabels: sp.Do.RemoveLabels, Assignees: assignees}}
}
