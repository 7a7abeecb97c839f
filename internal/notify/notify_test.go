package notify

import (
	"os"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"
)

// daemon is a freedesktop notification server on the session bus that
// records what it is asked to show.
type daemon struct{ got chan [2]string }

func (d *daemon) Notify(app string, replaces uint32, icon, summary, body string, actions []string,
	hints map[string]dbus.Variant, timeout int32) (uint32, *dbus.Error) {
	d.got <- [2]string{summary, body}
	return 1, nil
}

func (d *daemon) GetCapabilities() ([]string, *dbus.Error) { return []string{"body"}, nil }

func (d *daemon) GetServerInformation() (string, string, string, string, *dbus.Error) {
	return "test", "servicedesk", "1", "1.2", nil
}

func (d *daemon) CloseNotification(id uint32) *dbus.Error { return nil }

// A notification reaches the session bus's notification service, as the
// desktop's would receive it (make test runs under dbus-run-session).
func TestDesktopReachesTheNotificationService(t *testing.T) {
	if os.Getenv("DBUS_SESSION_BUS_ADDRESS") == "" {
		t.Skip("no session bus: run under .ci/with-keychain.sh (make test does)")
	}
	conn, err := dbus.ConnectSessionBus()
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	d := &daemon{got: make(chan [2]string, 1)}
	if err := conn.Export(d, "/org/freedesktop/Notifications", "org.freedesktop.Notifications"); err != nil {
		t.Fatal(err)
	}
	reply, err := conn.RequestName("org.freedesktop.Notifications", dbus.NameFlagDoNotQueue)
	if err != nil || reply != dbus.RequestNameReplyPrimaryOwner {
		t.Fatalf("own the notification service: %v (reply %d)", err, reply)
	}
	defer conn.ReleaseName("org.freedesktop.Notifications")

	if err := Desktop("New ticket #12", "ana@example.com: Refund request"); err != nil {
		t.Fatal(err)
	}
	select {
	case got := <-d.got:
		if got != [2]string{"New ticket #12", "ana@example.com: Refund request"} {
			t.Fatalf("notified %q", got)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no notification reached the service")
	}
}
