package review

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"registre"
	"registre/index"
	"registre/overlay"
)

// queryOf reads a search from URL parameters: q, filter=key:value
// (repeatable, the same keys as the CLI's --filter key=value), page or from,
// size.
func queryOf(v url.Values) index.Query {
	q := index.Query{Text: strings.TrimSpace(v.Get("q")), Filters: map[string][]string{}, Highlight: true}
	for _, f := range v["filter"] {
		k, val, ok := strings.Cut(f, ":")
		if !ok {
			k, val, ok = strings.Cut(f, "=")
		}
		if ok && k != "" && val != "" {
			q.Filters[k] = append(q.Filters[k], val)
		}
	}
	q.Size, _ = strconv.Atoi(v.Get("size"))
	if q.Size <= 0 || q.Size > 100 {
		q.Size = index.DefaultSize
	}
	if from, err := strconv.Atoi(v.Get("from")); err == nil && from > 0 {
		q.From = from
	}
	if page, err := strconv.Atoi(v.Get("page")); err == nil && page > 1 {
		q.From = (page - 1) * q.Size
	}
	if q.From+q.Size > index.MaxWindow {
		q.From = index.MaxWindow - q.Size
	}
	return q
}

func (s *Server) search(r *http.Request, q index.Query) (*index.Result, error) {
	var res *index.Result
	err := s.withIndex(r.Context(), func(ix index.Index) error {
		var err error
		res, err = ix.Search(r.Context(), q)
		return err
	})
	return res, err
}

func (s *Server) apiSearch(w http.ResponseWriter, r *http.Request, _ principal) {
	res, err := s.search(r, queryOf(r.URL.Query()))
	if err != nil {
		s.fail(w, r, statusOf(err), err)
		return
	}
	writeJSON(w, http.StatusOK, res)
}

func (s *Server) apiRecord(w http.ResponseWriter, r *http.Request, _ principal) {
	rec, _, _, err := s.record(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, statusOf(err), err)
		return
	}
	writeJSON(w, http.StatusOK, rec)
}

type patchBody struct {
	Field   string          `json:"field"`
	Value   json.RawMessage `json:"value"`
	Comment string          `json:"comment"`
}

func (s *Server) apiPatch(w http.ResponseWriter, r *http.Request, p principal) {
	var body patchBody
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&body); err != nil {
		status := http.StatusBadRequest
		if statusOf(err) == http.StatusRequestEntityTooLarge {
			status = http.StatusRequestEntityTooLarge
		}
		s.fail(w, r, status, fmt.Errorf("corps JSON invalide : %w", err))
		return
	}
	if body.Field == "" || len(body.Value) == 0 {
		s.fail(w, r, http.StatusBadRequest, errors.New(`"field" et "value" sont requis`))
		return
	}
	rec, err := s.correct(r, p, r.PathValue("id"), body.Field, body.Value, body.Comment)
	if err != nil {
		s.fail(w, r, statusOf(err), err)
		return
	}
	writeJSON(w, http.StatusOK, rec)
}

// correct stores a correction made against the machine record and returns
// the record with its overlay.
func (s *Server) correct(r *http.Request, p principal, id, field string, value json.RawMessage, comment string) (registre.Record, error) {
	_, machine, _, err := s.record(r.Context(), id)
	if err != nil {
		return registre.Record{}, err
	}
	if _, err := s.cfg.Overlay.Correct(r.Context(), machine, field, value, p.Name, comment); err != nil {
		return registre.Record{}, err
	}
	rec, _, _, err := s.record(r.Context(), id)
	return rec, err
}

func (s *Server) apiFlag(w http.ResponseWriter, r *http.Request, p principal) {
	var body struct {
		Comment string `json:"comment"`
	}
	if r.ContentLength != 0 {
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			s.fail(w, r, http.StatusBadRequest, fmt.Errorf("corps JSON invalide : %w", err))
			return
		}
	}
	rec, err := s.decide(r, p, r.PathValue("id"), r.PathValue("code"), r.PathValue("action"), body.Comment)
	if err != nil {
		s.fail(w, r, statusOf(err), err)
		return
	}
	writeJSON(w, http.StatusOK, rec)
}

var actions = map[string]string{"resolve": overlay.StatusResolved, "dismiss": overlay.StatusDismissed, "reopen": overlay.StatusOpen}

func (s *Server) decide(r *http.Request, p principal, id, code, action, comment string) (registre.Record, error) {
	status, ok := actions[action]
	if !ok {
		return registre.Record{}, fmt.Errorf("%w: action %q (resolve, dismiss ou reopen)", overlay.ErrUnknownField, action)
	}
	_, machine, _, err := s.record(r.Context(), id)
	if err != nil {
		return registre.Record{}, err
	}
	if _, err := s.cfg.Overlay.Decide(r.Context(), machine, code, status, p.Name, comment); err != nil {
		return registre.Record{}, fmt.Errorf("%w: %v", overlay.ErrUnknownField, err)
	}
	rec, _, _, err := s.record(r.Context(), id)
	return rec, err
}

func (s *Server) apiHistory(w http.ResponseWriter, r *http.Request, _ principal) {
	h, err := s.cfg.Overlay.History(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, statusOf(err), err)
		return
	}
	if h == nil {
		h = []overlay.Entry{}
	}
	writeJSON(w, http.StatusOK, h)
}

// QueueItem is one record to review, most urgent first.
type QueueItem struct {
	ID           string   `json:"id"`
	Name         string   `json:"name"`
	Organisation string   `json:"organisation"`
	Score        float64  `json:"score"`
	OpenFlags    []string `json:"open_flags"`
	Errors       int      `json:"errors"`
	Warnings     int      `json:"warnings"`
	// MinConfidence is the lowest extraction confidence among the fields.
	MinConfidence float64 `json:"min_confidence"`
	// Corrections needing another look (stale: the machine value changed
	// since; orphaned records are listed apart).
	Stale []string `json:"stale_corrections,omitempty"`
}

// Queue is the review queue.
type Queue struct {
	Items    []QueueItem          `json:"items"`
	Orphaned []overlay.Correction `json:"orphaned_corrections"`
}

var severityWeight = map[string]float64{registre.SeverityError: 10, registre.SeverityWarning: 3, registre.SeverityInfo: 0.5}

// queue ranks records by open flags (by severity) and low confidence.
func (s *Server) queue(r *http.Request, filters map[string][]string, limit int) (Queue, error) {
	var recs []registre.Record
	err := s.withIndex(r.Context(), func(ix index.Index) error {
		for from := 0; from < index.MaxWindow; from += index.MaxSize {
			res, err := ix.Search(r.Context(), index.Query{Filters: filters, WithRecords: true, From: from, Size: index.MaxSize, Facets: []string{}})
			if err != nil {
				return err
			}
			for _, h := range res.Hits {
				if h.Record != nil {
					recs = append(recs, *h.Record)
				}
			}
			if from+len(res.Hits) >= res.Total || len(res.Hits) == 0 {
				break
			}
		}
		return nil
	})
	if err != nil {
		return Queue{}, err
	}
	byID := map[string]registre.Record{}
	for _, rec := range recs {
		byID[rec.ID] = rec
	}
	q := Queue{Items: []QueueItem{}, Orphaned: []overlay.Correction{}}
	for _, machine := range recs {
		o, err := s.cfg.Overlay.Load(machine.ID)
		if err != nil {
			return Queue{}, err
		}
		rec, cs, _ := o.Apply(machine)
		it := QueueItem{ID: rec.ID, Name: rec.Name, Organisation: rec.Organisation, MinConfidence: 1}
		for _, f := range rec.Flags {
			if f.Status != overlay.StatusOpen {
				continue
			}
			it.OpenFlags = append(it.OpenFlags, f.Code)
			it.Score += severityWeight[f.Severity]
			switch f.Severity {
			case registre.SeverityError:
				it.Errors++
			case registre.SeverityWarning:
				it.Warnings++
			}
		}
		for _, p := range rec.Provenance {
			if p.Method != registre.MethodReview && p.Confidence > 0 && p.Confidence < it.MinConfidence {
				it.MinConfidence = p.Confidence
			}
		}
		it.Score += 5 * (1 - it.MinConfidence)
		for _, c := range cs {
			if c.State == overlay.StateStale {
				it.Stale = append(it.Stale, c.Field)
				it.Score += 20 // a correction to re-review comes first
			}
		}
		if it.Score > 0 {
			q.Items = append(q.Items, it)
		}
	}
	sort.SliceStable(q.Items, func(i, j int) bool {
		if q.Items[i].Score != q.Items[j].Score {
			return q.Items[i].Score > q.Items[j].Score
		}
		return q.Items[i].ID < q.Items[j].ID
	})
	if limit > 0 && len(q.Items) > limit {
		q.Items = q.Items[:limit]
	}
	_, _, err = s.cfg.Overlay.Reconcile(r.Context(), func(id string) (registre.Record, bool) {
		rec, ok := byID[id]
		return rec, ok || len(filters) > 0 // with filters, absent ≠ gone
	})
	if err != nil {
		return Queue{}, err
	}
	pending, _, err := s.cfg.Overlay.Pending(r.Context())
	if err != nil {
		return Queue{}, err
	}
	for _, c := range pending {
		if c.State == overlay.StateOrphaned {
			q.Orphaned = append(q.Orphaned, c)
		}
	}
	return q, nil
}

func (s *Server) apiQueue(w http.ResponseWriter, r *http.Request, _ principal) {
	limit, _ := strconv.Atoi(r.URL.Query().Get("limit"))
	q, err := s.queue(r, queryOf(r.URL.Query()).Filters, limit)
	if err != nil {
		s.fail(w, r, statusOf(err), err)
		return
	}
	writeJSON(w, http.StatusOK, q)
}
