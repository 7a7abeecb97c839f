package main

import (
	"bytes"
	"crypto/sha256"
	"debug/pe"
	"encoding/xml"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"servicedesk/tools/winpe"
)

// The Windows artefacts of `make dist`, checked as Windows would read them.
// .ci/test-dist.sh runs these with SERVICEDESK_DIST (the dist folder),
// SERVICEDESK_DIST_VERSION (what git describe said, as the Linux binary
// reports it) and SERVICEDESK_DIST_COMMITS; without them they skip, so
// `go test ./...` needs no dist/.

type distEnv struct {
	dir     string
	version Version
}

func distArtefacts(t *testing.T) distEnv {
	t.Helper()
	dir := os.Getenv("SERVICEDESK_DIST")
	if dir == "" {
		t.Skip("SERVICEDESK_DIST is not set: make test-dist checks the built artefacts")
	}
	commits, err := strconv.Atoi(os.Getenv("SERVICEDESK_DIST_COMMITS"))
	if err != nil {
		t.Fatalf("SERVICEDESK_DIST_COMMITS: %v", err)
	}
	v, err := ParseVersion(os.Getenv("SERVICEDESK_DIST_VERSION"), commits)
	if err != nil {
		t.Fatalf("SERVICEDESK_DIST_VERSION: %v", err)
	}
	return distEnv{dir: dir, version: v}
}

func readPE(t *testing.T, path string) *winpe.File {
	t.Helper()
	f, err := winpe.Read(path)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func TestWindowsExe(t *testing.T) {
	d := distArtefacts(t)
	f := readPE(t, filepath.Join(d.dir, "servicedesk.exe"))
	if f.Machine != pe.IMAGE_FILE_MACHINE_AMD64 || !f.PE32Plus {
		t.Errorf("machine %#x, PE32+ %v: want an amd64 PE32+ image", f.Machine, f.PE32Plus)
	}
	if f.Subsystem != pe.IMAGE_SUBSYSTEM_WINDOWS_GUI {
		t.Errorf("subsystem %d: want GUI (2), or a console window opens beside the app", f.Subsystem)
	}
	checkIcon(t, f, true)

	v := versionInfo(t, f)
	want := d.version
	if got := winpe.FormatVersion(v.FileVersion); got != want.Windows() {
		t.Errorf("file version %s, want %s", got, want.Windows())
	}
	if got := winpe.FormatVersion(v.ProductVersion); got != want.Numeric()+".0" {
		t.Errorf("product version %s, want %s.0", got, want.Numeric())
	}
	p, err := readProject("../../wails.json")
	if err != nil {
		t.Fatal(err)
	}
	checkStrings(t, v, map[string]string{
		"ProductVersion":   want.Describe,
		"FileVersion":      want.Windows(),
		"ProductName":      p.Info.ProductName,
		"FileDescription":  p.Info.ProductName,
		"CompanyName":      p.Info.CompanyName,
		"OriginalFilename": "servicedesk.exe",
	})
	checkManifest(t, f, want)
}

func TestWindowsInstaller(t *testing.T) {
	d := distArtefacts(t)
	path := filepath.Join(d.dir, fmt.Sprintf("servicedesk-%s-windows-amd64-installer.exe", d.version.Describe))
	f := readPE(t, path)
	// NSIS installers are 32-bit x86 programs that run on every Windows.
	if f.Machine != pe.IMAGE_FILE_MACHINE_I386 || f.Subsystem != pe.IMAGE_SUBSYSTEM_WINDOWS_GUI {
		t.Errorf("machine %#x, subsystem %d: want an x86 GUI program", f.Machine, f.Subsystem)
	}
	checkIcon(t, f, false)
	v := versionInfo(t, f)
	if got := winpe.FormatVersion(v.FileVersion); got != d.version.Numeric()+".0" {
		t.Errorf("file version %s, want %s.0", got, d.version.Numeric())
	}
	checkStrings(t, v, map[string]string{
		"ProductVersion":  d.version.Numeric(),
		"FileDescription": "Service Desk Installer",
		"ProductName":     "Service Desk",
	})

	files := installerFiles(t, path)
	for _, name := range []string{"servicedesk.exe", "uninstall.exe", "$PLUGINSDIR/webview2bootstrapper/MicrosoftEdgeWebview2Setup.exe"} {
		if _, ok := files[name]; !ok {
			t.Errorf("the installer does not carry %s; it has %v", name, keys(files))
		}
	}
	// It installs exactly the .exe that dist/ ships, and Microsoft's own
	// WebView2 bootstrapper (the one in the Wails module), byte for byte.
	if got, want := extract(t, path, "servicedesk.exe"), sha256Of(t, filepath.Join(d.dir, "servicedesk.exe")); got != want {
		t.Errorf("the installer's servicedesk.exe (sha256 %s) is not dist/servicedesk.exe (%s)", got, want)
	}
	boot := extract(t, path, "$PLUGINSDIR/webview2bootstrapper/MicrosoftEdgeWebview2Setup.exe")
	if want := sha256Of(t, wailsBootstrapper(t)); boot != want {
		t.Errorf("the WebView2 bootstrapper (sha256 %s) is not Wails' copy (%s)", boot, want)
	}
}

// checkIcon checks that the first icon group, the one Explorer shows, is
// build/windows/icon.ico: each image it names holds the bytes of an image
// of the .ico, of the same size. all: every size of the .ico is there.
func checkIcon(t *testing.T, f *winpe.File, all bool) {
	t.Helper()
	ico, err := winpe.ReadICO("../../build/windows/icon.ico")
	if err != nil {
		t.Fatal(err)
	}
	groups := f.Find(winpe.TypeGroupIcon)
	if len(groups) == 0 {
		t.Error("no icon group: Explorer shows a blank program icon")
		return
	}
	imgs, err := winpe.IconGroup(groups[0].Data)
	if err != nil {
		t.Error(err)
		return
	}
	found := map[int]bool{}
	for _, img := range imgs {
		res, ok := f.Icon(img.ID)
		if !ok {
			t.Errorf("the icon group names RT_ICON %d, which is missing", img.ID)
			continue
		}
		match := false
		for _, want := range ico {
			if want.Width == img.Width && bytes.Equal(want.Data, res.Data) {
				match = true
			}
		}
		if !match {
			t.Errorf("the %d px icon is not the one in build/windows/icon.ico", img.Width)
		}
		found[img.Width] = true
	}
	for _, want := range ico {
		if all && !found[want.Width] {
			t.Errorf("the icon lacks the %d px image", want.Width)
		}
	}
	if !found[256] || !found[16] {
		t.Errorf("icon sizes %v: want 16 and 256 px at least", found)
	}
}

func versionInfo(t *testing.T, f *winpe.File) winpe.VersionInfo {
	t.Helper()
	res := f.Find(winpe.TypeVersion)
	if len(res) != 1 {
		t.Fatalf("%d version resources, want 1", len(res))
	}
	v, err := winpe.ParseVersionInfo(res[0].Data)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func checkStrings(t *testing.T, v winpe.VersionInfo, want map[string]string) {
	t.Helper()
	for key, w := range want {
		if got, ok := v.String(key); got != w {
			t.Errorf("version string %s: %q (present %v), want %q", key, got, ok, w)
		}
	}
}

// checkManifest: the project's manifest (build/windows/wails.exe.manifest)
// is in the .exe, not Wails' default: its identity, version and the
// per-monitor DPI awareness that keeps text sharp on scaled screens.
func checkManifest(t *testing.T, f *winpe.File, v Version) {
	t.Helper()
	res := f.Find(winpe.TypeManifest)
	if len(res) != 1 {
		t.Fatalf("%d manifests, want 1", len(res))
	}
	var m struct {
		Identity struct {
			Name    string `xml:"name,attr"`
			Version string `xml:"version,attr"`
		} `xml:"assemblyIdentity"`
	}
	if err := xml.Unmarshal(res[0].Data, &m); err != nil {
		t.Fatalf("the manifest: %v", err)
	}
	if m.Identity.Name != "com.servicedesk.desktop" || m.Identity.Version != v.Numeric()+".0" {
		t.Errorf("manifest identity %+v, want com.servicedesk.desktop %s.0", m.Identity, v.Numeric())
	}
	if !bytes.Contains(res[0].Data, []byte("permonitorv2")) {
		t.Error("the manifest does not declare per-monitor v2 DPI awareness")
	}
}

// sevenZip is 7-Zip, which reads NSIS installers.
func sevenZip(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"7zz", "7z"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Fatal("7-Zip (7zz) is needed to look inside the installer: apt-get install 7zip (make test-dist installs it)")
	return ""
}

// installerFiles lists what the installer unpacks, by path.
func installerFiles(t *testing.T, path string) map[string]bool {
	t.Helper()
	out, err := exec.Command(sevenZip(t), "l", "-slt", path).Output()
	if err != nil {
		t.Fatalf("7-Zip cannot list %s: %v", path, err)
	}
	files := map[string]bool{}
	for _, line := range strings.Split(string(out), "\n") {
		if name, ok := strings.CutPrefix(strings.TrimSpace(line), "Path = "); ok && name != path {
			files[filepath.ToSlash(name)] = true
		}
	}
	return files
}

// extract returns the sha256 of one file inside the installer.
func extract(t *testing.T, installer, name string) string {
	t.Helper()
	out, err := exec.Command(sevenZip(t), "e", "-so", installer, name).Output()
	if err != nil || len(out) == 0 {
		t.Fatalf("extract %s from the installer: %v", name, err)
	}
	return fmt.Sprintf("%x", sha256.Sum256(out))
}

func sha256Of(t *testing.T, path string) string {
	t.Helper()
	return fmt.Sprintf("%x", sha256.Sum256(mustRead(t, path)))
}

func wailsBootstrapper(t *testing.T) string {
	t.Helper()
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/wailsapp/wails/v2").Output()
	if err != nil {
		t.Fatalf("find the Wails module: %v", err)
	}
	return filepath.Join(strings.TrimSpace(string(out)), "internal", "webview2runtime", "MicrosoftEdgeWebview2Setup.exe")
}

func keys(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
