//go:build windows

package main

import (
	"os"
	"syscall"
)

// attachParentProcess is ATTACH_PARENT_PROCESS, (DWORD)-1.
const attachParentProcess = ^uint32(0)

var attachConsole = syscall.NewLazyDLL("kernel32.dll").NewProc("AttachConsole")

// useParentConsole gives the command line the console of the shell that
// started it. servicedesk.exe is a GUI program (no console of its own, so
// the window opens without one); run from cmd or PowerShell, its output
// would go nowhere. Output that is redirected or piped keeps its target;
// started from Explorer there is no console to attach to, and nothing
// changes.
func useParentConsole() {
	if r, _, _ := attachConsole.Call(uintptr(attachParentProcess)); r == 0 {
		return
	}
	// Go sets os.Stdout and friends to nil when the process started
	// without the handle.
	if os.Stdout == nil {
		if f, err := os.OpenFile("CONOUT$", os.O_WRONLY, 0); err == nil {
			os.Stdout = f
		}
	}
	if os.Stderr == nil {
		if f, err := os.OpenFile("CONOUT$", os.O_WRONLY, 0); err == nil {
			os.Stderr = f
		}
	}
	if os.Stdin == nil {
		if f, err := os.OpenFile("CONIN$", os.O_RDONLY, 0); err == nil {
			os.Stdin = f
		}
	}
}
