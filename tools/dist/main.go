// Command dist makes the release artefacts of `make dist` that Wails does
// not: it stages a copy of the work tree for Wails to build in and stamps
// the version from git describe into it, packs the Linux binary into a .deb
// (with nfpm) and a .tar.gz, and writes SHA256SUMS. Building the binaries
// and the Windows installer is left to Wails and makensis (.ci/dist.sh
// runs them); checking the artefacts is left to this package's tests and
// .ci/test-dist.sh (make test-dist).
//
//	dist stage   -repo . -dir STAGE -describe D -commits N
//	dist deb     -bin BIN -assets build/linux -project wails.json -describe D -commits N -mtime UNIX -out dist
//	dist tarball -bin BIN -assets build/linux -describe D -commits N -mtime UNIX -out dist
//	dist sums    -out dist
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "dist:", err)
		os.Exit(1)
	}
}

// options are the flags of every subcommand; each reads the ones it needs.
type options struct {
	repo, dir, bin, assets, project, out string
	describe                             string
	commits                              int
	mtime                                int64
}

func parse(cmd string, args []string) (options, error) {
	var o options
	fs := flag.NewFlagSet("dist "+cmd, flag.ContinueOnError)
	fs.StringVar(&o.repo, "repo", ".", "the work tree to stage")
	fs.StringVar(&o.dir, "dir", "", "the staged copy Wails builds in")
	fs.StringVar(&o.bin, "bin", "", "the Linux amd64 binary")
	fs.StringVar(&o.assets, "assets", "build/linux", "the .desktop file and icons/hicolor")
	fs.StringVar(&o.project, "project", "wails.json", "the Wails project file (names, description)")
	fs.StringVar(&o.out, "out", "dist", "the folder the artefacts go to")
	fs.StringVar(&o.describe, "describe", "", "what `git describe --tags --always --dirty` printed")
	fs.IntVar(&o.commits, "commits", 0, "`git rev-list --count HEAD`: numbers a build with no tag")
	fs.Int64Var(&o.mtime, "mtime", 0, "the time of every packed file, in Unix seconds (the commit's)")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("dist %s: unexpected %q", cmd, fs.Arg(0))
	}
	return o, nil
}

func (o options) version() (Version, error) {
	if o.describe == "" {
		return Version{}, errors.New("-describe is required")
	}
	return ParseVersion(o.describe, o.commits)
}

func (o options) modTime() (time.Time, error) {
	if o.mtime <= 0 {
		return time.Time{}, errors.New("-mtime is required (the commit's time: git log -1 --format=%ct)")
	}
	return time.Unix(o.mtime, 0).UTC(), nil
}

func run(args []string, stdout io.Writer) error {
	if len(args) == 0 {
		return errors.New("usage: dist stage|deb|tarball|sums [flags]")
	}
	cmd := args[0]
	o, err := parse(cmd, args[1:])
	if err != nil {
		return err
	}
	switch cmd {
	case "stage":
		return o.stage(stdout)
	case "deb", "tarball":
		return o.pack(cmd, stdout)
	case "sums":
		return writeSums(o.out)
	}
	return fmt.Errorf("unknown subcommand %q (stage, deb, tarball, sums)", cmd)
}

func (o options) stage(stdout io.Writer) error {
	v, err := o.version()
	if err != nil {
		return err
	}
	if o.dir == "" {
		return errors.New("-dir is required")
	}
	if err := stageTree(o.repo, o.dir); err != nil {
		return err
	}
	if err := stampVersion(o.dir, v); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "staged %s: version %s (Windows %s, Debian %s)\n", o.dir, v.Describe, v.Windows(), v.Debian())
	return nil
}

func (o options) pack(kind string, stdout io.Writer) error {
	v, err := o.version()
	if err != nil {
		return err
	}
	mtime, err := o.modTime()
	if err != nil {
		return err
	}
	if o.bin == "" {
		return errors.New("-bin is required")
	}
	var path string
	if kind == "deb" {
		p, err := readProject(o.project)
		if err != nil {
			return err
		}
		path, err = buildDeb(debSpec{Binary: o.bin, Assets: o.assets, Project: p, Version: v, MTime: mtime, Out: o.out})
		if err != nil {
			return err
		}
	} else if path, err = buildTarball(o.bin, o.assets, v, mtime, o.out); err != nil {
		return err
	}
	fmt.Fprintln(stdout, path)
	return nil
}
