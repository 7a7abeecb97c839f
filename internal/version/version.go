// Package version holds the build's version: git describe of the commit it
// was built from, set by the Makefile and the packaging scripts with
// -ldflags "-X servicedesk/internal/version.Version=...". The command line
// (--version), the About dialog and the packages read it from here.
package version

// Version is "dev" in a build that did not set it.
var Version = "dev"
