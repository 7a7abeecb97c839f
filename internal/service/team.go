package service

import (
	"context"
	"fmt"
	"path"
	"strings"
	"unicode"

	"servicedesk/internal/compose"
	"servicedesk/internal/gitlab"
	"servicedesk/internal/model"
	"servicedesk/internal/store"
)

// syncTeamFiles brings the cached copy of a project's team folder
// (model.TeamDir) up to date: one listing, then only the files whose blob
// changed are read.
func (s *Service) syncTeamFiles(ctx context.Context, c *gitlab.Client, p model.Project) error {
	files, err := c.ListFiles(ctx, p, model.TeamDir)
	if err != nil {
		return err
	}
	cached, err := s.store.RepoFiles(ctx, p.ID)
	if err != nil {
		return err
	}
	have := make(map[string]string, len(cached))
	for _, f := range cached {
		have[f.Path] = f.BlobID
	}
	keep := make([]string, 0, len(files))
	var changed []store.RepoFile
	for _, f := range files {
		keep = append(keep, f.Path)
		if have[f.Path] == f.BlobID {
			continue
		}
		rf, err := c.ReadFile(ctx, p, f.Path)
		if err != nil {
			return err
		}
		changed = append(changed, store.RepoFile{ProjectID: p.ID, Path: f.Path, BlobID: f.BlobID, Content: rf.Content})
	}
	if len(changed) == 0 && len(keep) == len(cached) {
		return nil
	}
	return s.store.SetRepoFiles(ctx, p.ID, keep, changed)
}

// teamTemplatesDir holds the shared reply templates, one Markdown file each.
const teamTemplatesDir = model.TeamDir + "/templates/"

// sharedTemplates are the reply templates of every project's team folder,
// each checked: a file with an unknown variable is listed with its problem.
func (s *Service) sharedTemplates(ctx context.Context) ([]model.Template, error) {
	files, err := s.store.RepoFiles(ctx, 0)
	if err != nil {
		return nil, err
	}
	var out []model.Template
	for _, f := range files {
		if !strings.HasPrefix(f.Path, teamTemplatesDir) || path.Ext(f.Path) != ".md" {
			continue
		}
		t := model.Template{Name: templateName(f.Path), Body: strings.TrimSpace(string(f.Content)), ProjectID: f.ProjectID, Path: f.Path}
		if err := compose.Check(t.Body); err != nil {
			t.Problem = fmt.Sprintf("%s: %v", f.Path, err)
		} else if t.Body == "" {
			t.Problem = f.Path + ": the file is empty"
		}
		out = append(out, t)
	}
	return out, nil
}

// templateName names a shared template after its file:
// "templates/refund-approved.md" is "Refund approved".
func templateName(p string) string {
	name := strings.TrimSuffix(path.Base(p), path.Ext(p))
	name = strings.Map(func(r rune) rune {
		if r == '-' || r == '_' {
			return ' '
		}
		return r
	}, name)
	r := []rune(strings.TrimSpace(name))
	if len(r) == 0 {
		return p
	}
	r[0] = unicode.ToUpper(r[0])
	return string(r)
}
