package app

import (
	"runtime"

	"servicedesk/internal/version"
)

// AboutDTO is what the About dialog shows: which build this is and where it
// keeps the agent's data, so a support engineer can tell both from a
// screenshot.
type AboutDTO struct {
	Name      string `json:"name"`
	Version   string `json:"version"`    // git describe of the build, as `servicedesk --version` says
	GoVersion string `json:"go_version"` // go1.26.8
	Platform  string `json:"platform"`   // linux/amd64
	DataDir   string `json:"data_dir"`   // the open profile's folder; "" when none is open
	Demo      bool   `json:"demo"`       // the profile is the demo's: a temporary folder, gone when the window closes
	Keychain  string `json:"keychain"`   // where the secrets are kept on this system
}

// About describes this build and where the open profile lives.
func (a *App) About() AboutDTO {
	info := AboutDTO{
		Name:      "Service Desk",
		Version:   version.Version,
		GoVersion: runtime.Version(),
		Platform:  runtime.GOOS + "/" + runtime.GOARCH,
		Keychain:  keychainName(runtime.GOOS),
	}
	a.mu.Lock()
	sess := a.sess
	a.mu.Unlock()
	if sess != nil && sess.svc != nil {
		info.DataDir = sess.svc.Store().Dir()
		info.Demo = sess.demo
	}
	return info
}

// keychainName says where go-keyring keeps the secrets on each system, and
// under which name (internal/secrets: service "servicedesk").
func keychainName(goos string) string {
	switch goos {
	case "darwin":
		return `Login Keychain, items named "servicedesk"`
	case "windows":
		return `Windows Credential Manager, entries starting with "servicedesk:"`
	default:
		return `Secret Service (GNOME Keyring or KWallet), items of service "servicedesk"`
	}
}
