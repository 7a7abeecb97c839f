package mailbox_test

import (
	"context"
	"crypto/tls"
	"encoding/base64"
	"fmt"
	"math/rand/v2"
	"os"
	"os/user"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"

	"servicedesk/internal/heapwatch"
	"servicedesk/internal/mailbox"
	"servicedesk/internal/model"
	"servicedesk/internal/store"
)

// benchMail builds message i of a deterministic mailbox shaped like the
// budget's (median about 9.5 KB; one in twenty with a 100 KB–1 MB
// attachment).
func benchMail(i int) []byte {
	r := rand.New(rand.NewPCG(uint64(i), 7))
	words := []string{"invoice", "payment", "refund", "account", "password", "export", "webhook", "subscription",
		"card", "declined", "report", "customer", "please", "thanks", "urgent", "Zoë", "Müller", "löschen", "déjà"}
	var body strings.Builder
	for body.Len() < 6000+r.IntN(7000) {
		body.WriteString(words[r.IntN(len(words))])
		if r.IntN(12) == 0 {
			body.WriteString(".\r\n")
		} else {
			body.WriteByte(' ')
		}
	}
	date := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i) * 17 * time.Minute)
	h := fmt.Sprintf("From: Customer %d <c%d@example%d.org>\r\nTo: support@acme.com\r\nSubject: Question %d about my %s\r\n"+
		"Date: %s\r\nMessage-ID: <bench-%d@example.org>\r\nMIME-Version: 1.0\r\n", i, i%500, i%50, i, words[i%len(words)],
		date.Format(time.RFC1123Z), i)
	if i%20 != 0 {
		return []byte(h + "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" + body.String() + "\r\n")
	}
	att := make([]byte, 100_000+r.IntN(900_000))
	for j := range att {
		att[j] = byte(r.IntN(256))
	}
	enc := base64.StdEncoding.EncodeToString(att)
	var lines strings.Builder
	for len(enc) > 76 {
		lines.WriteString(enc[:76] + "\r\n")
		enc = enc[76:]
	}
	lines.WriteString(enc + "\r\n")
	return []byte(h + "Content-Type: multipart/mixed; boundary=bb\r\n\r\n--bb\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" +
		body.String() + "\r\n--bb\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename=\"statement-" +
		strconv.Itoa(i) + ".pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\n" + lines.String() + "--bb--\r\n")
}

// BenchmarkInitialSyncDovecot is issue 5's budget: the first sync of a
// mailbox (SERVICEDESK_BENCH_MAILS messages, 20,000 by default) served by
// Dovecot on loopback: fetched, stored, parsed, linked and indexed. It
// reports messages per second, the mailbox's size and the peak heap growth.
func BenchmarkInitialSyncDovecot(b *testing.B) {
	n := 20_000
	if v, err := strconv.Atoi(os.Getenv("SERVICEDESK_BENCH_MAILS")); err == nil && v > 0 {
		n = v
	}
	info, roots := needDovecot(b)
	folder, total := benchFolder(b, info, n)
	cfg := mailbox.Config{Host: "127.0.0.1", Port: info.IMAPSPort, Security: model.SecurityTLS, User: info.User,
		Password: info.Password, TLSConfig: &tls.Config{RootCAs: roots}, Timeout: time.Minute}
	ctx := context.Background()
	for b.Loop() {
		b.StopTimer()
		st, err := store.Open(ctx, b.TempDir())
		if err != nil {
			b.Fatal(err)
		}
		acct, _ := st.CreateAccount(ctx, model.Account{Kind: model.AccountIMAP, Name: "bench"})
		acct.Folders = []string{folder}
		runtime.GC()
		var base runtime.MemStats
		runtime.ReadMemStats(&base)
		peak := heapwatch.Start()
		b.StartTimer()
		began := time.Now()
		searchable := newestSearchable(ctx, st, n, began)
		var res mailbox.Result
		pprof.Do(ctx, pprof.Labels("phase", "sync"), func(ctx context.Context) { // go test -cpuprofile: -tagfocus phase=sync
			res, err = (&mailbox.Syncer{Config: cfg, Account: acct, Store: st}).Sync(ctx)
		})
		wall := time.Since(began)
		b.StopTimer()
		b.ReportMetric(searchable().Seconds(), "newest-1000-searchable-s")
		if err != nil || res.New != n {
			b.Fatalf("%+v %v", res, err)
		}
		b.ReportMetric(float64(n)/wall.Seconds(), "msgs/s")
		b.ReportMetric(float64(total)/1e6, "mailbox-MB")
		b.ReportMetric(float64(peak()-base.HeapAlloc)/1e6, "peak-heap-MB")
		st.Close()
		b.StartTimer()
	}
}

// newestSearchable polls search, as the window would, for the 1,000th
// newest message of an n-message bench mailbox (mail is fetched newest
// first); the returned func, called once the sync is over, says how long
// after began it was found.
func newestSearchable(ctx context.Context, st *store.Store, n int, began time.Time) func() time.Duration {
	query := fmt.Sprintf("Question %d", max(n-1000, 0))
	found := make(chan time.Duration, 1)
	ctx, cancel := context.WithCancel(ctx)
	go func() {
		t := time.NewTicker(20 * time.Millisecond)
		defer t.Stop()
		for {
			if hits, err := st.Search(ctx, query, 5); err == nil && len(hits) > 0 {
				found <- time.Since(began)
				return
			}
			select {
			case <-ctx.Done():
				found <- -1
				return
			case <-t.C:
			}
		}
	}()
	return func() time.Duration {
		cancel()
		if d := <-found; d >= 0 {
			return d
		}
		return time.Since(began) // not found while polling: no sooner than the end
	}
}

// benchFolder writes an n-message bench mailbox straight into a new folder
// of Dovecot's maildir (faster than APPEND) and returns its name and size.
func benchFolder(b *testing.B, info dovecotInfo, n int) (string, int64) {
	b.Helper()
	folder := fmt.Sprintf("Bench%d", time.Now().UnixNano())
	dir := filepath.Join(info.Dir, "home", info.User, "Maildir", "."+folder)
	nobody, err := user.Lookup("nobody")
	if err != nil {
		b.Fatal(err)
	}
	uid, _ := strconv.Atoi(nobody.Uid)
	gid, _ := strconv.Atoi(nobody.Gid)
	var total int64
	for _, sub := range []string{"cur", "new", "tmp"} {
		if err := os.MkdirAll(filepath.Join(dir, sub), 0o755); err != nil {
			b.Fatal(err)
		}
		_ = os.Chown(filepath.Join(dir, sub), uid, gid)
	}
	_ = os.Chown(dir, uid, gid)
	for i := range n {
		raw := benchMail(i)
		total += int64(len(raw))
		name := filepath.Join(dir, "cur", fmt.Sprintf("%d.bench%d.localhost:2,S", 1700000000+i, i))
		if err := os.WriteFile(name, raw, 0o644); err != nil {
			b.Fatal(err)
		}
	}
	return folder, total
}

// BenchmarkIncrementalSyncDovecot is issue 5's incremental budget: after
// the first sync of the bench mailbox (SERVICEDESK_BENCH_MAILS, 20,000 by
// default), 50 new messages and 200 flag changes, then one sync, timed.
func BenchmarkIncrementalSyncDovecot(b *testing.B) {
	n := 20_000
	if v, err := strconv.Atoi(os.Getenv("SERVICEDESK_BENCH_MAILS")); err == nil && v > 0 {
		n = v
	}
	info, roots := needDovecot(b)
	folder, _ := benchFolder(b, info, n)
	cfg := mailbox.Config{Host: "127.0.0.1", Port: info.IMAPSPort, Security: model.SecurityTLS, User: info.User,
		Password: info.Password, TLSConfig: &tls.Config{RootCAs: roots}, Timeout: time.Minute}
	ctx := context.Background()
	st, err := store.Open(ctx, b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	acct, _ := st.CreateAccount(ctx, model.Account{Kind: model.AccountIMAP, Name: "bench"})
	acct.Folders = []string{folder}
	sy := &mailbox.Syncer{Config: cfg, Account: acct, Store: st}
	if res, err := sy.Sync(ctx); err != nil || res.New != n {
		b.Fatalf("first sync: %+v %v", res, err)
	}
	admin, err := mailbox.Dial(ctx, cfg)
	if err != nil {
		b.Fatal(err)
	}
	defer admin.Close()
	if _, err := admin.Select(folder, nil).Wait(); err != nil {
		b.Fatal(err)
	}
	next := n
	for round := 0; b.Loop(); round++ {
		b.StopTimer()
		for range 50 {
			raw := benchMail(next)
			next++
			cmd := admin.Append(folder, int64(len(raw)), nil)
			if _, err := cmd.Write(raw); err != nil {
				b.Fatal(err)
			}
			if err := cmd.Close(); err != nil {
				b.Fatal(err)
			}
			if _, err := cmd.Wait(); err != nil {
				b.Fatal(err)
			}
		}
		from := uint32(1 + (round*200)%(n-200))
		op := imap.StoreFlagsAdd
		if round/(n/200)%2 == 1 {
			op = imap.StoreFlagsDel
		}
		set := imap.UIDSet{imap.UIDRange{Start: imap.UID(from), Stop: imap.UID(from + 199)}}
		if err := admin.Store(set, &imap.StoreFlags{Op: op, Flags: []imap.Flag{imap.FlagFlagged}, Silent: true}, nil).Close(); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		var res mailbox.Result
		pprof.Do(ctx, pprof.Labels("phase", "incremental"), func(ctx context.Context) { res, err = sy.Sync(ctx) })
		b.StopTimer()
		if err != nil || res.New != 50 || res.Flags != 200 {
			b.Fatalf("incremental sync: %+v %v", res, err)
		}
		b.StartTimer()
	}
}
