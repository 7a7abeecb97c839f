// Command servicedesk is Service Desk Desktop: without arguments it opens the
// window on the agent's profile; with arguments it is the headless command
// line (see internal/cli).
package main

import (
	"embed"
	"os"

	"github.com/wailsapp/wails/v2"
	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/options/assetserver"
	"github.com/wailsapp/wails/v2/pkg/options/linux"
	"github.com/wailsapp/wails/v2/pkg/options/mac"
	"github.com/wailsapp/wails/v2/pkg/options/windows"

	"servicedesk/app"
	"servicedesk/internal/cli"
	"servicedesk/internal/notify"
	"servicedesk/internal/version"
)

//go:embed all:frontend/dist
var assets embed.FS

//go:embed build/appicon.png
var icon []byte

func main() {
	if generatingBindings {
		// `wails generate module` and `wails build` run the binary only to
		// read the bound methods: open no profile.
		_ = openWindow(cli.WindowSpec{})
		return
	}
	if len(os.Args) > 1 {
		useParentConsole() // the command line, run from a shell on Windows
	}
	os.Exit(cli.Main(os.Args[1:], cli.Env{
		IO:     cli.IO{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr},
		Window: openWindow,
	}))
}

// openWindow runs the Wails window until it is closed.
func openWindow(spec cli.WindowSpec) error {
	var a *app.App
	if spec.Service != nil {
		a = app.New(app.Config{Service: spec.Service, SyncInterval: spec.SyncInterval, Demo: spec.Demo, Log: spec.Log,
			StartDemo: spec.StartDemo, Notify: notify.Desktop})
	} else {
		a = &app.App{}
	}
	title := "Service Desk"
	width, height := app.WindowSize(a, 1280, 800)
	return wails.Run(&options.App{
		Title:            title,
		Width:            width,
		Height:           height,
		MinWidth:         900,
		MinHeight:        560,
		AssetServer:      &assetserver.Options{Assets: assets},
		BackgroundColour: &options.RGBA{R: 250, G: 250, B: 250, A: 255},
		OnStartup:        a.Startup,
		OnShutdown:       a.Shutdown,
		OnBeforeClose:    a.BeforeClose,
		Bind:             []any{a},
		Linux:            &linux.Options{Icon: icon, ProgramName: "servicedesk", WebviewGpuPolicy: linux.WebviewGpuPolicyOnDemand},
		Mac:              &mac.Options{About: &mac.AboutInfo{Title: title, Message: "Version " + version.Version, Icon: icon}},
		Windows:          &windows.Options{Theme: windows.SystemDefault},
	})
}
