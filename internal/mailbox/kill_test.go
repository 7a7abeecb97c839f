package mailbox_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"

	"servicedesk/internal/mailbox"
	"servicedesk/internal/model"
	"servicedesk/internal/sandbox"
	"servicedesk/internal/store"
)

const (
	killChildEnv = "SERVICEDESK_KILL_CHILD" // in the child: its killChild, as JSON
	killSeedEnv  = "SERVICEDESK_KILL_SEED"  // replays a run's mailbox changes and kill delays (where a kill lands still varies)
	killStarted  = "kill-test: sync started"
	killDone     = "kill-test: sync done"

	dovecotKills = 50 // against Dovecot (CONDSTORE), the issue's number, from the first sync on
	memoryKills  = 10 // against go-imap's memory server (no CONDSTORE): fewer, after the first sync, for time

	killTickets   = 300 // the sandbox world in the mailbox: about 550 mails in INBOX, 450 in Sent
	killBulkInbox = 400 // generated mails added to INBOX, one in forty with a 100 KB–1 MB attachment
	killBulkSent  = 100 // and to Sent
	killBurst     = 150 // new mails at once in every tenth change: a fetch of two batches
)

// killChild is what the child needs to sync: the store and the password and
// CA the store does not hold.
type killChild struct {
	Dir       string `json:"dir"`
	AccountID int64  `json:"account_id"`
	ProjectID int64  `json:"project_id"`
	Password  string `json:"password"`
	CAFile    string `json:"ca_file,omitempty"`
}

// Issue 5's crash test: a mailbox sync killed with SIGKILL at random points
// (50 times against Dovecot, 10 against the memory server) converges, once
// restarted, to the server's state and leaves a sound database. The sync
// runs in a child process (this test binary run again) so that the kill is
// real; the parent serves the mailbox, changes it before every run, and
// checks the store at the end.
func TestKillSyncConverges(t *testing.T) {
	if spec := os.Getenv(killChildEnv); spec != "" {
		runKillChild(t, spec)
		return
	}
	if testing.Short() {
		t.Skip("kills a sync about 60 times: not in -short mode")
	}
	if runtime.GOOS == "windows" {
		t.Skip("no SIGKILL on Windows")
	}
	t.Parallel()
	seed := time.Now().UnixNano()
	if v := os.Getenv(killSeedEnv); v != "" {
		var err error
		if seed, err = strconv.ParseInt(v, 10, 64); err != nil {
			t.Fatalf("%s: %v", killSeedEnv, err)
		}
	}
	t.Logf("seed %d (replay with %s=%d)", seed, killSeedEnv, seed)
	var mu sync.Mutex
	kills, mid := 0, 0
	tally := func(n, m int) { mu.Lock(); kills, mid = kills+n, mid+m; mu.Unlock() }
	t.Cleanup(func() { // after the subtests
		if t.Failed() {
			t.Logf("replay with %s=%d", killSeedEnv, seed)
		}
		t.Logf("%d of %d kills landed mid-sync", mid, kills)
		if kills < dovecotKills {
			return // too few to judge: about one in four kills misses
		}
		if mid*2 <= kills {
			t.Errorf("only %d of %d kills landed mid-sync: the test tested little", mid, kills)
		}
	})
	t.Run("dovecot", func(t *testing.T) {
		t.Parallel()
		newDovecotKillRig(t, seed).converge(dovecotKills, true, tally)
	})
	t.Run("memory", func(t *testing.T) {
		t.Parallel()
		newMemoryKillRig(t, seed+1).converge(memoryKills, false, tally)
	})
}

// runKillChild is the child: one sync of the account, as the app runs it.
func runKillChild(t *testing.T, spec string) {
	var c killChild
	if err := json.Unmarshal([]byte(spec), &c); err != nil {
		t.Fatal(err)
	}
	fmt.Println(killStarted)
	ctx := context.Background()
	st, err := store.Open(ctx, c.Dir)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	acct, err := st.Account(ctx, c.AccountID)
	if err != nil {
		t.Fatal(err)
	}
	cfg := mailbox.Config{Host: acct.Host, Port: acct.Port, Security: acct.Security, User: acct.Login,
		Password: c.Password, Timeout: time.Minute}
	if c.CAFile != "" {
		pem, err := os.ReadFile(c.CAFile)
		if err != nil {
			t.Fatal(err)
		}
		roots := x509.NewCertPool()
		roots.AppendCertsFromPEM(pem)
		cfg.TLSConfig = &tls.Config{RootCAs: roots}
	}
	res, err := (&mailbox.Syncer{Config: cfg, Account: acct, Store: st, ProjectID: c.ProjectID}).Sync(ctx)
	if err != nil {
		t.Fatalf("sync: %v", err)
	}
	fmt.Printf("%s: %+v\n", killDone, res)
}

// killRig is one server's side of the test: the mailbox, a connection that
// changes it, and the store the child syncs into.
type killRig struct {
	t       *testing.T
	rnd     *rand.Rand
	cfg     mailbox.Config
	admin   *imapclient.Client
	folders []string // the two folders synced: INBOX's role, then Sent's
	sync    []string // the account's folders; nil: INBOX and the \Sent folder
	world   *sandbox.World
	firsts  []string // Message-IDs of the tickets' first mails, for new mail to answer
	child   killChild
	deliver func(folder string, mails []sandbox.Mail) // puts new mail in a folder
	sums    map[string]map[string]bool                // folder -> SHA-256 of every message put in it
	gone    map[string][][]byte                       // folder -> expunged messages that may come back
	next    int                                       // the last benchMail index used
}

func newKillRig(t *testing.T, seed int64, cfg mailbox.Config, folders []string) *killRig {
	admin, err := mailbox.Dial(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = admin.Close() })
	r := &killRig{t: t, rnd: rand.New(rand.NewPCG(uint64(seed), 5)), cfg: cfg, admin: admin, folders: folders,
		sums: map[string]map[string]bool{}, gone: map[string][][]byte{}}
	r.deliver = r.append
	return r
}

// newDovecotKillRig syncs two folders of their own: the shared Dovecot's
// INBOX must stay empty for TestCheckDovecot. New mail is delivered into
// the Maildir, as a mail server's delivery agent does: an APPEND costs
// Dovecot some 4 ms, which made filling the mailbox the slowest part.
func newDovecotKillRig(t *testing.T, seed int64) *killRig {
	info, roots := needDovecot(t)
	cfg := mailbox.Config{Host: "127.0.0.1", Port: info.IMAPSPort, Security: model.SecurityTLS, User: info.User,
		Password: info.Password, TLSConfig: &tls.Config{RootCAs: roots}, Timeout: time.Minute}
	stamp := time.Now().UnixNano()
	r := newKillRig(t, seed, cfg, []string{fmt.Sprintf("KillInbox%d", stamp), fmt.Sprintf("KillSent%d", stamp)})
	r.sync = r.folders
	r.child = killChild{Password: info.Password, CAFile: info.CAFile}
	for _, f := range r.folders {
		if err := r.admin.Create(f, nil).Wait(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = r.admin.Unselect().Wait(); _ = r.admin.Delete(f).Wait() })
	}
	maildir, delivered := filepath.Join(info.Dir, "home", info.User, "Maildir"), 0
	r.deliver = func(folder string, mails []sandbox.Mail) {
		for _, m := range mails {
			delivered++
			name := fmt.Sprintf("%d.kill%d_%d.localhost", time.Now().Unix(), stamp, delivered)
			tmp := filepath.Join(maildir, "."+folder, "tmp", name)
			if err := os.WriteFile(tmp, m.Raw, 0o644); err != nil {
				t.Fatal(err)
			}
			if err := os.Rename(tmp, filepath.Join(maildir, "."+folder, "new", name)); err != nil {
				t.Fatal(err)
			}
		}
	}
	r.world = sandbox.NewWorld(sandbox.Options{Seed: seed, Tickets: killTickets})
	r.add(r.folders[0], r.world.Mails(sandbox.FolderInbox))
	r.add(r.folders[1], r.world.Mails(sandbox.FolderSent))
	r.fill()
	return r
}

// newMemoryKillRig syncs the sandbox's INBOX and Sent, found by LIST.
func newMemoryKillRig(t *testing.T, seed int64) *killRig {
	sb, err := sandbox.Start(context.Background(), sandbox.Options{Seed: seed, Tickets: killTickets})
	if err != nil {
		t.Fatalf("start sandbox: %v", err)
	}
	t.Cleanup(func() { _ = sb.Close() })
	info := sb.Info()
	host, port := splitAddr(t, info.IMAPAddr)
	cfg := mailbox.Config{Host: host, Port: port, Security: model.SecurityNone, User: info.IMAPUser,
		Password: info.IMAPPassword, Timeout: time.Minute}
	r := newKillRig(t, seed, cfg, []string{sandbox.FolderInbox, sandbox.FolderSent})
	r.child = killChild{Password: info.IMAPPassword}
	r.world = sb.World()
	for _, f := range r.folders {
		for _, m := range r.world.Mails(f) { // in the mailbox already
			r.remember(f, m.Raw)
		}
	}
	r.fill()
	return r
}

// fill adds the generated bulk: with it the first sync takes long enough
// that kills land in every stage of it.
func (r *killRig) fill() {
	for _, m := range r.world.Mails(sandbox.FolderInbox) {
		if m.Kind == "original" && m.IssueIID != 0 {
			r.firsts = append(r.firsts, m.MessageID)
		}
	}
	r.add(r.folders[0], r.newMails(killBulkInbox))
	r.add(r.folders[1], r.newMails(killBulkSent))
}

// newMails makes n new mails of benchMail's shapes, but one in forty (not
// twenty) with a large attachment, so that the mailbox stays small enough
// to sync some sixty times. Each answers a ticket's first mail, as most
// mail of a support mailbox does, so that it belongs to that ticket as soon
// as the first mail does (checkLinks).
func (r *killRig) newMails(n int) []sandbox.Mail {
	out := make([]sandbox.Mail, n)
	for i := range out {
		for r.next++; r.next%20 == 0 && r.next%40 != 0; r.next++ {
		}
		answers := "In-Reply-To: <" + r.firsts[r.rnd.IntN(len(r.firsts))] + ">\r\n"
		out[i] = sandbox.Mail{Raw: append([]byte(answers), benchMail(r.next)...)}
	}
	return out
}

func (r *killRig) remember(folder string, raw []byte) {
	if r.sums[folder] == nil {
		r.sums[folder] = map[string]bool{}
	}
	sum := sha256.Sum256(raw)
	r.sums[folder][hex.EncodeToString(sum[:])] = true
}

// add puts new mail in a folder.
func (r *killRig) add(folder string, mails []sandbox.Mail) {
	for _, m := range mails {
		r.remember(folder, m.Raw)
	}
	r.deliver(folder, mails)
}

// append appends mails to a folder over IMAP, all commands sent before the
// first reply is awaited.
func (r *killRig) append(folder string, mails []sandbox.Mail) {
	cmds := make([]*imapclient.AppendCommand, 0, len(mails))
	for _, m := range mails {
		cmd := r.admin.Append(folder, int64(len(m.Raw)), nil)
		if _, err := cmd.Write(m.Raw); err != nil {
			r.t.Fatal(err)
		}
		if err := cmd.Close(); err != nil {
			r.t.Fatal(err)
		}
		cmds = append(cmds, cmd)
	}
	for _, cmd := range cmds {
		if _, err := cmd.Wait(); err != nil {
			r.t.Fatal(err)
		}
	}
}

// newStore makes a profile in dir as the app has it before its first mail
// sync: the world's tickets (so that the sync links mail, as in the app)
// and the mailbox account.
func (r *killRig) newStore(dir string) killChild {
	ctx := context.Background()
	st, err := store.Open(ctx, dir)
	if err != nil {
		r.t.Fatal(err)
	}
	defer st.Close()
	gl, err := st.CreateAccount(ctx, model.Account{Kind: model.AccountGitLab, Name: "gitlab", URL: "http://127.0.0.1"})
	if err != nil {
		r.t.Fatal(err)
	}
	p, err := st.UpsertProject(ctx, model.Project{AccountID: gl.ID, GitLabID: 42, Path: "acme/support", Name: "Support"})
	if err != nil {
		r.t.Fatal(err)
	}
	var batch []store.TicketWithNotes
	for _, is := range r.world.Issues() {
		batch = append(batch, store.TicketWithNotes{Ticket: model.Ticket{GitLabID: is.ID, IID: is.IID, Title: is.Title,
			Description: is.Description, State: is.State, Customer: is.Customer.Email, CreatedAt: is.CreatedAt, UpdatedAt: is.UpdatedAt}})
	}
	if err := st.SaveTickets(ctx, p.ID, batch, "", ""); err != nil {
		r.t.Fatal(err)
	}
	acct, err := st.CreateAccount(ctx, model.Account{Kind: model.AccountIMAP, Name: "support", Host: r.cfg.Host, Port: r.cfg.Port,
		Security: r.cfg.Security, Login: r.cfg.User, ProjectID: p.ID, Folders: r.sync})
	if err != nil {
		r.t.Fatal(err)
	}
	c := r.child
	c.Dir, c.AccountID, c.ProjectID = dir, acct.ID, p.ID
	return c
}

// How a run of the child ended: where the kill landed, or not killed.
const (
	killedBefore = "killed before the sync" // in the child's start-up
	killedMid    = "killed mid-sync"
	killedAfter  = "killed after the sync" // closing the store, exiting
	finished     = "finished first"
)

// childRun is how one run of the child ended.
type childRun struct {
	end    string
	synced time.Duration // from the start to the end of the sync, if it ended
}

func (run childRun) String() string {
	if run.synced == 0 {
		return run.end
	}
	return fmt.Sprintf("%s (the sync took %v)", run.end, run.synced.Round(time.Millisecond))
}

// childOutput keeps what the child writes and notes when its sync ended.
// Only the exec package's copying goroutine writes to it, and Wait waits
// for that goroutine.
type childOutput struct {
	began, done time.Time
	buf         bytes.Buffer // not embedded: its ReadFrom would bypass Write
}

func (o *childOutput) Write(p []byte) (int, error) {
	if o.done.IsZero() && bytes.Contains(p, []byte(killDone)) {
		o.done = time.Now()
	}
	return o.buf.Write(p)
}

// run runs the child on c and kills it (SIGKILL) after delay, unless it ends
// first; a delay of 0 lets it finish. A child that ends on its own must
// have succeeded.
func (r *killRig) run(c killChild, delay time.Duration) childRun {
	r.t.Helper()
	spec, err := json.Marshal(c)
	if err != nil {
		r.t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestKillSyncConverges$", "-test.count=1", "-test.timeout=5m")
	// Under -race a process sleeps a second before it exits, for reports
	// of goroutines still running (atexit_sleep_ms); a tenth will do here.
	cmd.Env = append(os.Environ(), killChildEnv+"="+string(spec),
		strings.TrimSpace("GORACE="+os.Getenv("GORACE")+" atexit_sleep_ms=100"))
	out := &childOutput{began: time.Now()}
	cmd.Stdout, cmd.Stderr = out, out // the same writer: one goroutine writes
	if err := cmd.Start(); err != nil {
		r.t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	if delay > 0 {
		timer := time.NewTimer(delay)
		defer timer.Stop()
		select {
		case err = <-done:
		case <-timer.C:
			_ = cmd.Process.Kill() // SIGKILL on Linux: no deferred function, no signal handler runs
			err = <-done
		}
	} else {
		err = <-done
	}
	killed := cmd.ProcessState.ExitCode() == -1 // ended by a signal
	if bytes.Contains(out.buf.Bytes(), []byte("WARNING: DATA RACE")) || !killed && err != nil {
		r.t.Fatalf("the sync child failed: %v\n%s", err, out.buf.Bytes())
	}
	var run childRun
	if !out.done.IsZero() {
		run.synced = out.done.Sub(out.began)
	}
	switch {
	case !killed:
		run.end = finished
	case !out.done.IsZero():
		run.end = killedAfter
	case bytes.Contains(out.buf.Bytes(), []byte(killStarted)):
		run.end = killedMid
	default:
		run.end = killedBefore
	}
	return run
}

// converge kills the child kills times, changing the mailbox before every
// run, lets it finish once more and checks the store. With killFirst the
// kills start with the first sync; without, after it. It tells tally how
// many kills landed mid-sync.
func (r *killRig) converge(kills int, killFirst bool, tally func(kills, mid int)) {
	t := r.t
	began := time.Now()
	r.child = r.newStore(t.TempDir())
	// Each kill falls at a random point of a window meant to be a little
	// shorter than the sync at hand, so that it seldom misses. The window
	// starts as the length of an uninterrupted sync of the kind killed
	// first (a first sync into a store of its own, or the next sync);
	// after a run that finished it is half that run's sync, and
	// each kill widens it by half, so that a sync is killed at ever later
	// points until one gets through.
	var first, window time.Duration
	if killFirst {
		first = r.run(r.newStore(t.TempDir()), 0).synced
		window = first
	} else {
		first = r.run(r.child, 0).synced
		r.change(0)
		window = r.run(r.child, 0).synced
	}
	t.Logf("an uninterrupted first sync takes %v; the first kill falls within %v", first.Round(time.Millisecond),
		window.Round(time.Millisecond))
	ends := map[string]int{}
	leftovers := 0
	for i := range kills {
		if i > 0 || !killFirst {
			r.change(i + 1)
		}
		delay := time.Duration(r.rnd.Int64N(int64(window))) + time.Millisecond
		run := r.run(r.child, delay)
		ends[run.end]++
		if run.end == finished {
			window = max(run.synced/2, 20*time.Millisecond)
		} else {
			window = min(window*3/2, 2*first)
		}
		tmp := len(r.tempFiles())
		leftovers = max(leftovers, tmp)
		t.Logf("run %2d, kill due at %6v: %s; %d unfinished blob files", i+1, delay.Round(time.Millisecond), run, tmp)
	}
	t.Logf("%d kills: %d mid-sync, %d before the sync began, %d after it ended; %d runs finished first; "+
		"at most %d unfinished blob files left by a kill", kills, ends[killedMid], ends[killedBefore], ends[killedAfter],
		ends[finished], leftovers)
	tally(kills, ends[killedMid])
	r.change(kills + 1)
	if run := r.run(r.child, 0); run.end != finished {
		t.Fatal("the last sync was killed by someone else")
	}
	r.check()
	t.Logf("%v in all", time.Since(began).Round(time.Second))
}

// change changes the mailbox a little, as its users would between syncs:
// new mail (a burst of it every tenth time), flags set and cleared, a few
// messages expunged, and now and then one of them appended again (a new
// UID for a Message-ID the store has seen).
func (r *killRig) change(i int) {
	for n, f := range r.folders {
		if _, err := r.admin.Select(f, nil).Wait(); err != nil {
			r.t.Fatal(err)
		}
		all, err := r.admin.UIDSearch(&imap.SearchCriteria{}, nil).Wait()
		if err != nil {
			r.t.Fatal(err)
		}
		uids := all.AllUIDs()
		r.setFlags(uids)
		r.expunge(f, uids)
		if len(r.gone[f]) > 0 && r.rnd.IntN(3) == 0 {
			k := r.rnd.IntN(len(r.gone[f]))
			r.append(f, []sandbox.Mail{{Raw: r.gone[f][k]}}) // over IMAP: the bytes are remembered
			r.gone[f] = append(r.gone[f][:k], r.gone[f][k+1:]...)
		}
		fresh := 1 + r.rnd.IntN(4)
		if n == 0 && i%10 == 5 {
			fresh = killBurst
		}
		r.add(f, r.newMails(fresh))
	}
}

// setFlags sets one flag on up to five messages and clears another on up
// to five.
func (r *killRig) setFlags(uids []imap.UID) {
	flags := []imap.Flag{imap.FlagSeen, imap.FlagFlagged, imap.FlagAnswered, "$Escalated"}
	for _, op := range []imap.StoreFlagsOp{imap.StoreFlagsAdd, imap.StoreFlagsDel} {
		var pick []imap.UID
		for range r.rnd.IntN(6) {
			pick = append(pick, uids[r.rnd.IntN(len(uids))])
		}
		if len(pick) == 0 {
			continue
		}
		sf := &imap.StoreFlags{Op: op, Silent: true, Flags: []imap.Flag{flags[r.rnd.IntN(len(flags))]}}
		if err := r.admin.Store(imap.UIDSetNum(pick...), sf, nil).Close(); err != nil {
			r.t.Fatal(err)
		}
	}
}

// expunge removes up to four messages of the selected folder, keeping their
// bytes to append again later.
func (r *killRig) expunge(folder string, uids []imap.UID) {
	var pick []imap.UID
	for range r.rnd.IntN(5) {
		pick = append(pick, uids[r.rnd.IntN(len(uids))])
	}
	if len(pick) == 0 {
		return
	}
	body := &imap.FetchItemBodySection{Peek: true}
	msgs, err := r.admin.Fetch(imap.UIDSetNum(pick...), &imap.FetchOptions{UID: true, BodySection: []*imap.FetchItemBodySection{body}}).Collect()
	if err != nil {
		r.t.Fatal(err)
	}
	for _, m := range msgs {
		r.gone[folder] = append(r.gone[folder], m.FindBodySection(body))
	}
	sf := &imap.StoreFlags{Op: imap.StoreFlagsAdd, Silent: true, Flags: []imap.Flag{imap.FlagDeleted}}
	if err := r.admin.Store(imap.UIDSetNum(pick...), sf, nil).Close(); err != nil {
		r.t.Fatal(err)
	}
	if err := r.admin.Expunge().Close(); err != nil {
		r.t.Fatal(err)
	}
}

// tempFiles lists the blob folder's unfinished files.
func (r *killRig) tempFiles() []string {
	var out []string
	err := filepath.WalkDir(filepath.Join(r.child.Dir, "blobs"), func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && (strings.HasPrefix(d.Name(), ".") || strings.HasSuffix(d.Name(), ".tmp")) {
			out = append(out, path)
		}
		return nil
	})
	if err != nil && !os.IsNotExist(err) {
		r.t.Fatal(err)
	}
	return out
}

// check is what the agent would check after the crashes: the database is
// sound, and the store holds exactly what the server holds, every message
// readable. These are the issue's assertions: a failure here is a sync or
// a store that did not survive a crash (the log names the seed to replay).
func (r *killRig) check() {
	t := r.t
	// First, before this process's store.Open clears what dead ones left.
	if tmp := r.tempFiles(); len(tmp) > 0 {
		t.Errorf("%d unfinished blob files outlive a sync (they would add up with every crash): %v", len(tmp), tmp)
	}
	db, err := sql.Open("sqlite", "file:"+filepath.Join(r.child.Dir, store.FileName))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var ok string
	if err := db.QueryRow(`PRAGMA integrity_check`).Scan(&ok); err != nil || ok != "ok" {
		t.Errorf("PRAGMA integrity_check: %q %v", ok, err)
	}
	rows, err := db.Query(`PRAGMA foreign_key_check`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var table string
		var rowid, parent, fk sql.NullInt64
		_ = rows.Scan(&table, &rowid, &parent, &fk)
		t.Errorf("PRAGMA foreign_key_check: row %d of %s refers to nothing", rowid.Int64, table)
	}
	if err := rows.Close(); err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(context.Background(), r.child.Dir)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for _, f := range r.folders {
		mirror(t, st, r.cfg, f)
	}
	msgs, err := st.Messages(context.Background(), store.MessageFilter{})
	if err != nil {
		t.Fatal(err)
	}
	r.checkRaw(st, msgs)
	r.checkLinks(db, msgs)
}

// checkRaw reads back every stored message of the synced folders: its bytes
// are one of the messages appended to that folder, and hash to its digest.
func (r *killRig) checkRaw(st *store.Store, msgs []model.Message) {
	t := r.t
	ctx := context.Background()
	n := 0
	for _, m := range msgs {
		if r.sums[m.Folder] == nil {
			continue
		}
		n++
		if !r.sums[m.Folder][m.RawSHA256] {
			t.Errorf("%s UID %d: raw message %s was never appended to the folder", m.Folder, m.UID, m.RawSHA256)
		}
		rc, err := st.ReadRaw(ctx, m.RawSHA256)
		if err != nil {
			t.Errorf("%s UID %d: read raw message: %v", m.Folder, m.UID, err)
			continue
		}
		h := sha256.New()
		size, err := io.Copy(h, rc)
		rc.Close()
		if sum := hex.EncodeToString(h.Sum(nil)); err != nil || sum != m.RawSHA256 || size != m.Size {
			t.Errorf("%s UID %d: raw message reads back as %s, %d bytes (%v), want %s, %d bytes",
				m.Folder, m.UID, sum, size, err, m.RawSHA256, m.Size)
		}
	}
	t.Logf("%d messages in the store read back", n)
}

// checkLinks asserts that the links converge too: no stored message is
// without a ticket while it answers a mail that has one (the linker's
// first rule). A crash must not leave stored mail out of linking for good.
func (r *killRig) checkLinks(db *sql.DB, msgs []model.Message) {
	t := r.t
	rows, err := db.Query(`SELECT message_id FROM message_links`)
	if err != nil {
		t.Fatal(err)
	}
	linked := map[string]bool{}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		linked[id] = true
	}
	if err := rows.Close(); err != nil {
		t.Fatal(err)
	}
	var missed []string
	for _, m := range msgs {
		if r.sums[m.Folder] == nil || m.Ticket != nil {
			continue
		}
		for _, id := range slices.Concat(m.InReplyTo, m.References) {
			if linked[strings.Trim(id, "<>")] {
				missed = append(missed, fmt.Sprintf("%s UID %d (answers %s)", m.Folder, m.UID, id))
				break
			}
		}
	}
	// FAILS as of f4e6e50 (found by this test): Sync relinks only the rows
	// stored after the last message row it saw when it began, so mail that
	// a sync stored before it died (killed, cancelled, or an error in a
	// later folder) never goes to the linker again.
	if len(missed) > 0 {
		t.Errorf("%d messages answer a mail linked to a ticket but have no ticket, e.g. %s", len(missed), missed[0])
	}
}
