// Package sla computes service-level targets in business time: when a
// ticket's first response and resolution fall due, whether they were met or
// breached, and how long a customer has waited, counting only a team's
// opening hours.
//
// It owns the business calendar (Calendar), the policy (Policy: targets,
// per-label targets, the warning) and its file (Parse), and the status of one
// ticket at an instant (Policy.Status). It does no I/O and keeps no state:
// reading the file from the project's repository (DefaultPath), deriving a
// Ticket's times from notes and mail, storing, showing and notifying are
// the caller's.
//
// # Business time
//
// A Calendar has a time zone, weekly opening hours (spans such as Mon–Fri
// 09:00–17:30 and Sat 10:00–14:00, several a day if need be) and holidays.
// Business time is the part of real time that falls in opening hours.
//
//   - Spans are wall-clock times in the zone and include their start but not
//     their end: at 17:30 a 09:00–17:30 day is closed. 24:00 ends a day.
//   - A span that ends before it starts runs past midnight: Mon 22:00–06:00
//     is Mon 22:00–24:00 plus Tue 00:00–06:00. Spans may not overlap (after
//     that cut); spans that touch are joined.
//   - A holiday closes a whole date, midnight to midnight in the zone, so a
//     holiday on Tuesday also closes the Tue 00:00–06:00 tail of Monday's
//     night shift.
//   - Round-the-clock support is a calendar too (Always, "hours: 24/7"), with
//     or without holidays. A week with no opening hours is refused.
//   - Clock changes are real time: the Berlin spring-forward Sunday is 23
//     hours long and its fall-back Sunday 25, so a 00:00–24:00 day counts 23h
//     or 25h of business time, and a 09:00–17:30 day 8h30m as always. A span
//     boundary that a spring-forward skips (02:30) is the instant the clocks
//     jump; one that a fall-back repeats counts at its first occurrence.
//
// Calendar.AddBusiness(from, d) is the deadline: the earliest instant t with
// BusinessTime(from, t) == d. The clock starts at the next opening when from
// is outside opening hours, and a deadline that uses up a day's last minute
// falls at that day's closing time: 4h from Friday 13:30 with 09:00–17:30
// hours is Friday 17:30, not Monday 09:00.
//
// BusinessTime and AddBusiness walk a day at a time, skipping closed days at
// once and jumping whole weeks that have no holiday and no clock change: a
// 200-business-hour deadline takes about a microsecond.
//
// # Targets
//
// Targets are business time in hours and minutes (4h, 90m, 1h30m). There is
// no "day": how long a business day is depends on the hours, so a target of
// two 8-hour days is written 16h. Targets are at most 8760h.
//
// Per-label targets replace the policy's for tickets with the label (labels
// compare without regard to case). When several of a ticket's labels set a
// target, the tightest wins; "none" switches a target off, unless another
// of the ticket's labels sets one.
//
// # The clocks of a ticket
//
// A Ticket gives its creation time, the times of the customer's later
// messages and of our public replies, its labels, and its closes and
// reopens. Everything is judged as of an instant now; later times are
// ignored.
//
//   - First response runs from creation to our first public reply at or
//     after creation. Closing the ticket before any reply also stops it (a
//     ticket closed as spam needs no reply).
//   - Resolution runs from creation to the last close: a ticket closed now
//     is resolved at its latest close; a reopen continues the clock as if it
//     had never stopped, so the time the ticket sat closed counts (the
//     customer's problem was not solved after all). With
//     pause_while_waiting_on_customer the resolution clock stops from each
//     of our public replies until the customer's next message (Paused).
//   - Due is when a clock reaches its target. A clock is Breached when it
//     reached its target before it stopped (or before now, while it runs);
//     stopping at the due instant itself meets it. Late is the business
//     time it ran past the target, which can be zero: due Friday 17:30 and
//     unanswered on Saturday is breached by no business time yet.
//   - A running clock is Soon once the warning's share of the target (25%
//     unless set) or its fixed amount of business time is left, OK before.
//   - Waiting is the business time since the customer's oldest message that
//     no public reply of ours has followed (the creation when we never
//     replied); zero while the ticket is closed. It serves rules such as
//     "no reply for 8 business hours".
//   - Status.State is the most urgent state of the clocks still running,
//     else of those that stopped, so a queue sorts by it (see State).
//
// # The policy file
//
// A project keeps its policy in its repository at DefaultPath. Parse refuses
// unknown keys, bad times and dates, overlapping spans, zero targets and
// duplicates, naming the file and line ("sla.yml:7: unknown weekday
// \"Mnday\"..."), and on any mistake applies nothing. A file a support manager
// can copy (testdata/sla.yml):
//
//	# Service level targets for this project's Service Desk, read by Service
//	# Desk Desktop from .gitlab/service_desk_desktop/sla.yml in the repository.
//	# The clocks run only in business time: the hours below, less holidays.
//	version: 1
//
//	# The team's time zone (an IANA name): hours and holidays are read in it.
//	timezone: Europe/Berlin
//
//	# Opening hours. A line is a weekday (mon), a range (mon-fri), a list
//	# (sat, sun), weekdays, weekend or daily; days not listed are closed.
//	# Several spans on a day: "mon: 09:00-12:00, 13:00-17:30". A span that
//	# ends before it starts runs past midnight (22:00-06:00); 24:00 ends the
//	# day. For round-the-clock support write "hours: 24/7".
//	hours:
//	  mon-fri: 09:00-17:30
//	  sat: 10:00-14:00
//
//	# Whole days closed, midnight to midnight in the time zone above: a date
//	# and an optional name.
//	holidays:
//	  - 2026-12-24 Christmas Eve
//	  - 2026-12-25 Christmas Day
//	  - 2026-12-26 Boxing Day
//	  - 2027-01-01 New Year's Day
//
//	# Targets in business hours and minutes: 4h, 90m, 1h30m. There are no
//	# days, as a business day's length depends on the hours: two 8-hour days
//	# are 16h.
//	first_response: 4h   # to our first public reply
//	resolution: 40h      # from the ticket's creation to its last close
//
//	# A clock turns "soon" when this share of its target is left (25%), or
//	# this much business time (1h). Default 25%; "none" for no warning.
//	warn_before: 25%
//
//	# Stop the resolution clock while we wait on the customer: from each of
//	# our public replies until they write again. Default false.
//	pause_while_waiting_on_customer: false
//
//	# Other targets for tickets with a label. When several of a ticket's
//	# labels set a target the tightest wins; "none" switches a target off.
//	labels:
//	  urgent:
//	    first_response: 1h
//	    resolution: 8h
//	  feature-request:
//	    resolution: none
//
// A Calendar and a Policy are safe for concurrent use once built.
package sla
