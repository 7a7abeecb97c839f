package linker

import (
	"strconv"
	"strings"
	"time"
)

// fakeLookup is a map-backed Lookup. fail, when set, is asked before every
// call and its error returned; trace, when set, hears every call.
type fakeLookup struct {
	messages   map[string]TicketRef
	keys       map[string]TicketRef
	tickets    map[TicketRef]Ticket
	byCustomer map[string][]Ticket // by customerKey
	// sloppy makes TicketsOfCustomer ignore its window, like a buggy store.
	sloppy bool
	fail   func(method string) error
	trace  func(call string)
}

var _ Lookup = (*fakeLookup)(nil)

func newFake() *fakeLookup {
	return &fakeLookup{
		messages:   map[string]TicketRef{},
		keys:       map[string]TicketRef{},
		tickets:    map[TicketRef]Ticket{},
		byCustomer: map[string][]Ticket{},
	}
}

func customerKey(projectID int64, customer string) string {
	return strconv.FormatInt(projectID, 10) + " " + strings.ToLower(customer)
}

func (f *fakeLookup) addTicket(t Ticket) {
	f.tickets[t.Ref] = t
	k := customerKey(t.Ref.ProjectID, t.Customer)
	f.byCustomer[k] = append(f.byCustomer[k], t)
}

func (f *fakeLookup) call(method, arg string) error {
	if f.trace != nil {
		f.trace(method + " " + arg)
	}
	if f.fail != nil {
		return f.fail(method)
	}
	return nil
}

func (f *fakeLookup) TicketByMessageID(id string) (TicketRef, bool, error) {
	if err := f.call("TicketByMessageID", id); err != nil {
		return TicketRef{}, false, err
	}
	ref, ok := f.messages[id]
	return ref, ok, nil
}

func (f *fakeLookup) TicketByReplyKey(key string) (TicketRef, bool, error) {
	if err := f.call("TicketByReplyKey", key); err != nil {
		return TicketRef{}, false, err
	}
	ref, ok := f.keys[key]
	return ref, ok, nil
}

func (f *fakeLookup) Ticket(projectID, iid int64) (Ticket, bool, error) {
	if err := f.call("Ticket", "#"+strconv.FormatInt(iid, 10)); err != nil {
		return Ticket{}, false, err
	}
	t, ok := f.tickets[TicketRef{projectID, iid}]
	return t, ok, nil
}

func (f *fakeLookup) TicketsOfCustomer(projectID int64, customer string, from, to time.Time) ([]Ticket, error) {
	if err := f.call("TicketsOfCustomer", customer); err != nil {
		return nil, err
	}
	var out []Ticket
	for _, t := range f.byCustomer[customerKey(projectID, customer)] {
		if f.sloppy || (!t.CreatedAt.Before(from) && !t.CreatedAt.After(to)) {
			out = append(out, t)
		}
	}
	return out, nil
}
