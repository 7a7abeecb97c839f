package gitlab

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"

	gl "gitlab.com/gitlab-org/api/client-go"

	"servicedesk/internal/model"
)

// RepoFile is one file of a project's repository on its default branch.
type RepoFile struct {
	Path    string
	BlobID  string // git's object id: it changes when the content does
	Content []byte // filled in by ReadFile
}

// ListFiles lists the files under dir in the project's default branch,
// every level down, with their blob ids. A folder that does not exist is
// an empty list, not an error.
func (c *Client) ListFiles(ctx context.Context, p model.Project, dir string) ([]RepoFile, error) {
	recursive := true
	opt := &gl.ListTreeOptions{ListOptions: gl.ListOptions{PerPage: perPage, Page: 1}, Path: &dir, Recursive: &recursive}
	var out []RepoFile
	for {
		nodes, resp, err := c.api.Repositories.ListTree(p.GitLabID, opt, gl.WithContext(ctx))
		if resp != nil && resp.StatusCode == http.StatusNotFound {
			return nil, nil // no such folder (or an empty repository)
		}
		if err != nil {
			return nil, c.explain(err, "list "+dir+" in the repository of "+p.Path)
		}
		for _, n := range nodes {
			if n.Type == "blob" {
				out = append(out, RepoFile{Path: n.Path, BlobID: n.ID})
			}
		}
		if resp.NextPage == 0 {
			return out, nil
		}
		opt.Page = resp.NextPage
	}
}

// maxRepoFile is the largest team file read: templates and rules are small.
const maxRepoFile = 1 << 20

// ReadFile reads one file of the project's default branch.
func (c *Client) ReadFile(ctx context.Context, p model.Project, path string) (RepoFile, error) {
	ref := "HEAD"
	f, _, err := c.api.RepositoryFiles.GetFile(p.GitLabID, path, &gl.GetFileOptions{Ref: &ref}, gl.WithContext(ctx))
	if err != nil {
		return RepoFile{}, c.explain(err, "read "+path+" in the repository of "+p.Path)
	}
	if f.Size > maxRepoFile {
		return RepoFile{}, fmt.Errorf("%s in %s is %d bytes; files in the team folder may have at most %d", path, p.Path, f.Size, maxRepoFile)
	}
	if f.Encoding != "base64" {
		return RepoFile{}, fmt.Errorf("%s in %s came in the encoding %q; expected base64", path, p.Path, f.Encoding)
	}
	data, err := base64.StdEncoding.DecodeString(f.Content)
	if err != nil {
		return RepoFile{}, errors.Join(fmt.Errorf("%s in %s is not valid base64", path, p.Path), err)
	}
	return RepoFile{Path: f.FilePath, BlobID: f.BlobID, Content: data}, nil
}
