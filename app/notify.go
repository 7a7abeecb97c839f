package app

import (
	"context"
	"fmt"
	"time"

	"github.com/wailsapp/wails/v2/pkg/runtime"

	"servicedesk/internal/model"
)

// notifiedKey is the setting holding the creation time (Unix ms) of the
// newest ticket a notification was shown for.
const notifiedKey = "notified_through"

// notifyNew shows a desktop notification for each ticket that arrived in
// Needs reply since the last one notified (three at most, then a count).
// The first sync of a profile notifies nothing: its tickets are not new.
func (a *App) notifyNew() {
	a.notifyMu.Lock()
	defer a.notifyMu.Unlock()
	if a.notify == nil {
		return
	}
	ctx := context.Background()
	svc := a.current()
	prefs, err := a.GetPrefs()
	if err != nil {
		a.log.Warn("notify: read the preferences", "err", err)
		return
	}
	var through int64
	ok, err := svc.Setting(ctx, notifiedKey, &through)
	if err != nil {
		a.log.Warn("notify: read the mark", "err", err)
		return
	}
	if !ok {
		_ = svc.SetSetting(ctx, notifiedKey, time.Now().UnixMilli())
		return
	}
	page, err := svc.ListTickets(ctx, model.TicketFilter{NeedsReply: true, CreatedAfter: time.UnixMilli(through + 1),
		Sort: model.SortCreated, Limit: 50}, "")
	if err != nil || len(page.Tickets) == 0 {
		return
	}
	if err := svc.SetSetting(ctx, notifiedKey, page.Tickets[0].CreatedAt.UnixMilli()); err != nil {
		a.log.Warn("notify: save the mark", "err", err)
		return
	}
	if !prefs.Notify {
		return
	}
	for i, t := range page.Tickets {
		title, body := fmt.Sprintf("New ticket #%d", t.IID), t.Customer+": "+t.Title
		if i == 2 && page.Total > 3 {
			title, body = fmt.Sprintf("%d new tickets", page.Total-2), "Open Needs reply to see them"
		}
		if err := a.notify(title, body); err != nil {
			a.log.Warn("notify", "err", err)
			return
		}
		if i == 2 {
			break
		}
	}
}

// BeforeClose is Wails' OnBeforeClose: it remembers the window's size for
// the next start (not a maximised or full-screen one).
func (a *App) BeforeClose(ctx context.Context) (prevent bool) {
	if runtime.WindowIsMaximised(ctx) || runtime.WindowIsFullscreen(ctx) {
		return false
	}
	w, h := runtime.WindowGetSize(ctx)
	p, err := a.GetPrefs()
	if err == nil && w > 0 && h > 0 {
		p.WindowWidth, p.WindowHeight = w, h
		err = a.current().SetSetting(context.Background(), prefsKey, p)
	}
	if err != nil {
		a.log.Warn("remember the window size", "err", err)
	}
	return false
}

// WindowSize is the window's remembered size, or the given default. (A
// function, not a method: Wails would offer a method to the page.)
func WindowSize(a *App, width, height int) (int, int) {
	if a.sess == nil {
		return width, height
	}
	p, err := a.GetPrefs()
	if err != nil || p.WindowWidth < 400 || p.WindowHeight < 300 {
		return width, height
	}
	return p.WindowWidth, p.WindowHeight
}
