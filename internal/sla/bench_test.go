package sla

import (
	"math/rand/v2"
	"os"
	"testing"
	"time"
)

// benchTickets is n tickets created over November 2026 (most in office
// hours), with a realistic mix: unanswered, answered, follow-ups, closed,
// reopened, urgent or feature requests.
func benchTickets(n int) []Ticket {
	r := rand.New(rand.NewPCG(1, 2))
	start := tm(berlin, "2026-11-02 08:00")
	labels := [][]string{nil, nil, nil, {"billing"}, {"urgent"}, {"feature-request"}, {"vip", "urgent"}}
	tickets := make([]Ticket, n)
	for i := range tickets {
		created := start.Add(time.Duration(r.IntN(29*24*60)) * time.Minute)
		t := Ticket{Created: created, Labels: labels[r.IntN(len(labels))]}
		at := created
		for range r.IntN(6) {
			at = at.Add(time.Duration(10+r.IntN(24*60)) * time.Minute)
			if r.IntN(2) == 0 {
				t.Replies = append(t.Replies, at)
			} else {
				t.CustomerMessages = append(t.CustomerMessages, at)
			}
		}
		switch r.IntN(4) {
		case 0: // closed
			t.Closures = []Closure{{Closed: at.Add(time.Hour)}}
		case 1: // closed and reopened
			t.Closures = []Closure{{Closed: at.Add(time.Hour), Reopened: at.Add(30 * time.Hour)}}
		}
		tickets[i] = t
	}
	return tickets
}

// BenchmarkAddBusiness200h: a 200-business-hour deadline on Mon-Fri
// 09:00-17:30 (about five weeks).
func BenchmarkAddBusiness200h(b *testing.B) {
	from := tm(berlin, "2026-11-02 09:00")
	for b.Loop() {
		office.AddBusiness(from, 200*time.Hour)
	}
}

// BenchmarkAddBusiness200hOverHolidays: the same, over Christmas and the
// spring-forward weeks, where weeks are walked day by day.
func BenchmarkAddBusiness200hOverHolidays(b *testing.B) {
	from := tm(berlin, "2026-12-07 09:00")
	for b.Loop() {
		office.AddBusiness(from, 200*time.Hour)
	}
}

// BenchmarkBusinessTimeYear: a year of Mon-Fri 09:00-17:30.
func BenchmarkBusinessTimeYear(b *testing.B) {
	from, to := tm(berlin, "2026-01-05 09:00"), tm(berlin, "2027-01-04 09:00")
	for b.Loop() {
		office.BusinessTime(from, to)
	}
}

// BenchmarkStatus10000: the status of 10,000 tickets (one queue refresh).
func BenchmarkStatus10000(b *testing.B) {
	p := policy()
	tickets := benchTickets(10000)
	now := tm(berlin, "2026-12-01 12:00")
	for b.Loop() {
		for _, t := range tickets {
			p.Status(t, now)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(tickets)), "ns/ticket")
}

// BenchmarkStatus10000Paused: the same with the resolution clock pausing
// while waiting on the customer (it sorts each ticket's messages).
func BenchmarkStatus10000Paused(b *testing.B) {
	p := policy()
	p.PauseWhileWaitingOnCustomer = true
	tickets := benchTickets(10000)
	now := tm(berlin, "2026-12-01 12:00")
	for b.Loop() {
		for _, t := range tickets {
			p.Status(t, now)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(tickets)), "ns/ticket")
}

func BenchmarkParse(b *testing.B) {
	data, err := os.ReadFile("testdata/sla.yml")
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := Parse("sla.yml", data); err != nil {
			b.Fatal(err)
		}
	}
}
