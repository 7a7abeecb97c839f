// Package notify shows desktop notifications through the operating system:
// the freedesktop notification service over D-Bus on Linux (notify-send
// when D-Bus has none), Notification Center on macOS, toasts on Windows.
package notify

import (
	"fmt"

	"github.com/gen2brain/beeep"
)

// AppName is the sender the notification shows.
const AppName = "Service Desk"

// Desktop shows one notification.
func Desktop(title, body string) error {
	beeep.AppName = AppName
	if err := beeep.Notify(title, body, ""); err != nil {
		return fmt.Errorf("desktop notification: %w", err)
	}
	return nil
}
