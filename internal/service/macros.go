package service

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"servicedesk/internal/model"
	"servicedesk/internal/outbox"
)

// Macros are named sets of actions on a ticket, kept by the team in the
// project's repository, one YAML file each under
// .gitlab/service_desk_desktop/macros/:
//
//	# macros/refund-approved.yml
//	name: Refund approved                  # optional: the file's name otherwise
//	description: Refund issued, tell the customer and close.
//	reply: refund-approved                 # a team template (templates/refund-approved.md)
//	# reply_text: "Hi {{customer.first_name}}, …"   # or the reply itself
//	note: Refunded in Stripe.              # an internal note
//	add_labels: [refund]
//	remove_labels: [needs-info]
//	assign: [alex.morgan]                  # or: unassign: true
//	add_cc: [finance@example.com]
//	state: close                           # or reopen
//
// Applying one queues all its ops in one transaction, held for the undo
// window, so the whole macro can be taken back until it leaves; they leave
// in the order above (changes, the note, the reply, then the state), the
// ticket closed last.

// Macro is one macro of a project's team folder.
type Macro struct {
	ProjectID   int64    `json:"project_id"`
	Path        string   `json:"path"`
	Name        string   `json:"name"`
	Description string   `json:"description"`
	Actions     []string `json:"actions"` // one line each, for a list: "add labels refund", "reply Refund approved"
	// Problem says what is wrong with the file ("…/refund.yml: line 4:
	// unknown field \"asign\""); such a macro cannot be applied.
	Problem string `json:"problem"`

	spec  macroSpec
	reply string // the reply's text: reply_text, or the team template's body
}

// macroSpec is a macro file's content.
type macroSpec struct {
	Name         string `yaml:"name"`
	Description  string `yaml:"description"`
	Reply        string `yaml:"reply"`
	ReplyText    string `yaml:"reply_text"`
	Note         string `yaml:"note"`
	AddLabels    names  `yaml:"add_labels"`
	RemoveLabels names  `yaml:"remove_labels"`
	Assign       names  `yaml:"assign"`
	Unassign     bool   `yaml:"unassign"`
	AddCC        names  `yaml:"add_cc"`
	State        string `yaml:"state"`
}

// names is a list of names in a macro file, written as a list ([a, b]) or,
// for one, as a plain value (add_labels: bug).
type names []string

func (n *names) UnmarshalYAML(v *yaml.Node) error {
	if v.Kind == yaml.ScalarNode {
		*n = names{v.Value}
		return nil
	}
	var list []string
	if err := v.Decode(&list); err != nil {
		return err
	}
	*n = list
	return nil
}

const teamMacrosDir = model.TeamDir + "/macros/"

// Macros lists the macros of every project's team folder (projectID 0) or
// of one, each checked: a broken file is listed with its problem.
func (s *Service) Macros(ctx context.Context, projectID int64) ([]Macro, error) {
	files, err := s.store.RepoFiles(ctx, projectID)
	if err != nil {
		return nil, err
	}
	templates, err := s.sharedTemplates(ctx)
	if err != nil {
		return nil, err
	}
	var out []Macro
	for _, f := range files {
		ext := path.Ext(f.Path)
		if !strings.HasPrefix(f.Path, teamMacrosDir) || (ext != ".yml" && ext != ".yaml") {
			continue
		}
		m := Macro{ProjectID: f.ProjectID, Path: f.Path, Name: templateName(f.Path)}
		spec, err := parseMacro(f.Content)
		if err == nil {
			err = checkMacro(spec, f.ProjectID, templates)
		}
		if err != nil {
			m.Problem = fmt.Sprintf("%s: %v", f.Path, err)
		} else {
			m.spec, m.reply = spec, spec.ReplyText
			if spec.Reply != "" {
				t, _ := findTemplate(templates, f.ProjectID, spec.Reply) // checkMacro found it
				m.reply = t.Body
			}
			if spec.Name != "" {
				m.Name = spec.Name
			}
			m.Description = spec.Description
			m.Actions = spec.describe()
		}
		out = append(out, m)
	}
	return out, nil
}

// parseMacro reads a macro file strictly: unknown fields and wrong types are
// refused with their line.
func parseMacro(data []byte) (macroSpec, error) {
	var spec macroSpec
	err := decodeStrict(data, &spec)
	if errors.Is(err, io.EOF) {
		return spec, errors.New("the file is empty")
	}
	return spec, err
}

// decodeStrict reads a team file's YAML into v: unknown fields and wrong
// types are refused with their line; an empty file is io.EOF.
func decodeStrict(data []byte, v any) error {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	err := dec.Decode(v)
	if err == nil || errors.Is(err, io.EOF) {
		return err
	}
	var te *yaml.TypeError
	if errors.As(err, &te) {
		return errors.New(strings.Join(te.Errors, "; "))
	}
	return errors.New(strings.TrimPrefix(err.Error(), "yaml: "))
}

// checkMacro refuses a macro that does nothing or names what does not exist.
func checkMacro(m macroSpec, projectID int64, templates []model.Template) error {
	if m.Reply != "" && m.ReplyText != "" {
		return errors.New("reply and reply_text both given: keep one")
	}
	if m.Unassign && len(m.Assign) > 0 {
		return errors.New("assign and unassign both given: keep one")
	}
	switch m.State {
	case "", "close", "reopen":
	default:
		return fmt.Errorf("state: %q is not close or reopen", m.State)
	}
	if m.Reply != "" {
		if _, err := findTemplate(templates, projectID, m.Reply); err != nil {
			return err
		}
	}
	for _, a := range m.AddCC {
		if !strings.Contains(a, "@") || strings.ContainsAny(a, " \t\r\n,;<>") {
			return fmt.Errorf("add_cc: %q is not an e-mail address", a)
		}
	}
	if len(m.describe()) == 0 {
		return errors.New("the macro does nothing: give it a reply, a note, labels, an assignee, CC or a state")
	}
	return nil
}

// findTemplate finds a team template of the project by its file name
// (without .md) or its name.
func findTemplate(ts []model.Template, projectID int64, name string) (model.Template, error) {
	want := strings.TrimSuffix(strings.TrimPrefix(name, "templates/"), ".md")
	for _, t := range ts {
		if t.ProjectID != projectID {
			continue
		}
		if strings.TrimSuffix(path.Base(t.Path), ".md") == want || strings.EqualFold(t.Name, name) {
			if t.Problem != "" {
				return t, fmt.Errorf("reply: the template is broken: %s", t.Problem)
			}
			return t, nil
		}
	}
	return model.Template{}, fmt.Errorf("reply: no team template %q in %s", name, teamTemplatesDir)
}

// describe lists what a macro does, one line per action, in the order the
// ops leave.
func (m macroSpec) describe() []string {
	var out []string
	if len(m.AddLabels) > 0 {
		out = append(out, "add labels "+strings.Join(m.AddLabels, ", "))
	}
	if len(m.RemoveLabels) > 0 {
		out = append(out, "remove labels "+strings.Join(m.RemoveLabels, ", "))
	}
	if len(m.Assign) > 0 {
		out = append(out, "assign "+strings.Join(m.Assign, ", "))
	}
	if m.Unassign {
		out = append(out, "unassign")
	}
	if len(m.AddCC) > 0 {
		out = append(out, "add CC "+strings.Join(m.AddCC, ", "))
	}
	if strings.TrimSpace(m.Note) != "" {
		out = append(out, "internal note")
	}
	if m.Reply != "" {
		out = append(out, "reply with "+m.Reply)
	}
	if strings.TrimSpace(m.ReplyText) != "" {
		out = append(out, "reply")
	}
	if m.State != "" {
		out = append(out, m.State)
	}
	return out
}

// MacroRequest applies a macro (by name, file name or path) to a ticket.
type MacroRequest struct {
	ProjectID int64
	IID       int64
	Name      string
	Undo      time.Duration // the undo window; 0 means outbox.DefaultUndo, negative none
}

// ApplyMacro queues every action of a macro on a ticket in one
// transaction, all held for the undo window: nothing is queued when any
// action is refused. It returns the ops, in the order they leave.
func (s *Service) ApplyMacro(ctx context.Context, req MacroRequest) ([]model.OutboxOp, error) {
	projectID, iid, name := req.ProjectID, req.IID, req.Name
	ms, err := s.Macros(ctx, projectID)
	if err != nil {
		return nil, err
	}
	var m *Macro
	for i := range ms {
		if strings.EqualFold(ms[i].Name, name) || ms[i].Path == name || strings.TrimSuffix(path.Base(ms[i].Path), path.Ext(ms[i].Path)) == name {
			m = &ms[i]
			break
		}
	}
	if m == nil {
		return nil, inputError("no macro %q in %s", name, teamMacrosDir)
	}
	if m.Problem != "" {
		return nil, inputError("the macro %q cannot be applied: %s", m.Name, m.Problem)
	}
	spec := m.spec
	r := TriageRequest{ProjectID: projectID, IID: iid, AddLabels: spec.AddLabels, RemoveLabels: spec.RemoveLabels,
		AddCC: spec.AddCC}
	if len(spec.Assign) > 0 || spec.Unassign {
		as := append([]string{}, spec.Assign...)
		r.Assignees = &as
	}
	ops, err := s.triageOps(ctx, r)
	if err != nil {
		return nil, err
	}
	if note := strings.TrimSpace(spec.Note); note != "" {
		op, err := s.replyOp(ctx, ReplyRequest{ProjectID: projectID, IID: iid, Body: note, Internal: true})
		if err != nil {
			return nil, err
		}
		ops = append(ops, op)
	}
	body := m.reply
	if strings.TrimSpace(body) != "" {
		op, err := s.replyOp(ctx, ReplyRequest{ProjectID: projectID, IID: iid, Body: body})
		if err != nil {
			return nil, err
		}
		ops = append(ops, op)
	}
	if spec.State != "" {
		op := model.OutboxOp{ProjectID: projectID, IID: iid, State: model.OpQueued, Kind: model.OpState,
			Payload: model.OpPayload{State: spec.State}}
		ops = append(ops, op)
	}
	// All of it waits out the undo window together.
	undo := req.Undo
	if undo == 0 {
		undo = outbox.DefaultUndo
	}
	at := time.Now().Add(max(undo, 0))
	for i := range ops {
		ops[i].NotBefore = at
	}
	ops, err = s.store.EnqueueOps(ctx, ops, false)
	if err != nil {
		return nil, err
	}
	s.kickOutbox()
	return ops, nil
}
