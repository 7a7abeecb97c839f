package service

import (
	"context"
	"errors"
	"strings"

	"servicedesk/internal/compose"
	"servicedesk/internal/model"
	"servicedesk/internal/store"
)

// Templates lists the agent's own reply templates, then the team's shared
// ones from the projects' repositories (read-only here).
func (s *Service) Templates(ctx context.Context) ([]model.Template, error) {
	own, err := s.store.Templates(ctx)
	if err != nil {
		return nil, err
	}
	shared, err := s.sharedTemplates(ctx)
	if err != nil {
		return nil, err
	}
	return append(own, shared...), nil
}

// SaveTemplate checks a template (a name; only known variables) and stores
// it; ID 0 adds one.
func (s *Service) SaveTemplate(ctx context.Context, t model.Template) (model.Template, error) {
	t.Name, t.Body = strings.TrimSpace(t.Name), strings.TrimSpace(t.Body)
	if t.Name == "" {
		return t, inputError("give the template a name")
	}
	if t.Body == "" {
		return t, inputError("the template is empty")
	}
	if err := compose.Check(t.Body); err != nil {
		return t, inputError("%s", err.Error())
	}
	t, err := s.store.SaveTemplate(ctx, t)
	if errors.Is(err, store.ErrTemplateName) {
		return t, inputError("a template named %q exists: pick another name", t.Name)
	}
	return t, err
}

// DeleteTemplate removes a template.
func (s *Service) DeleteTemplate(ctx context.Context, id int64) error {
	return s.store.DeleteTemplate(ctx, id)
}

// TemplateVariables are the {{variables}} a template may use.
func TemplateVariables() []string { return compose.Variables() }
