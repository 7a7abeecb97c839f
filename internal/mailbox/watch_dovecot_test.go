package mailbox_test

import (
	"context"
	"crypto/tls"
	"fmt"
	"testing"
	"time"

	"servicedesk/internal/mailbox"
	"servicedesk/internal/model"
	"servicedesk/internal/neterr"
	"servicedesk/internal/neterr/neterrtest"
)

// Against Dovecot over TLS and STARTTLS: new mail, a flag change and an
// expunge in the watched folder make OnChange; a cut connection comes back.
// Each run watches a folder of its own: other tests share the mailbox.
func TestWatchDovecot(t *testing.T) {
	t.Parallel()
	info, roots := needDovecot(t)
	for _, sec := range []struct {
		security string
		port     int
	}{{model.SecurityTLS, info.IMAPSPort}, {model.SecuritySTARTTLS, info.IMAPPort}} {
		t.Run(sec.security, func(t *testing.T) {
			t.Parallel()
			cfg := mailbox.Config{Host: "127.0.0.1", Port: sec.port, Security: sec.security, User: info.User,
				Password: info.Password, TLSConfig: &tls.Config{RootCAs: roots}}
			folder := fmt.Sprintf("WatchTest%d", time.Now().UnixNano())
			c, err := mailbox.Dial(context.Background(), cfg)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			if err := c.Create(folder, nil).Wait(); err != nil {
				t.Fatal(err)
			}
			watchScenario(t, cfg, folder)
		})
	}
}

func TestWatchDovecotWrongPassword(t *testing.T) {
	t.Parallel()
	info, roots := needDovecot(t)
	proxy := neterrtest.NewProxy(t, neterr.Addr("127.0.0.1", info.IMAPSPort))
	cfg := via(t, mailbox.Config{Security: model.SecurityTLS, User: info.User, Password: info.Password + "-wrong",
		TLSConfig: &tls.Config{RootCAs: roots}}, proxy.Addr())
	timings := fast
	timings.MinBackoff, timings.MaxBackoff = time.Millisecond, time.Hour
	wt := watch(t, mailbox.Watcher{Config: cfg, WatchTimings: timings})
	i := wt.waitState(0, "a failure", func(s mailbox.WatchState) bool { return s.Err != nil })
	s := wt.reported()[i]
	neterrtest.WantProblem(t, s.Err, neterr.Auth, info.Password, "refused the user name or password")
	if s.RetryIn != time.Hour {
		t.Errorf("retry in %v, want the maximum, 1h", s.RetryIn)
	}
	time.Sleep(100 * time.Millisecond) // a spinning watcher would try dozens of times
	if n := proxy.Accepted(); n != 1 {
		t.Errorf("%d connections, want 1: a refused password must not be retried soon", n)
	}
}
