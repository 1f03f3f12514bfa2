package normalize

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"registre"
)

func recordSchema(t testing.TB) *jsonschema.Schema {
	t.Helper()
	sch, err := jsonschema.NewCompiler().Compile(filepath.Join("..", "fixtures", "normalize", "record.schema.json"))
	if err != nil {
		t.Fatalf("compile record schema: %v", err)
	}
	return sch
}

func validate(t testing.TB, sch *jsonschema.Schema, rec registre.Record) {
	t.Helper()
	b, err := json.Marshal(rec)
	if err != nil {
		t.Fatalf("marshal: %v", err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("unmarshal: %v", err)
	}
	if err := sch.Validate(inst); err != nil {
		t.Fatalf("record invalid against the contract: %v\n%s", err, b)
	}
}

// rawFrom fills every field of a raw record with the same text, the way a
// confused extractor might: whatever it gives, the record must be valid.
func rawFrom(s string) registre.RawRecord {
	r := registre.RawRecord{Layout: "fuzz", Organisation: s, Key: s, Locator: "l", DocumentDate: s, DocumentTitle: s}
	for _, f := range []registre.Field{
		registre.FieldName, registre.FieldReference, registre.FieldController, registre.FieldDPO, registre.FieldJointControllers,
		registre.FieldBusinessUnit, registre.FieldPurposes, registre.FieldSubPurposes, registre.FieldLegalBasis, registre.FieldDataSubjects,
		registre.FieldDataCategories, registre.FieldRecipients, registre.FieldRecipientsInternal, registre.FieldRecipientsExternal,
		registre.FieldPersonsWithAccess, registre.FieldProcessors, registre.FieldTransfers, registre.FieldRetention, registre.FieldSecurity,
		registre.FieldRights, registre.FieldRightsContact, registre.FieldObjection, registre.FieldImplementationDate, registre.FieldRegulatoryAct,
		registre.FieldAttachments, registre.FieldLineage, registre.FieldHealth, registre.FieldNIR,
	} {
		r.Add(f, registre.RawValue{Text: s, Start: 0, End: len(s), Confidence: 2, Size: s})
	}
	return r
}

func TestRecordsValidAgainstSchema(t *testing.T) {
	sch := recordSchema(t)
	doc := &registre.Document{Path: "x.html", Format: registre.FormatHTML, SHA256: strings.Repeat("0", 64)}
	validate(t, sch, Record(doc, cramifRaw()))
	for _, s := range []string{"", "non", "oui : X", "3 ans", "6 décembre 1993", "Article 6-1-c du RGPD", "/", "Suivant décision Cnam"} {
		validate(t, sch, Record(doc, rawFrom(s)))
	}
	validate(t, sch, Record(doc, registre.RawRecord{}))
}

func FuzzRecord(f *testing.F) {
	for _, s := range []string{"non", "oui : IBBL", "20 ans + 3 ans", "1er mars 1994", "6§1 e)", "Assurés : NIR. Agents : nom", "\u00a0", "œ"} {
		f.Add(s)
	}
	sch := recordSchema(f)
	doc := &registre.Document{Path: "x.pdf", Format: registre.FormatPDF, SHA256: strings.Repeat("f", 64)}
	f.Fuzz(func(t *testing.T, s string) {
		recs := Records(doc, []registre.RawRecord{rawFrom(s), rawFrom(s)})
		if len(recs) != 2 || recs[0].ID == recs[1].ID {
			t.Fatalf("%q: ids %q", s, []string{recs[0].ID, recs[1].ID})
		}
		for _, r := range recs {
			validate(t, sch, r)
		}
	})
}
