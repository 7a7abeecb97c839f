package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"servicedesk/internal/model"
	"servicedesk/internal/service"
)

// The outbox commands: reply and draft queue and keep what the agent
// writes; outbox lists, sends (flush), takes back (undo) and decides. The
// command line has no window to run the outbox: what it queues leaves with
// `outbox flush` or when the app is open on the profile.

// opJSON is an op as `reply --json`, `outbox --json` and `outbox flush
// --json` print it: the op's own keys, the project's path, and error (the
// reason, under the key DESIGN section 8 promised scripts).
type opJSON struct {
	model.OutboxOp
	Project   string `json:"project"`
	Error     string `json:"error"`
	MessageID string `json:"message_id"` // always there, "" unless mailed
}

// stringList is a flag given several times (--attach F --attach G).
type stringList []string

func (l *stringList) String() string     { return strings.Join(*l, ",") }
func (l *stringList) Set(s string) error { *l = append(*l, s); return nil }

// ticketArg is the one ticket number a command takes: "12" or "#12".
func ticketArg(cmd string, pos []string) (int64, error) {
	if len(pos) != 1 {
		return 0, misuse("%s needs one ticket number", cmd)
	}
	iid, err := strconv.ParseInt(strings.TrimPrefix(pos[0], "#"), 10, 64)
	if err != nil || iid <= 0 {
		return 0, misuse("%q is not a ticket number", pos[0])
	}
	return iid, nil
}

// notLocal says what to do when a ticket is not in the local copy.
func notLocal(p model.Project, iid int64, err error) error {
	if errors.Is(err, model.ErrNotFound) {
		return fmt.Errorf("%s#%d is not in the local copy (run 'servicedesk sync'): %w", p.Path, iid, err)
	}
	return err
}

// readBody reads a --body-file: a path, or "-" for standard input.
func (c *command) readBody(path string) (string, error) {
	var b []byte
	var err error
	if path == "-" {
		b, err = io.ReadAll(c.env.Stdin)
	} else {
		b, err = os.ReadFile(path)
	}
	if err != nil {
		return "", fmt.Errorf("read the body: %w", err)
	}
	return string(b), nil
}

// reply queues a reply or internal note and prints its op id.
func (c *command) reply(args []string) error {
	fs := newFlags("reply")
	bodyFile := fs.String("body-file", "", "file with the Markdown body (- for standard input)")
	internal := fs.Bool("internal", false, "an internal note instead of a reply to the customer")
	var attach stringList
	fs.Var(&attach, "attach", "file to attach (repeat for more)")
	sendAt := fs.String("send-at", "", "send later, at this time (RFC 3339)")
	now := fs.Bool("now", false, "no undo window: due at once")
	project := fs.String("project", "", "project path (needed when the profile has several)")
	asJSON := fs.Bool("json", false, "print the op as JSON")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	iid, err := ticketArg("reply", pos)
	if err != nil {
		return err
	}
	if *bodyFile == "" {
		return misuse("reply needs --body-file F (- for standard input)")
	}
	req := service.ReplyRequest{IID: iid, Internal: *internal, Files: attach}
	if *sendAt != "" {
		if *now {
			return misuse("--now and --send-at do not go together")
		}
		if req.SendAt, err = time.Parse(time.RFC3339, *sendAt); err != nil {
			return misuse("--send-at %q is not an RFC 3339 time (like 2030-01-02T15:04:05+01:00)", *sendAt)
		}
	}
	if *now {
		req.Undo = -1
	}
	for _, f := range attach {
		if st, err := os.Stat(f); err != nil {
			return fmt.Errorf("cannot attach %s: %w", f, err)
		} else if st.IsDir() {
			return fmt.Errorf("cannot attach %s: it is a folder", f)
		}
	}
	if req.Body, err = c.readBody(*bodyFile); err != nil {
		return err
	}
	ctx := context.Background()
	svc, p, err := c.serviceFor(ctx, *project)
	if err != nil {
		return err
	}
	req.ProjectID = p.ID
	op, err := svc.Reply(ctx, req)
	if err != nil {
		return notLocal(p, iid, err)
	}
	if *asJSON {
		return c.printJSON(toOpJSON(op, map[int64]string{p.ID: p.Path}))
	}
	fmt.Fprintln(c.env.Stdout, op.ID)
	return nil
}

// draft saves a ticket's draft (--body-file) or prints it.
func (c *command) draft(args []string) error {
	fs := newFlags("draft")
	bodyFile := fs.String("body-file", "", "file with the Markdown body (- for standard input); empty deletes the draft")
	internal := fs.Bool("internal", false, "the draft is an internal note")
	project := fs.String("project", "", "project path (needed when the profile has several)")
	asJSON := fs.Bool("json", false, "print the draft as JSON")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	iid, err := ticketArg("draft", pos)
	if err != nil {
		return err
	}
	if *internal && *bodyFile == "" {
		return misuse("--internal goes with --body-file")
	}
	body := ""
	if *bodyFile != "" {
		if body, err = c.readBody(*bodyFile); err != nil {
			return err
		}
	}
	ctx := context.Background()
	svc, p, err := c.serviceFor(ctx, *project)
	if err != nil {
		return err
	}
	var d model.Draft
	if *bodyFile != "" {
		d, err = svc.SaveDraft(ctx, p.ID, iid, body, *internal)
	} else {
		d, err = svc.Draft(ctx, p.ID, iid)
	}
	if err != nil {
		return notLocal(p, iid, err)
	}
	switch {
	case *asJSON:
		return c.printJSON(d)
	case *bodyFile == "":
		fmt.Fprint(c.env.Stdout, d.Body)
		if d.Body != "" && !strings.HasSuffix(d.Body, "\n") {
			fmt.Fprintln(c.env.Stdout)
		}
	case strings.TrimSpace(body) == "":
		fmt.Fprintf(c.env.Stdout, "Deleted the draft of #%d\n", iid)
	default:
		fmt.Fprintf(c.env.Stdout, "Saved the draft of #%d\n", iid)
	}
	return nil
}

// outbox lists the outbox, or runs one of its subcommands.
func (c *command) outbox(args []string) error {
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		switch args[0] {
		case "flush":
			return c.outboxFlush(args[1:])
		case "undo":
			return c.outboxUndo(args[1:])
		case "decide":
			return c.outboxDecide(args[1:])
		}
		return misuse("unknown outbox subcommand %q: flush, undo or decide", args[0])
	}
	fs := newFlags("outbox")
	all := fs.Bool("all", false, "include the ops that are done")
	asJSON := fs.Bool("json", false, "print JSON")
	if pos, err := parse(fs, args); err != nil {
		return err
	} else if len(pos) > 0 {
		return misuse("unexpected argument %q", pos[0])
	}
	ctx := context.Background()
	svc, err := c.service(ctx)
	if err != nil {
		return err
	}
	ops, err := svc.Outbox(ctx, *all)
	if err != nil {
		return err
	}
	paths, err := projectPaths(ctx, svc)
	if err != nil {
		return err
	}
	if *asJSON {
		return c.printJSON(toOpsJSON(ops, paths))
	}
	w := c.table(opHeader)
	writeOps(w, ops)
	return w.Flush()
}

const opHeader = "ID\tTICKET\tKIND\tSTATE\tATTEMPTS\tWHEN\tREASON"

// writeOps writes ops as rows under opHeader; the reason is cut to fit a
// line (`--json` has it whole).
func writeOps(w io.Writer, ops []model.OutboxOp) {
	for _, op := range ops {
		fmt.Fprintf(w, "%s\t#%d\t%s\t%s\t%d\t%s\t%s\n", op.ID, op.IID, op.Kind, op.State, op.Attempts, when(op), truncate(oneLine(op.Reason), 70))
	}
}

// when says when an op leaves or is tried again.
func when(op model.OutboxOp) string {
	switch {
	case op.State == model.OpQueued && !op.NotBefore.IsZero():
		return "sends " + clock(op.NotBefore)
	case op.State == model.OpFailed && op.Retryable && !op.NextTryAt.IsZero():
		return "retries " + clock(op.NextTryAt)
	}
	return "-"
}

// clock is a local time, with the date when it is not today.
func clock(t time.Time) string {
	t = t.Local()
	y, m, d := t.Date()
	if ny, nm, nd := time.Now().Date(); y == ny && m == nm && d == nd {
		return t.Format("15:04:05")
	}
	return t.Format("2006-01-02 15:04")
}

func truncate(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}

func projectPaths(ctx context.Context, svc *service.Service) (map[int64]string, error) {
	ps, err := svc.Projects(ctx)
	if err != nil {
		return nil, err
	}
	paths := map[int64]string{}
	for _, p := range ps {
		paths[p.ID] = p.Path
	}
	return paths, nil
}

func toOpJSON(op model.OutboxOp, paths map[int64]string) opJSON {
	return opJSON{OutboxOp: op, Project: paths[op.ProjectID], Error: op.Reason, MessageID: op.MessageID}
}

func toOpsJSON(ops []model.OutboxOp, paths map[int64]string) []opJSON {
	out := make([]opJSON, 0, len(ops))
	for _, op := range ops {
		out = append(out, toOpJSON(op, paths))
	}
	return out
}

// outboxUndo takes back an op that has not left; a reply's text goes back
// to the ticket's draft.
func (c *command) outboxUndo(args []string) error {
	fs := newFlags("outbox undo")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return misuse("outbox undo needs one op id (see 'servicedesk outbox')")
	}
	ctx := context.Background()
	svc, err := c.service(ctx)
	if err != nil {
		return err
	}
	op, err := svc.Undo(ctx, pos[0])
	if err != nil {
		return opError(pos[0], err)
	}
	fmt.Fprintf(c.env.Stdout, "Undid %s (#%d %s)", op.ID, op.IID, op.Kind)
	if op.Kind == model.OpReply || op.Kind == model.OpNote {
		fmt.Fprintf(c.env.Stdout, "; its text is back in the draft of #%d", op.IID)
	}
	fmt.Fprintln(c.env.Stdout)
	return nil
}

// decisions are what `outbox decide` accepts, in the order the help lists them.
var decisions = []string{service.DecideRetry, service.DecideSendAnyway, service.DecideEdit, service.DecideDiscard,
	service.DecideSendAgain, service.DecideDelivered}

// outboxDecide applies the agent's decision about an op that stopped.
func (c *command) outboxDecide(args []string) error {
	fs := newFlags("outbox decide")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 2 {
		return misuse("outbox decide needs an op id and a decision: %s", strings.Join(decisions, ", "))
	}
	id, decision := pos[0], pos[1]
	if !slices.Contains(decisions, decision) {
		return misuse("%q is not a decision: %s", decision, strings.Join(decisions, ", "))
	}
	ctx := context.Background()
	svc, err := c.service(ctx)
	if err != nil {
		return err
	}
	op, err := svc.Decide(ctx, id, decision)
	if err != nil {
		return opError(id, err)
	}
	switch decision {
	case service.DecideDiscard:
		fmt.Fprintf(c.env.Stdout, "Discarded %s (#%d %s)\n", id, op.IID, op.Kind)
	case service.DecideEdit:
		fmt.Fprintf(c.env.Stdout, "%s (#%d %s) is back in the draft of #%d\n", id, op.IID, op.Kind, op.IID)
	default:
		fmt.Fprintf(c.env.Stdout, "%s (#%d %s) is %s\n", id, op.IID, op.Kind, op.State)
	}
	return nil
}

// opError says what to do when an op id is not in the outbox.
func opError(id string, err error) error {
	if errors.Is(err, model.ErrNotFound) {
		return fmt.Errorf("no op %s in the outbox (see 'servicedesk outbox --all')", id)
	}
	return err
}
