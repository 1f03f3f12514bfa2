package overlay

import (
	"context"
	"encoding/json"
	"errors"
	"path/filepath"
	"testing"

	"registre"
)

func machineRecord(retention string) registre.Record {
	ev := "Privacy Shield"
	return registre.Record{
		SchemaVersion: "1", ID: "cramif-1", Organisation: "Cramif", Name: "SNTRP",
		Purposes:   []string{"Tarification"},
		Retention:  registre.Retention{Text: registre.Str(retention)},
		Flags:      []registre.Flag{{Code: "privacy_shield", Severity: "error", Message: "m", Evidence: &ev}},
		Provenance: map[string]registre.Provenance{"retention.text": {Method: registre.MethodRule, Start: 1, End: 5}},
	}
}

func open(t *testing.T) *Store {
	t.Helper()
	s, err := Open(filepath.Join(t.TempDir(), "review.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// A correction and a dismissal survive a re-ingestion that brings the same
// machine values, and carry their audit entries.
func TestCorrectionSurvivesReingestion(t *testing.T) {
	ctx := context.Background()
	s := open(t)
	rec := machineRecord("le temps nécessaire")
	if _, err := s.Correct(ctx, rec, "retention.text", json.RawMessage(`"5 ans"`), "alice", "vu avec le service"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Decide(ctx, rec, "privacy_shield", StatusDismissed, "alice", "faux positif"); err != nil {
		t.Fatal(err)
	}
	// Re-ingestion: the machine gives the same record again.
	again := machineRecord("le temps nécessaire")
	got, err := s.ApplyTo(again)
	if err != nil {
		t.Fatal(err)
	}
	if got.Retention.Text == nil || *got.Retention.Text != "5 ans" {
		t.Errorf("retention = %v, want the correction", got.Retention.Text)
	}
	if got.Provenance["retention.text"].Method != registre.MethodReview {
		t.Errorf("provenance method = %s, want review", got.Provenance["retention.text"].Method)
	}
	if got.Flags[0].Status != StatusDismissed {
		t.Errorf("flag status = %s, want dismissed", got.Flags[0].Status)
	}
	if *again.Retention.Text != "le temps nécessaire" {
		t.Error("Apply changed the machine record")
	}
	h, err := s.History(ctx, "cramif-1")
	if err != nil {
		t.Fatal(err)
	}
	if len(h) != 2 || h[0].Action != "correct" || h[0].User != "alice" || string(h[0].Before) != `"le temps nécessaire"` ||
		string(h[0].After) != `"5 ans"` || h[1].Action != "dismiss" || h[1].Comment != "faux positif" {
		t.Errorf("history = %+v", h)
	}
}

// When the machine value under a correction changes, the correction is
// stale; when the record is gone, orphaned. A flag whose evidence changed
// is open again.
func TestStaleAndOrphaned(t *testing.T) {
	ctx := context.Background()
	s := open(t)
	rec := machineRecord("le temps nécessaire")
	s.Correct(ctx, rec, "retention.text", json.RawMessage(`"5 ans"`), "alice", "")
	s.Decide(ctx, rec, "privacy_shield", StatusDismissed, "alice", "")

	changed := machineRecord("3 ans")
	ev := "Safe Harbor"
	changed.Flags[0].Evidence = &ev
	o, _ := s.Load(changed.ID)
	got, cs, ds := o.Apply(changed)
	if cs[0].State != StateStale {
		t.Errorf("correction state = %s, want stale", cs[0].State)
	}
	if ds[0].State != StateStale || got.Flags[0].Status != StatusOpen {
		t.Errorf("decision state = %s, flag status %s; want stale, open", ds[0].State, got.Flags[0].Status)
	}
	stale, orphaned, err := s.Reconcile(ctx, func(id string) (registre.Record, bool) { return changed, true })
	if err != nil || stale != 2 || orphaned != 0 {
		t.Errorf("Reconcile = %d stale, %d orphaned, %v", stale, orphaned, err)
	}
	stale, orphaned, _ = s.Reconcile(ctx, func(id string) (registre.Record, bool) { return registre.Record{}, false })
	if orphaned != 2 || stale != 0 {
		t.Errorf("Reconcile after removal = %d stale, %d orphaned", stale, orphaned)
	}
	cs2, ds2, _ := s.Pending(ctx)
	if len(cs2) != 1 || cs2[0].State != StateOrphaned || len(ds2) != 1 {
		t.Errorf("pending = %+v %+v", cs2, ds2)
	}
}

func TestCorrectRejects(t *testing.T) {
	ctx := context.Background()
	s := open(t)
	rec := machineRecord("x")
	tests := []struct {
		field, value string
	}{
		{"id", `"other"`},
		{"source.path", `"/etc/passwd"`},
		{"no_such_field", `"x"`},
		{"purposes", `"not a list"`},
		{"retention.text", `not json`},
	}
	for _, tt := range tests {
		if _, err := s.Correct(ctx, rec, tt.field, json.RawMessage(tt.value), "bob", ""); err == nil {
			t.Errorf("Correct(%s, %s): no error", tt.field, tt.value)
		}
	}
	if _, err := s.Correct(ctx, rec, "id", json.RawMessage(`"x"`), "bob", ""); !errors.Is(err, ErrUnknownField) {
		t.Errorf("error %v is not ErrUnknownField", err)
	}
	if _, err := s.Decide(ctx, rec, "missing_retention", StatusDismissed, "bob", ""); err == nil {
		t.Error("Decide on a flag the record lacks: no error")
	}
	if _, err := s.Correct(ctx, rec, "controller.name", json.RawMessage(`"Direction"`), "bob", ""); err != nil {
		t.Errorf("correct a null party: %v", err)
	}
}

func FuzzSet(f *testing.F) {
	f.Add("retention.text", `"5 ans"`)
	f.Add("purposes", `["a","b"]`)
	f.Add("controller.name", `null`)
	f.Fuzz(func(t *testing.T, path, value string) {
		rec := machineRecord("x")
		out, err := Set(rec, path, json.RawMessage(value))
		if err != nil {
			return
		}
		if out.ID != rec.ID {
			t.Fatalf("Set(%q) changed the id", path)
		}
	})
}

func TestUsers(t *testing.T) {
	s := open(t)
	tok, err := s.AddUser("alice", RoleReviewer)
	if err != nil {
		t.Fatal(err)
	}
	u, err := s.Authenticate(tok)
	if err != nil || u.Name != "alice" || u.Role != RoleReviewer {
		t.Errorf("Authenticate = %+v, %v", u, err)
	}
	if u.TokenHash == tok {
		t.Error("token stored in clear")
	}
	if _, err := s.Authenticate(tok + "x"); !errors.Is(err, ErrBadToken) {
		t.Errorf("wrong token: %v", err)
	}
	if _, err := s.AddUser("bob", "admin"); err == nil {
		t.Error("unknown role accepted")
	}
	// A new token for the same user revokes the old one.
	tok2, _ := s.AddUser("alice", RoleAnalyst)
	if _, err := s.Authenticate(tok); !errors.Is(err, ErrBadToken) {
		t.Error("old token still valid")
	}
	if u, _ := s.Authenticate(tok2); u.Role != RoleAnalyst {
		t.Errorf("role = %s", u.Role)
	}
}
