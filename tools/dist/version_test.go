package main

import (
	"os/exec"
	"testing"
)

func TestParseVersion(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		describe string
		commits  int
		numeric  string
		windows  string
		debian   string
	}{
		{"v1.2.3", 99, "1.2.3", "1.2.3.0", "1.2.3"},
		{"1.2.3", 99, "1.2.3", "1.2.3.0", "1.2.3"},
		{"v1.2.3-dirty", 99, "1.2.3", "1.2.3.0", "1.2.3+dirty"},
		{"v1.2.3-4-gabc1234", 99, "1.2.3", "1.2.3.4", "1.2.3+git4.gabc1234"},
		{"v1.2.3-4-gabc1234-dirty", 99, "1.2.3", "1.2.3.4", "1.2.3+git4.gabc1234.dirty"},
		{"v2.0.0-rc.1", 99, "2.0.0", "2.0.0.0", "2.0.0~rc.1"},
		{"v2.0.0-rc.1-7-gdeadbeef", 99, "2.0.0", "2.0.0.7", "2.0.0~rc.1+git7.gdeadbeef"},
		{"f320356", 312, "0.0.0", "0.0.0.312", "0.0.0+git312.gf320356"},
		{"f320356-dirty", 312, "0.0.0", "0.0.0.312", "0.0.0+git312.gf320356.dirty"},
		{"f320356", 70000, "0.0.0", "0.0.0.65535", "0.0.0+git70000.gf320356"},
	} {
		t.Run(tc.describe, func(t *testing.T) {
			v, err := ParseVersion(tc.describe, tc.commits)
			if err != nil {
				t.Fatal(err)
			}
			if v.Describe != tc.describe {
				t.Errorf("Describe %q", v.Describe)
			}
			if got := v.Numeric(); got != tc.numeric {
				t.Errorf("Numeric %q, want %q", got, tc.numeric)
			}
			if got := v.Windows(); got != tc.windows {
				t.Errorf("Windows %q, want %q", got, tc.windows)
			}
			if got := v.Debian(); got != tc.debian {
				t.Errorf("Debian %q, want %q", got, tc.debian)
			}
		})
	}
}

func TestParseVersionRefuses(t *testing.T) {
	t.Parallel()
	for _, describe := range []string{"", "dev", "release-5", "v1.2", "v1.2.3.4", "v70000.0.0", "xyz1234", "v1.2.3-4-gnothex"} {
		if v, err := ParseVersion(describe, 1); err == nil {
			t.Errorf("%q parsed as %+v", describe, v)
		}
	}
}

// Debian versions must sort as releases do: dpkg says which is newer.
func TestDebianVersionsSortLikeReleases(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("dpkg"); err != nil {
		t.Skip("dpkg not installed: the order is checked on Debian")
	}
	ordered := []string{"f320356", "v0.9.0", "v1.0.0-rc.1", "v1.0.0-rc.1-3-gabc1234", "v1.0.0", "v1.0.0-2-gabc1234", "v1.0.0-10-gdef5678", "v1.0.1"}
	var prev string
	for _, d := range ordered {
		v, err := ParseVersion(d, 5)
		if err != nil {
			t.Fatal(err)
		}
		cur := v.Debian()
		if prev != "" {
			if err := exec.Command("dpkg", "--compare-versions", prev, "lt", cur).Run(); err != nil {
				t.Errorf("dpkg does not sort %s before %s", prev, cur)
			}
		}
		prev = cur
	}
}
