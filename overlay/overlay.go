// Package overlay keeps what people decide apart from what machines extract:
// field corrections and flag decisions are an overlay, keyed by record id and
// field path (or flag code), stored with an audit trail in the data dir, and
// re-applied to machine records after every ingestion.
//
// A correction remembers the machine value it replaced. When a re-ingestion
// brings a different machine value (the evidence under the correction
// changed), the correction is marked stale for re-review; when the record is
// gone, orphaned. A dismissed or resolved flag stays so while its evidence is
// unchanged.
package overlay

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"registre"
)

// States of a correction.
const (
	StateActive   = "active"
	StateStale    = "stale"
	StateOrphaned = "orphaned"
)

// Flag statuses a reviewer can set.
const (
	StatusOpen      = "open"
	StatusResolved  = "resolved"
	StatusDismissed = "dismissed"
)

// Correction is a reviewer's value for one field of one record.
type Correction struct {
	RecordID string          `json:"record_id"`
	Field    string          `json:"field"`
	Value    json.RawMessage `json:"value"`
	// Machine is the machine value the correction replaced.
	Machine json.RawMessage `json:"machine"`
	User    string          `json:"user"`
	Time    time.Time       `json:"time"`
	Comment string          `json:"comment,omitempty"`
	State   string          `json:"state"`
}

// Decision is a reviewer's status for one flag of one record.
type Decision struct {
	RecordID string    `json:"record_id"`
	Code     string    `json:"code"`
	Status   string    `json:"status"`
	Evidence string    `json:"evidence"` // the flag's evidence when decided
	User     string    `json:"user"`
	Time     time.Time `json:"time"`
	Comment  string    `json:"comment,omitempty"`
	State    string    `json:"state"`
}

// Entry is one line of the audit trail.
type Entry struct {
	RecordID string          `json:"record_id"`
	User     string          `json:"user"`
	Time     time.Time       `json:"time"`
	Action   string          `json:"action"` // correct, resolve, dismiss, reopen
	Field    string          `json:"field"`
	Before   json.RawMessage `json:"before"`
	After    json.RawMessage `json:"after"`
	Comment  string          `json:"comment,omitempty"`
}

var (
	bCorrections = []byte("corrections")
	bDecisions   = []byte("decisions")
	bAudit       = []byte("audit")
	bUsers       = []byte("users")
)

// ErrUnknownField is returned for a field path the record does not have.
var ErrUnknownField = errors.New("unknown field")

// ErrBadValue is returned for a value that does not fit its field.
var ErrBadValue = errors.New("invalid value")

// Store is the overlay store, a bbolt file in the data dir.
type Store struct {
	db  *bolt.DB
	now func() time.Time
}

// Open opens (or creates) the store at path. It waits a few seconds for
// another process holding the file (an ingest run) rather than failing.
func Open(path string) (*Store, error) {
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: 10 * time.Second})
	if err != nil {
		return nil, fmt.Errorf("open overlay store %s: %w", path, err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		for _, b := range [][]byte{bCorrections, bDecisions, bAudit, bUsers} {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("init overlay store: %w", err)
	}
	return &Store{db: db, now: time.Now}, nil
}

// Close closes the store.
func (s *Store) Close() error { return s.db.Close() }

func key(parts ...string) []byte { return []byte(strings.Join(parts, "\x00")) }

// Correct stores a correction of field (a contract path such as
// "retention.text" or "purposes") on rec, the record as the machine made it
// (without corrections), and writes the audit entry.
func (s *Store) Correct(ctx context.Context, rec registre.Record, field string, value json.RawMessage, user, comment string) (Entry, error) {
	machine, err := Get(rec, field)
	if err != nil {
		return Entry{}, err
	}
	// Check the value fits the field before storing it.
	if _, err := Set(rec, field, value); err != nil {
		return Entry{}, err
	}
	var e Entry
	err = s.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bCorrections)
		k := key(rec.ID, field)
		before := machine
		if old := b.Get(k); old != nil {
			var c Correction
			if json.Unmarshal(old, &c) == nil {
				before = c.Value
			}
		}
		c := Correction{RecordID: rec.ID, Field: field, Value: value, Machine: machine, User: user, Time: s.now().UTC(), Comment: comment, State: StateActive}
		data, err := json.Marshal(c)
		if err != nil {
			return err
		}
		if err := b.Put(k, data); err != nil {
			return err
		}
		e = Entry{RecordID: rec.ID, User: user, Time: c.Time, Action: "correct", Field: field, Before: before, After: value, Comment: comment}
		return audit(tx, e)
	})
	return e, err
}

// Decide sets the status of a flag of rec (resolved, dismissed, or open to
// reopen it) and writes the audit entry.
func (s *Store) Decide(ctx context.Context, rec registre.Record, code, status, user, comment string) (Entry, error) {
	var flag *registre.Flag
	for i := range rec.Flags {
		if rec.Flags[i].Code == code {
			flag = &rec.Flags[i]
			break
		}
	}
	if flag == nil {
		return Entry{}, fmt.Errorf("record %s has no flag %q", rec.ID, code)
	}
	switch status {
	case StatusResolved, StatusDismissed, StatusOpen:
	default:
		return Entry{}, fmt.Errorf("unknown flag status %q", status)
	}
	var e Entry
	err := s.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bDecisions)
		k := key(rec.ID, code)
		before := StatusOpen
		if old := b.Get(k); old != nil {
			var d Decision
			if json.Unmarshal(old, &d) == nil {
				before = d.Status
			}
		}
		d := Decision{RecordID: rec.ID, Code: code, Status: status, Evidence: evidenceOf(*flag), User: user, Time: s.now().UTC(), Comment: comment, State: StateActive}
		data, err := json.Marshal(d)
		if err != nil {
			return err
		}
		if err := b.Put(k, data); err != nil {
			return err
		}
		action := map[string]string{StatusResolved: "resolve", StatusDismissed: "dismiss", StatusOpen: "reopen"}[status]
		e = Entry{RecordID: rec.ID, User: user, Time: d.Time, Action: action, Field: "flags." + code, Before: quote(before), After: quote(status), Comment: comment}
		return audit(tx, e)
	})
	return e, err
}

func evidenceOf(f registre.Flag) string {
	ev := ""
	if f.Evidence != nil {
		ev = *f.Evidence
	}
	sum := sha256.Sum256([]byte(ev))
	return hex.EncodeToString(sum[:8])
}

func quote(s string) json.RawMessage {
	b, _ := json.Marshal(s)
	return b
}

func audit(tx *bolt.Tx, e Entry) error {
	b := tx.Bucket(bAudit)
	seq, err := b.NextSequence()
	if err != nil {
		return err
	}
	data, err := json.Marshal(e)
	if err != nil {
		return err
	}
	return b.Put(key(e.RecordID, fmt.Sprintf("%016d", seq)), data)
}

// History returns the audit entries of a record, oldest first.
func (s *Store) History(ctx context.Context, id string) ([]Entry, error) {
	var out []Entry
	err := s.db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bAudit).Cursor()
		prefix := key(id, "")
		for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
			var e Entry
			if err := json.Unmarshal(v, &e); err != nil {
				return err
			}
			out = append(out, e)
		}
		return nil
	})
	return out, err
}

// Overlay is what the store holds for one record.
type Overlay struct {
	Corrections []Correction
	Decisions   []Decision
}

// Load returns the overlay of one record.
func (s *Store) Load(id string) (Overlay, error) {
	var o Overlay
	err := s.db.View(func(tx *bolt.Tx) error {
		prefix := key(id, "")
		c := tx.Bucket(bCorrections).Cursor()
		for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
			var x Correction
			if err := json.Unmarshal(v, &x); err != nil {
				return err
			}
			o.Corrections = append(o.Corrections, x)
		}
		c = tx.Bucket(bDecisions).Cursor()
		for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
			var x Decision
			if err := json.Unmarshal(v, &x); err != nil {
				return err
			}
			o.Decisions = append(o.Decisions, x)
		}
		return nil
	})
	return o, err
}

// Apply returns rec with its overlay applied: corrected values (provenance
// method "review"), flag statuses, and the states of the overlay entries as
// seen against this machine record (stale when the machine value under a
// correction, or a flag's evidence, changed). Every flag gets a status.
func (o Overlay) Apply(rec registre.Record) (registre.Record, []Correction, []Decision) {
	var cs []Correction
	for _, c := range o.Corrections {
		machine, err := Get(rec, c.Field)
		if err == nil && !jsonEqual(machine, c.Machine) {
			c.State = StateStale
		}
		if next, err := Set(rec, c.Field, c.Value); err == nil {
			rec = next
			if rec.Provenance == nil {
				rec.Provenance = map[string]registre.Provenance{}
			}
			p := rec.Provenance[c.Field]
			p.Method, p.Confidence = registre.MethodReview, 1
			rec.Provenance[c.Field] = p
		}
		cs = append(cs, c)
	}
	var ds []Decision
	for i := range rec.Flags {
		if rec.Flags[i].Status == "" {
			rec.Flags[i].Status = StatusOpen
		}
	}
	for _, d := range o.Decisions {
		found := false
		for i := range rec.Flags {
			f := &rec.Flags[i]
			if f.Code != d.Code {
				continue
			}
			found = true
			if evidenceOf(*f) == d.Evidence {
				f.Status = d.Status
			} else {
				d.State = StateStale // evidence changed: the flag is open again
			}
		}
		if !found {
			d.State = StateOrphaned
		}
		ds = append(ds, d)
	}
	return rec, cs, ds
}

// ApplyTo loads and applies the overlay of rec.
func (s *Store) ApplyTo(rec registre.Record) (registre.Record, error) {
	o, err := s.Load(rec.ID)
	if err != nil {
		return rec, err
	}
	out, _, _ := o.Apply(rec)
	return out, nil
}

// Reconcile re-checks every correction and decision against the current
// machine records (after an ingestion): states become active, stale or
// orphaned (record gone). get returns the machine record of an id.
func (s *Store) Reconcile(ctx context.Context, get func(id string) (registre.Record, bool)) (stale, orphaned int, err error) {
	err = s.db.Update(func(tx *bolt.Tx) error {
		for _, bucket := range [][]byte{bCorrections, bDecisions} {
			b := tx.Bucket(bucket)
			type kv struct{ k, v []byte }
			var updates []kv
			err := b.ForEach(func(k, v []byte) error {
				id := string(k[:bytes.IndexByte(k, 0)])
				rec, ok := get(id)
				var state string
				var raw map[string]any
				if err := json.Unmarshal(v, &raw); err != nil {
					return err
				}
				switch {
				case !ok:
					state = StateOrphaned
				case bytes.Equal(bucket, bCorrections):
					var c Correction
					json.Unmarshal(v, &c)
					_, cs, _ := Overlay{Corrections: []Correction{c}}.Apply(rec)
					state = cs[0].State
				default:
					var d Decision
					json.Unmarshal(v, &d)
					_, _, ds := Overlay{Decisions: []Decision{d}}.Apply(rec)
					state = ds[0].State
				}
				switch state {
				case StateStale:
					stale++
				case StateOrphaned:
					orphaned++
				}
				if raw["state"] != state {
					raw["state"] = state
					nv, err := json.Marshal(raw)
					if err != nil {
						return err
					}
					updates = append(updates, kv{append([]byte(nil), k...), nv})
				}
				return nil
			})
			if err != nil {
				return err
			}
			for _, u := range updates {
				if err := b.Put(u.k, u.v); err != nil {
					return err
				}
			}
		}
		return nil
	})
	return stale, orphaned, err
}

// Pending lists the corrections and decisions that need another look
// (stale or orphaned), for the review queue.
func (s *Store) Pending(ctx context.Context) ([]Correction, []Decision, error) {
	var cs []Correction
	var ds []Decision
	err := s.db.View(func(tx *bolt.Tx) error {
		if err := tx.Bucket(bCorrections).ForEach(func(k, v []byte) error {
			var c Correction
			if err := json.Unmarshal(v, &c); err != nil {
				return err
			}
			if c.State != StateActive {
				cs = append(cs, c)
			}
			return nil
		}); err != nil {
			return err
		}
		return tx.Bucket(bDecisions).ForEach(func(k, v []byte) error {
			var d Decision
			if err := json.Unmarshal(v, &d); err != nil {
				return err
			}
			if d.State != StateActive {
				ds = append(ds, d)
			}
			return nil
		})
	})
	sort.Slice(cs, func(i, j int) bool { return cs[i].RecordID+cs[i].Field < cs[j].RecordID+cs[j].Field })
	return cs, ds, err
}

func jsonEqual(a, b json.RawMessage) bool {
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return bytes.Equal(a, b)
	}
	xa, _ := json.Marshal(x)
	ya, _ := json.Marshal(y)
	return bytes.Equal(xa, ya)
}
