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
