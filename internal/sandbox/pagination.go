package sandbox

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
)

// pageParams reads page and per_page as GitLab does: per_page defaults to 20
// and is clamped to 100; page defaults to 1.
func pageParams(q url.Values) (page, perPage int, err error) {
	page, perPage = 1, 20
	if s := q.Get("page"); s != "" {
		if page, err = strconv.Atoi(s); err != nil {
			return 0, 0, fmt.Errorf("page is invalid")
		}
		if page < 1 {
			page = 1
		}
	}
	if s := q.Get("per_page"); s != "" {
		if perPage, err = strconv.Atoi(s); err != nil {
			return 0, 0, fmt.Errorf("per_page is invalid")
		}
		if perPage < 1 {
			perPage = 20
		}
		if perPage > 100 {
			perPage = 100
		}
	}
	return page, perPage, nil
}

// requestURL rebuilds the full URL of r with query q.
func requestURL(r *http.Request, q url.Values) string {
	u := url.URL{Scheme: "http", Host: r.Host, Path: r.URL.Path, RawPath: r.URL.RawPath, RawQuery: q.Encode()}
	return u.String()
}

// offsetPage slices n items into one page and writes GitLab's offset
// pagination headers. It returns the [lo, hi) bounds of the page.
func offsetPage(w http.ResponseWriter, r *http.Request, n, page, perPage int) (lo, hi int) {
	totalPages := (n + perPage - 1) / perPage
	if totalPages == 0 {
		totalPages = 1
	}
	lo = min((page-1)*perPage, n)
	hi = min(lo+perPage, n)
	h := w.Header()
	h.Set("X-Page", strconv.Itoa(page))
	h.Set("X-Per-Page", strconv.Itoa(perPage))
	h.Set("X-Total", strconv.Itoa(n))
	h.Set("X-Total-Pages", strconv.Itoa(totalPages))
	h.Set("X-Next-Page", "")
	h.Set("X-Prev-Page", "")
	link := func(p int, rel string) string {
		q := r.URL.Query()
		q.Set("page", strconv.Itoa(p))
		q.Set("per_page", strconv.Itoa(perPage))
		return fmt.Sprintf("<%s>; rel=%q", requestURL(r, q), rel)
	}
	var links []string
	if page > 1 {
		h.Set("X-Prev-Page", strconv.Itoa(min(page-1, totalPages)))
		links = append(links, link(min(page-1, totalPages), "prev"))
	}
	if page < totalPages {
		h.Set("X-Next-Page", strconv.Itoa(page+1))
		links = append(links, link(page+1, "next"))
	}
	links = append(links, link(1, "first"), link(totalPages, "last"))
	h.Set("Link", joinLinks(links))
	return lo, hi
}

func joinLinks(l []string) string {
	s := ""
	for i, x := range l {
		if i > 0 {
			s += ", "
		}
		s += x
	}
	return s
}

// cursor is the opaque keyset position: the sort value and id of the last row.
type cursor struct {
	Value int64 `json:"v"`
	ID    int64 `json:"id"`
}

func encodeCursor(c cursor) string {
	b, _ := json.Marshal(c)
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeCursor(s string) (cursor, error) {
	var c cursor
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return c, fmt.Errorf("cursor is invalid: %w", err)
	}
	if err := json.Unmarshal(b, &c); err != nil {
		return c, fmt.Errorf("cursor is invalid: %w", err)
	}
	return c, nil
}

// keysetNext writes the Link rel="next" header of keyset pagination.
func keysetNext(w http.ResponseWriter, r *http.Request, perPage int, last cursor) {
	q := r.URL.Query()
	q.Del("page")
	q.Set("per_page", strconv.Itoa(perPage))
	q.Set("cursor", encodeCursor(last))
	w.Header().Set("Link", fmt.Sprintf("<%s>; rel=\"next\"", requestURL(r, q)))
}
