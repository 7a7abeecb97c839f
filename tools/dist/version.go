package main

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// Version is a build's version as `git describe --tags --always --dirty`
// names it, with the numeric forms that package formats insist on.
type Version struct {
	Describe            string // v1.2.3-4-gabc1234-dirty, or abc1234 with no tag
	Major, Minor, Patch int
	Pre                 string // the tag's semver pre-release: rc.1 in v1.2.3-rc.1
	Commits             int    // since the tag; with no tag, every commit
	Hash                string // the abbreviated commit, when not exactly on a tag
	Dirty               bool   // the work tree had changes
	Tagged              bool
}

var (
	taggedRe   = regexp.MustCompile(`^v?(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z][0-9A-Za-z.]*?))?(?:-(\d+)-g([0-9a-f]{4,40}))?$`)
	untaggedRe = regexp.MustCompile(`^[0-9a-f]{4,40}$`)
)

// ParseVersion reads what git describe printed. With no tag, describe is
// only the commit, and commits (git rev-list --count HEAD) numbers the build.
func ParseVersion(describe string, commits int) (Version, error) {
	v := Version{Describe: describe}
	// Cut -dirty first: the pattern would take it for a pre-release.
	clean, dirty := strings.CutSuffix(describe, "-dirty")
	v.Dirty = dirty
	if untaggedRe.MatchString(clean) {
		v.Hash, v.Commits = clean, commits
		return v, v.check()
	}
	m := taggedRe.FindStringSubmatch(clean)
	if m == nil {
		return Version{}, fmt.Errorf("version %q is neither a vMAJOR.MINOR.PATCH tag nor a commit: tag releases like v1.2.3", describe)
	}
	v.Tagged = true
	v.Major, _ = strconv.Atoi(m[1])
	v.Minor, _ = strconv.Atoi(m[2])
	v.Patch, _ = strconv.Atoi(m[3])
	v.Pre = m[4]
	if m[5] != "" {
		v.Commits, _ = strconv.Atoi(m[5])
		v.Hash = m[6]
	}
	return v, v.check()
}

// check refuses numbers a Windows version resource cannot hold (16 bits each).
func (v Version) check() error {
	for _, n := range []int{v.Major, v.Minor, v.Patch} {
		if n > 65535 {
			return fmt.Errorf("version %q: %d does not fit a Windows version (at most 65535)", v.Describe, n)
		}
	}
	if v.Commits < 0 {
		return fmt.Errorf("version %q: %d commits", v.Describe, v.Commits)
	}
	return nil
}

// Numeric is MAJOR.MINOR.PATCH (0.0.0 with no tag): Wails' productVersion,
// which its templates put in the Windows manifest (with .0), the installer
// and Info.plist.
func (v Version) Numeric() string {
	return fmt.Sprintf("%d.%d.%d", v.Major, v.Minor, v.Patch)
}

// Windows is the four-part file version: the build number is the count of
// commits since the tag, so two builds between releases differ.
func (v Version) Windows() string {
	return fmt.Sprintf("%s.%d", v.Numeric(), min(v.Commits, 65535))
}

// Debian is the package version. A pre-release sorts before its release
// (~rc.1); a build after a tag, or with no tag, sorts after it and in
// commit order (+git4.gabc1234), so dpkg upgrades rather than downgrades.
func (v Version) Debian() string {
	s := v.Numeric()
	if v.Pre != "" {
		s += "~" + v.Pre
	}
	var meta []string
	if !v.Tagged || v.Commits > 0 {
		meta = append(meta, fmt.Sprintf("git%d", v.Commits), "g"+v.Hash)
	}
	if v.Dirty {
		meta = append(meta, "dirty")
	}
	if len(meta) > 0 {
		s += "+" + strings.Join(meta, ".")
	}
	return s
}
