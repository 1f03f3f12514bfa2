package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"registre"
)

const corpus = "../../fixtures/corpus"

func runCLI(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(context.Background(), args, &out, &errb)
	return out.String(), errb.String(), code
}

func schema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	c := jsonschema.NewCompiler()
	sch, err := c.Compile("../../fixtures/contract/record.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	return sch
}

func lines(s string) []string {
	s = strings.TrimRight(s, "\n")
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

// The Cramif page: 73 valid records, organisation and parties inherited,
// recipients split, provenance on every stated field, identical bytes twice.
func TestExtractCramifHTML(t *testing.T) {
	path := filepath.Join(corpus, "cramif-registre.html")
	out, errs, code := runCLI(t, "extract", "--jsonl", path)
	if code != 0 || errs != "" {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
	sch := schema(t)
	ls := lines(out)
	if len(ls) != 73 {
		t.Fatalf("got %d records, want 73", len(ls))
	}
	ids := map[string]bool{}
	for i, l := range ls {
		inst, err := jsonschema.UnmarshalJSON(strings.NewReader(l))
		if err != nil {
			t.Fatal(err)
		}
		if err := sch.Validate(inst); err != nil {
			t.Errorf("record %d invalid: %v", i, err)
		}
		var r registre.Record
		if err := json.Unmarshal([]byte(l), &r); err != nil {
			t.Fatal(err)
		}
		if ids[r.ID] {
			t.Errorf("duplicate id %s", r.ID)
		}
		ids[r.ID] = true
		if r.Organisation != "Cramif" {
			t.Errorf("record %d organisation %q", i, r.Organisation)
		}
		if r.Controller == nil || r.Controller.Name == nil || *r.Controller.Name != "David Clair" ||
			r.DPO == nil || r.DPO.Contact == nil || *r.DPO.Contact != "dpo.cramif@assurance-maladie.fr" {
			t.Errorf("record %d parties not inherited: %+v %+v", i, r.Controller, r.DPO)
		}
		if len(r.Recipients.Internal) == 0 && r.Name != "Dématérialisation des marchés" {
			// every Cramif record states an internal recipient line
			t.Logf("record %d %q: no internal recipients", i, r.Name)
		}
		checkProvenance(t, i, r)
	}
	again, _, _ := runCLI(t, "extract", "--jsonl", path)
	if again != out {
		t.Error("second run gave different bytes")
	}
}

// checkProvenance asserts that every stated field has evidence.
func checkProvenance(t *testing.T, i int, r registre.Record) {
	t.Helper()
	need := map[string]bool{"name": true}
	if len(r.Purposes) > 0 {
		need["purposes"] = true
	}
	if len(r.DataCategories) > 0 {
		need["data_categories"] = true
	}
	if len(r.Recipients.Internal) > 0 {
		need["recipients.internal"] = true
	}
	if len(r.Recipients.External) > 0 {
		need["recipients.external"] = true
	}
	if r.Retention.Text != nil {
		need["retention.text"] = true
	}
	if r.Transfers.Text != nil {
		need["transfers.text"] = true
	}
	if len(r.SecurityMeasures) > 0 {
		need["security_measures"] = true
	}
	if r.ImplementationDate != nil {
		need["implementation_date"] = true
	}
	if r.Controller != nil {
		need["controller"] = true
	}
	if len(r.Attachments) > 0 {
		need["attachments"] = true
	}
	for f := range need {
		p, ok := r.Provenance[f]
		if !ok {
			t.Errorf("record %d %q: no provenance for %s", i, r.Name, f)
			continue
		}
		if p.Method == "" || p.End < p.Start || p.Locator == "" {
			t.Errorf("record %d %s: incomplete provenance %+v", i, f, p)
		}
	}
}

// Unreadable files: one stderr line each with the path and a reason, exit 1,
// and the good file's records still printed. Odd but readable files are read.
func TestExtractHostile(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	pdf, err := os.ReadFile(filepath.Join(corpus, "ccmsa-decision-14-04.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	bad := []string{
		write("empty.pdf", nil),
		write("truncated.pdf", pdf[:len(pdf)/3]),
		write("garbage.docx", []byte("PK\x03\x04\x14\x00\x00\x00garbage that is not a zip")),
		write("random.docx", []byte{0x00, 0x13, 0xfe, 0x99, 0x00, 0x42, 0x17, 0x80, 0x00}),
	}
	if enc, err := os.ReadFile("../../fixtures/pdf/encrypted.pdf"); err == nil {
		bad = append(bad, write("encrypted.pdf", enc))
	}
	good, err := os.ReadFile(filepath.Join(corpus, "cramif-registre.html"))
	if err != nil {
		t.Fatal(err)
	}
	write("good.html", good)
	write("page-saved-as.pdf", good) // HTML behind a .pdf name: read as HTML
	write("broken.html", []byte("<body><ul><li><b>Nom du traitement</b> : Essai<li>Finalité : tester<li>Durée de conservation : 1 an</ul"))

	out, errs, code := runCLI(t, "extract", "--jsonl", dir)
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	errLines := lines(errs)
	if len(errLines) != len(bad) {
		t.Errorf("stderr has %d lines, want %d:\n%s", len(errLines), len(bad), errs)
	}
	for _, b := range bad {
		found := false
		for _, l := range errLines {
			if strings.HasPrefix(l, b+": ") && len(l) > len(b)+4 {
				found = true
			}
		}
		if !found {
			t.Errorf("no stderr line with a reason for %s", b)
		}
	}
	if n := len(lines(out)); n < 146 {
		t.Errorf("got %d records, want the 73 of good.html + the 73 of page-saved-as.pdf", n)
	}
}

// A page that describes no processing activity gives no record and exit 0.
func TestExtractNoRecord(t *testing.T) {
	out, errs, code := runCLI(t, "extract", "--jsonl", filepath.Join(corpus, "cerig-cgu.html"))
	if code != 0 || errs != "" || out != "" {
		t.Errorf("exit %d, stderr %q, %d records; want 0, none, none", code, errs, len(lines(out)))
	}
}

func TestUsage(t *testing.T) {
	for _, args := range [][]string{nil, {"extract"}, {"extract", "x"}, {"nope"}} {
		if _, _, code := runCLI(t, args...); code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
}
