package app

import (
	"context"

	"servicedesk/internal/model"
	"servicedesk/internal/service"
)

// TemplateDTO is one of the agent's reply templates.
type TemplateDTO struct {
	ID        int64  `json:"id"`
	Name      string `json:"name"`
	Body      string `json:"body"` // Markdown with {{variables}}, filled in when the reply is queued
	UpdatedAt string `json:"updated_at"`
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
		out[i] = TemplateDTO{ID: t.ID, Name: t.Name, Body: t.Body, UpdatedAt: timeString(t.UpdatedAt)}
	}
	return out, nil
}

// SaveTemplate adds (id 0) or replaces a template; an unknown {{variable}}
// is refused with its line.
func (a *App) SaveTemplate(t TemplateDTO) (TemplateDTO, error) {
	if err := checkLengths(t.Name); err != nil {
		return TemplateDTO{}, err
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
