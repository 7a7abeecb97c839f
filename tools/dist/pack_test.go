package main

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

var testTime = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)

// fixtureDir holds what the tests build once for all; TestMain removes it.
var fixtureDir string

func TestMain(m *testing.M) {
	code := m.Run()
	if fixtureDir != "" {
		os.RemoveAll(fixtureDir)
	}
	os.Exit(code)
}

// buildCgoHello builds testdata/cgohello once: an amd64 Linux program that
// links libc, like the app links WebKitGTK.
var buildCgoHello = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "dist-test-")
	if err != nil {
		return "", err
	}
	fixtureDir = dir
	bin := filepath.Join(dir, "servicedesk")
	cmd := exec.Command("go", "build", "-o", bin, "./testdata/cgohello")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=1", "GOOS=linux", "GOARCH=amd64")
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("build the cgo fixture: %v\n%s", err, out)
	}
	return bin, nil
})

func cgoBinary(t *testing.T) string {
	t.Helper()
	if _, err := exec.LookPath("gcc"); err != nil {
		t.Skip("no C compiler: the packaging tests need a cgo binary")
	}
	bin, err := buildCgoHello()
	if err != nil {
		t.Fatal(err)
	}
	return bin
}

func testVersion(t *testing.T) Version {
	t.Helper()
	v, err := ParseVersion("v1.4.0-3-gabc1234", 0)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// iconFiles lists build/linux's icons as the package places them.
func iconFiles(t *testing.T) []string {
	t.Helper()
	var out []string
	for _, size := range []string{"16x16", "24x24", "32x32", "48x48", "64x64", "128x128", "256x256", "512x512"} {
		out = append(out, "share/icons/hicolor/"+size+"/apps/servicedesk.png")
	}
	return append(out, "share/icons/hicolor/scalable/apps/servicedesk.svg")
}

func TestDeb(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("dpkg-deb"); err != nil {
		t.Skip("dpkg-deb not installed: the .deb is read back with it")
	}
	p, err := readProject("../../wails.json")
	if err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	path, err := buildDeb(debSpec{Binary: cgoBinary(t), Assets: "../../build/linux", Project: p, Version: testVersion(t), MTime: testTime, Out: out})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := filepath.Base(path), "servicedesk_1.4.0+git3.gabc1234_amd64.deb"; got != want {
		t.Errorf("file %s, want %s", got, want)
	}
	field := func(name string) string {
		b, err := exec.Command("dpkg-deb", "--field", path, name).Output()
		if err != nil {
			t.Fatalf("dpkg-deb --field %s: %v", name, err)
		}
		return strings.TrimSpace(string(b))
	}
	for name, want := range map[string]string{"Package": "servicedesk", "Version": "1.4.0+git3.gabc1234", "Architecture": "amd64"} {
		if got := field(name); got != want {
			t.Errorf("%s: %q, want %q", name, got, want)
		}
	}
	// The fixture links only libc: its Depends is libc6 with the glibc it needs.
	if got := field("Depends"); !strings.HasPrefix(got, "libc6 (>= 2.") || strings.Contains(got, "-dev") {
		t.Errorf("Depends: %q", got)
	}

	listing, err := exec.Command("dpkg-deb", "--contents", path).Output()
	if err != nil {
		t.Fatal(err)
	}
	want := append([]string{"bin/servicedesk", "share/applications/servicedesk.desktop"}, iconFiles(t)...)
	for _, f := range want {
		line := lineEnding(string(listing), " ./usr/"+f)
		if line == "" {
			t.Errorf("the package lacks /usr/%s", f)
			continue
		}
		mode := "-rw-r--r--"
		if f == "bin/servicedesk" {
			mode = "-rwxr-xr-x"
		}
		if !strings.HasPrefix(line, mode+" root/root") {
			t.Errorf("/usr/%s: %q, want %s root/root", f, line, mode)
		}
	}
}

// lineEnding returns the line of text that ends with suffix.
func lineEnding(text, suffix string) string {
	for _, l := range strings.Split(text, "\n") {
		if strings.HasSuffix(l, suffix) {
			return l
		}
	}
	return ""
}

func TestDebDependsRefusesAnUnknownLibrary(t *testing.T) {
	t.Parallel()
	// ls links libselinux (or at least libc with something else on most
	// systems); any library the table does not know must stop the build.
	bin, err := exec.LookPath("ls")
	if err != nil {
		t.Skip("no ls")
	}
	if _, err := debDepends(bin); err == nil || !strings.Contains(err.Error(), "runtimeDepends") {
		t.Errorf("debDepends(%s) = %v, want an error naming runtimeDepends", bin, err)
	}
}

func TestLayoutRefusesAWindowsBinary(t *testing.T) {
	t.Parallel()
	exe := filepath.Join(t.TempDir(), "servicedesk.exe")
	if err := os.WriteFile(exe, []byte("MZ\x90\x00"), 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := linuxLayout(exe, "../../build/linux"); err == nil {
		t.Error("a non-ELF file was accepted as the Linux binary")
	}
}

func TestTarball(t *testing.T) {
	t.Parallel()
	bin := cgoBinary(t)
	path, err := buildTarball(bin, "../../build/linux", testVersion(t), testTime, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	root := "servicedesk-v1.4.0-3-gabc1234-linux-amd64"
	if filepath.Base(path) != root+".tar.gz" {
		t.Errorf("file %s", filepath.Base(path))
	}
	entries := readTarball(t, path)
	seen := map[string]bool{}
	for _, e := range entries {
		if e.Uid != 0 || e.Uname != "root" || !e.ModTime.Equal(testTime) {
			t.Errorf("%s: owner %d/%s, time %v", e.Name, e.Uid, e.Uname, e.ModTime)
		}
		if dir := filepath.Dir(strings.TrimSuffix(e.Name, "/")); dir != "." && !seen[dir+"/"] {
			t.Errorf("%s comes before its folder", e.Name)
		}
		seen[e.Name] = true
	}
	want := append([]string{"bin/servicedesk", "share/applications/servicedesk.desktop"}, iconFiles(t)...)
	for _, f := range want {
		if !seen[root+"/"+f] {
			t.Errorf("the archive lacks %s/%s", root, f)
		}
	}
	binEntry := entries[slices.IndexFunc(entries, func(h tarEntry) bool { return h.Name == root+"/bin/servicedesk" })]
	if binEntry.Mode != 0o755 || !bytes.Equal(binEntry.body, mustRead(t, bin)) {
		t.Errorf("bin/servicedesk: mode %o, %d bytes: not the binary", binEntry.Mode, len(binEntry.body))
	}
}

type tarEntry struct {
	tar.Header
	body []byte
}

func readTarball(t *testing.T, path string) []tarEntry {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(gz)
	var out []tarEntry
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(tr)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, tarEntry{Header: *h, body: body})
	}
}

func TestSums(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	files := map[string]string{"b.deb": "deb", "a.exe": "exe", "sub/c.dmg": "dmg", sumsFile: "stale"}
	for name, body := range files {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := writeSums(dir); err != nil {
		t.Fatal(err)
	}
	got := string(mustRead(t, filepath.Join(dir, sumsFile)))
	var names []string
	for _, l := range strings.Split(strings.TrimSpace(got), "\n") {
		sum, name, ok := strings.Cut(l, "  ")
		if !ok || len(sum) != 64 {
			t.Fatalf("line %q is not sha256sum's format", l)
		}
		names = append(names, name)
	}
	if w := []string{"a.exe", "b.deb", "sub/c.dmg"}; !slices.Equal(names, w) {
		t.Errorf("names %v, want %v", names, w)
	}
	if _, err := exec.LookPath("sha256sum"); err == nil {
		check := func() ([]byte, error) {
			cmd := exec.Command("sha256sum", "--check", "--strict", sumsFile)
			cmd.Dir = dir
			return cmd.CombinedOutput()
		}
		if out, err := check(); err != nil {
			t.Errorf("sha256sum --check: %v\n%s", err, out)
		}
		if err := os.WriteFile(filepath.Join(dir, "a.exe"), []byte("changed"), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := check(); err == nil {
			t.Error("sha256sum --check passed on a changed file")
		}
	}
	if err := writeSums(t.TempDir()); err == nil {
		t.Error("an empty folder got a SHA256SUMS")
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
