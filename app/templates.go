package app

import (
	"context"
	"fmt"

	"servicedesk/internal/model"
	"servicedesk/internal/service"
)

// TemplateDTO is one of the agent's reply templates.
type TemplateDTO struct {
	ID        int64  `json:"id"` // 0 for a shared template
	Name      string `json:"name"`
	Body      string `json:"body"` // Markdown with {{variables}}, filled in when the reply is queued
	UpdatedAt string `json:"updated_at"`
	// A shared template comes from a project's repository: its file there
	// (edited in GitLab, read-only in the app), and what is wrong with it
	// ("…/refund.md: line 3: unknown variable"); one with a problem cannot
	// be used.
	ProjectID int64  `json:"project_id"`
	Path      string `json:"path"`
	Problem   string `json:"problem"`
}

// Templates lists the agent's reply templates by name, for the composer's
// picker.
func (a *App) Templates() ([]TemplateDTO, error) {
	ts, err := a.current().Templates(context.Background())
	if err != nil {
		return nil, err
	}
	out := make([]TemplateDTO, len(ts))
	for i, t := range ts {
		out[i] = TemplateDTO{ID: t.ID, Name: t.Name, Body: t.Body, UpdatedAt: timeString(t.UpdatedAt), ProjectID: t.ProjectID,
			Path: t.Path, Problem: t.Problem}
	}
	return out, nil
}

// SaveTemplate adds (id 0) or replaces a template; an unknown {{variable}}
// is refused with its line.
func (a *App) SaveTemplate(t TemplateDTO) (TemplateDTO, error) {
	if err := checkLengths(t.Name); err != nil {
		return TemplateDTO{}, err
	}
	if t.Path != "" {
		return TemplateDTO{}, fmt.Errorf("%q is the team's template from %s: change it there, in the project's repository", t.Name, t.Path)
	}
	saved, err := a.current().SaveTemplate(context.Background(), model.Template{ID: t.ID, Name: t.Name, Body: t.Body})
	if err != nil {
		return TemplateDTO{}, err
	}
	return TemplateDTO{ID: saved.ID, Name: saved.Name, Body: saved.Body, UpdatedAt: timeString(saved.UpdatedAt)}, nil
}

// DeleteTemplate removes a template.
func (a *App) DeleteTemplate(id int64) error {
	return a.current().DeleteTemplate(context.Background(), id)
}

// TemplateVariables lists the {{variables}} templates and replies may use.
func (a *App) TemplateVariables() []string { return service.TemplateVariables() }

// MacroDTO is one of the team's macros.
type MacroDTO struct {
	ProjectID   int64    `json:"project_id"`
	Path        string   `json:"path"` // the file in the project's repository
	Name        string   `json:"name"`
	Description string   `json:"description"`
	Actions     []string `json:"actions"` // what it does, one line each, in order
	Problem     string   `json:"problem"` // why the file cannot be used; "" when it can
}

// Macros lists the team's macros of a project (0: of every project).
func (a *App) Macros(projectID int64) ([]MacroDTO, error) {
	ms, err := a.current().Macros(context.Background(), projectID)
	if err != nil {
		return nil, err
	}
	out := make([]MacroDTO, len(ms))
	for i, m := range ms {
		out[i] = MacroDTO{ProjectID: m.ProjectID, Path: m.Path, Name: m.Name, Description: m.Description,
			Actions: append([]string{}, m.Actions...), Problem: m.Problem}
	}
	return out, nil
}

// ApplyMacro queues a macro's actions on a ticket; they leave together
// after the undo window (Undo on each op takes it back).
func (a *App) ApplyMacro(projectID, iid int64, name string) ([]OutboxOpDTO, error) {
	ops, err := a.current().ApplyMacro(context.Background(), service.MacroRequest{ProjectID: projectID, IID: iid, Name: name})
	if err != nil {
		return nil, err
	}
	return a.queued(ops), nil
}
