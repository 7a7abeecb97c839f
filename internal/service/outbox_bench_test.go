package service

import (
	"context"
	"os"
	"strconv"
	"testing"
	"time"

	"servicedesk/internal/model"
)

// BenchmarkQueueReply is issue 6's first budget: queueing a reply (durably:
// the outbox's transaction is synced to disk) as the composer does.
func BenchmarkQueueReply(b *testing.B) {
	f := newOutboxFixture(b)
	ctx := context.Background()
	ts, err := f.svc.Tickets(ctx, model.TicketFilter{State: model.StateOpened})
	if err != nil || len(ts) == 0 {
		b.Fatal(err)
	}
	i := 0
	for b.Loop() {
		tk := ts[i%len(ts)]
		i++
		if _, err := f.svc.Reply(ctx, ReplyRequest{ProjectID: f.p.ID, IID: tk.IID, Body: "Hello {{customer.first_name}}, thanks for waiting."}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFlushReplies is issue 6's second budget: the outbox sends
// SERVICEDESK_BENCH_REPLIES (default 1,000) replies queued on the sandbox's
// tickets, mailed through its SMTP server and recorded on its GitLab, in
// one flush. It reports the time per reply and the requests GitLab got per
// reply.
func BenchmarkFlushReplies(b *testing.B) {
	n := envInt("SERVICEDESK_BENCH_REPLIES", 1000)
	for b.Loop() {
		b.StopTimer()
		f := newOutboxFixture(b)
		ctx := context.Background()
		if _, err := f.svc.SaveIdentity(ctx, f.identityForm(b, f.p.ID, f.info.SMTPPassword)); err != nil {
			b.Fatal(err)
		}
		ts, err := f.svc.Tickets(ctx, model.TicketFilter{})
		if err != nil {
			b.Fatal(err)
		}
		for i := range n {
			tk := ts[i%len(ts)]
			if _, err := f.svc.Reply(ctx, ReplyRequest{ProjectID: f.p.ID, IID: tk.IID, Body: "Thanks, we are on it.", Undo: -1}); err != nil {
				b.Fatal(err)
			}
		}
		requests := f.sb.GitLab().Requests()
		b.StartTimer()
		began := time.Now()
		f.flush(b)
		took := time.Since(began)
		b.StopTimer()
		if left, _ := f.svc.Outbox(ctx, false); len(left) != 0 {
			b.Fatalf("%d ops left, first %+v", len(left), left[0])
		}
		b.ReportMetric(float64(took.Microseconds())/1000/float64(n), "ms/reply")
		b.ReportMetric(float64(f.sb.GitLab().Requests()-requests)/float64(n), "gitlab-requests/reply")
		b.StartTimer()
	}
}

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}
