package gitlab

import (
	"context"

	gl "gitlab.com/gitlab-org/api/client-go"

	"servicedesk/internal/model"
)

// Labels reads every label of a project (all pages).
func (c *Client) Labels(ctx context.Context, p model.Project) ([]model.Label, error) {
	opt := &gl.ListLabelsOptions{ListOptions: gl.ListOptions{PerPage: perPage, Page: 1}}
	var out []model.Label
	for {
		ls, resp, err := c.api.Labels.ListLabels(p.GitLabID, opt, gl.WithContext(ctx))
		if err != nil {
			return nil, c.explain(err, "read the labels of "+p.Path)
		}
		for _, l := range ls {
			out = append(out, model.Label{Name: l.Name, Color: l.Color, Description: l.Description})
		}
		if resp.NextPage == 0 {
			return out, nil
		}
		opt.Page = resp.NextPage
	}
}

// Members reads every member of a project, inherited ones included.
func (c *Client) Members(ctx context.Context, p model.Project) ([]model.Member, error) {
	opt := &gl.ListProjectMembersOptions{ListOptions: gl.ListOptions{PerPage: perPage, Page: 1}}
	var out []model.Member
	for {
		ms, resp, err := c.api.ProjectMembers.ListAllProjectMembers(p.GitLabID, opt, gl.WithContext(ctx))
		if err != nil {
			return nil, c.explain(err, "read the members of "+p.Path)
		}
		for _, m := range ms {
			if m.State != "" && m.State != "active" {
				continue
			}
			out = append(out, model.Member{UserID: m.ID, Username: m.Username, Name: m.Name})
		}
		if resp.NextPage == 0 {
			return out, nil
		}
		opt.Page = resp.NextPage
	}
}

// RefreshMeta reads a project's labels and members into the store.
func (s *Syncer) RefreshMeta(ctx context.Context, p model.Project) error {
	labels, err := s.Client.Labels(ctx, p)
	if err != nil {
		return err
	}
	members, err := s.Client.Members(ctx, p)
	if err != nil {
		return err
	}
	return s.Store.SetProjectMeta(ctx, p.ID, labels, members)
}
