package winpe

import (
	"bytes"
	"debug/pe"
	"encoding/binary"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf16"
)

// bootstrapper is a real, Microsoft-built executable that ships inside the
// Wails module (the WebView2 bootstrapper its NSIS installers carry).
func bootstrapper(t *testing.T) string {
	t.Helper()
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/wailsapp/wails/v2").Output()
	if err != nil {
		t.Fatalf("find the Wails module: %v", err)
	}
	return filepath.Join(strings.TrimSpace(string(out)), "internal", "webview2runtime", "MicrosoftEdgeWebview2Setup.exe")
}

func TestReadMicrosoftExecutable(t *testing.T) {
	t.Parallel()
	f, err := Read(bootstrapper(t))
	if err != nil {
		t.Fatal(err)
	}
	if f.Machine != pe.IMAGE_FILE_MACHINE_I386 || f.PE32Plus {
		t.Errorf("machine %#x, PE32+ %v: want a 32-bit x86 image", f.Machine, f.PE32Plus)
	}
	if f.Subsystem != pe.IMAGE_SUBSYSTEM_WINDOWS_GUI {
		t.Errorf("subsystem %d, want GUI", f.Subsystem)
	}

	versions := f.Find(TypeVersion)
	if len(versions) != 1 {
		t.Fatalf("%d version resources, want 1", len(versions))
	}
	v, err := ParseVersionInfo(versions[0].Data)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := v.String("CompanyName"); got != "Microsoft Corporation" {
		t.Errorf("CompanyName %q", got)
	}
	// The fixed version and the FileVersion string say the same thing.
	if got, _ := v.String("FileVersion"); !strings.HasPrefix(got, FormatVersion(v.FileVersion)[:3]) {
		t.Errorf("FileVersion string %q, fixed %s", got, FormatVersion(v.FileVersion))
	}

	groups := f.Find(TypeGroupIcon)
	if len(groups) == 0 {
		t.Fatal("no icon group")
	}
	imgs, err := IconGroup(groups[0].Data)
	if err != nil {
		t.Fatal(err)
	}
	for _, img := range imgs {
		icon, ok := f.Icon(img.ID)
		if !ok {
			t.Errorf("the icon group names RT_ICON %d, which is missing", img.ID)
			continue
		}
		if len(icon.Data) == 0 {
			t.Errorf("RT_ICON %d is empty", img.ID)
		}
	}
}

func TestReadRejectsWhatIsNotAnExecutable(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for name, body := range map[string][]byte{
		"empty":  nil,
		"text":   []byte("MZ but nothing else"),
		"an ico": mustRead(t, "../../build/windows/icon.ico"),
	} {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, body, 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := Read(path); err == nil {
			t.Errorf("%s: read as a PE file", name)
		}
	}
}

func TestParseICO(t *testing.T) {
	t.Parallel()
	imgs, err := ReadICO("../../build/windows/icon.ico")
	if err != nil {
		t.Fatal(err)
	}
	var sizes []int
	for _, img := range imgs {
		sizes = append(sizes, img.Width)
		if img.Width != img.Height {
			t.Errorf("a %dx%d image", img.Width, img.Height)
		}
	}
	// build/README.md: 16 to 256, the 256 one stored as PNG.
	if want := []int{16, 24, 32, 48, 64, 128, 256}; !slices.Equal(sizes, want) {
		t.Errorf("sizes %v, want %v", sizes, want)
	}
	if last := imgs[len(imgs)-1]; !bytes.HasPrefix(last.Data, []byte("\x89PNG")) {
		t.Errorf("the 256 px image is not a PNG")
	}

	if _, err := ParseICO(mustRead(t, "../../build/appicon.png")); err == nil {
		t.Error("a PNG parsed as an .ico")
	}
}

func TestParseVersionInfoRejectsBrokenData(t *testing.T) {
	t.Parallel()
	good := versionResource(t, "VS_VERSION_INFO", true)
	v, err := ParseVersionInfo(good)
	if err != nil {
		t.Fatalf("the well-formed resource: %v", err)
	}
	if got := FormatVersion(v.FileVersion); got != "1.2.3.4" {
		t.Errorf("fixed file version %s, want 1.2.3.4", got)
	}
	if got, ok := v.String("ProductVersion"); got != "1.2.3.4" {
		t.Errorf("ProductVersion string %q (found %v), want 1.2.3.4", got, ok)
	}
	for name, data := range map[string][]byte{
		"empty":         nil,
		"truncated":     good[:len(good)/2],
		"another key":   versionResource(t, "VS_VERSION_INFX", true),
		"no fixed info": versionResource(t, "VS_VERSION_INFO", false),
	} {
		if _, err := ParseVersionInfo(data); err == nil {
			t.Errorf("%s: parsed", name)
		}
	}
}

// versionResource builds a minimal VS_VERSION_INFO with one string.
func versionResource(t *testing.T, key string, fixed bool) []byte {
	t.Helper()
	var value []byte
	if fixed {
		value = make([]byte, 52)
		binary.LittleEndian.PutUint32(value, fixedSignature)
		binary.LittleEndian.PutUint32(value[8:], 1<<16|2)
		binary.LittleEndian.PutUint32(value[12:], 3<<16|4)
	}
	str := block("ProductVersion", utf16Bytes("1.2.3.4\x00"), true, nil)
	table := block("040904b0", nil, true, str)
	sfi := block("StringFileInfo", nil, true, table)
	return block(key, value, false, sfi)
}

func block(key string, value []byte, text bool, children []byte) []byte {
	var b bytes.Buffer
	b.Write(make([]byte, 6))
	b.Write(utf16Bytes(key + "\x00"))
	pad(&b)
	b.Write(value)
	pad(&b)
	b.Write(children)
	out := b.Bytes()
	binary.LittleEndian.PutUint16(out, uint16(len(out)))
	valueLen := len(value)
	typ := uint16(0)
	if text {
		valueLen /= 2
		typ = 1
	}
	binary.LittleEndian.PutUint16(out[2:], uint16(valueLen))
	binary.LittleEndian.PutUint16(out[4:], typ)
	return out
}

func pad(b *bytes.Buffer) {
	for b.Len()%4 != 0 {
		b.WriteByte(0)
	}
}

func utf16Bytes(s string) []byte {
	var out []byte
	for _, u := range utf16.Encode([]rune(s)) {
		out = binary.LittleEndian.AppendUint16(out, u)
	}
	return out
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func FuzzParseVersionInfo(f *testing.F) {
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		_, _ = ParseVersionInfo(data) // must not panic
	})
}

func FuzzIcons(f *testing.F) {
	f.Add([]byte{0, 0, 1, 0, 1, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		_, _ = ParseICO(data)
		_, _ = IconGroup(data)
	})
}
