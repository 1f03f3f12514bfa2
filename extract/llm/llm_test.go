package llm

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	openai "github.com/sashabaranov/go-openai"

	"registre"
	"registre/ingest"
	"registre/pipeline"
)

func readText(t *testing.T, name, text string) *registre.Document {
	t.Helper()
	doc, err := ingest.Read(context.Background(), name, []byte(text))
	if err != nil {
		t.Fatalf("read %s: %v", name, err)
	}
	return doc
}

const prose = `Note au délégué à la protection des données

Objet : suivi des appels du centre de contacts

Le centre de contacts enregistre les appels entrants afin d'améliorer la qualité des réponses apportées aux assurés.
Les données traitées sont le numéro appelant, la date et la durée de l'appel.
Les enregistrements sont conservés six mois.
Contact : dpo.test@caisse.example.fr ou 01 23 45 67 89.
`

// values lists the texts of a field.
func values(r registre.RawRecord, f registre.Field) []string {
	var out []string
	for _, v := range r.Fields[f] {
		out = append(out, v.Text)
	}
	return out
}

// checkEvidence asserts every LLM value is the source text at its span,
// with method llm and a confidence below every rule's.
func checkEvidence(t *testing.T, doc *registre.Document, r registre.RawRecord) {
	t.Helper()
	for f, vs := range r.Fields {
		for _, v := range vs {
			if v.Method != registre.MethodLLM {
				continue
			}
			if v.Start < 0 || v.End > len(doc.Text) || v.Start >= v.End || doc.Text[v.Start:v.End] != v.Text {
				t.Errorf("%s %q: span [%d,%d) is not its text", f, v.Text, v.Start, v.End)
			}
			if v.Confidence <= 0 || v.Confidence >= LowConfidence {
				t.Errorf("%s %q: confidence %v", f, v.Text, v.Confidence)
			}
		}
	}
}

func TestHallucinatedValueIsDropped(t *testing.T) {
	doc := readText(t, "note.txt", prose)
	fake := newFake(t, func(int, openai.ChatCompletionRequest) fakeReply {
		return fakeReply{content: answer(map[string]any{
			"name":            "suivi des appels du centre de contacts",
			"purposes":        []string{"améliorer la qualité des réponses apportées aux assurés"},
			"data_categories": []string{"le numéro appelant", "la date et la durée de l'appel", "l'adresse postale de l'assuré"},
			"retention_text":  "Les enregistrements sont conservés six mois.",
			"recipients":      []string{"la Caisse nationale"},
		})}
	})
	a := New(fake.config(t))
	out, err := a.Assist(context.Background(), doc, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(out) != 1 {
		t.Fatalf("got %d records, want 1", len(out))
	}
	r := out[0]
	checkEvidence(t, doc, r)
	if got := values(r, registre.FieldDataCategories); len(got) != 2 || strings.Contains(strings.Join(got, "|"), "postale") {
		t.Errorf("data categories %q: the invented category must be dropped, the two real ones kept", got)
	}
	if got := values(r, registre.FieldRecipients); len(got) != 0 {
		t.Errorf("recipients %q: not in the source, must be dropped", got)
	}
	if r.Layout != "llm" || r.Key == "" || r.Locator == "" {
		t.Errorf("record layout %q key %q locator %q", r.Layout, r.Key, r.Locator)
	}
	st := a.Stats()
	if st.Ungrounded != 2 || st.RecordsAdded != 1 || st.Grounded != 5 {
		t.Errorf("stats %+v: want 2 ungrounded, 5 grounded, 1 record added", st)
	}
	if fake.count() != 1 {
		t.Errorf("%d requests, want 1", fake.count())
	}
}

func TestRecordWithoutNameOrPurposeIsDropped(t *testing.T) {
	doc := readText(t, "note.txt", prose)
	fake := newFake(t, func(int, openai.ChatCompletionRequest) fakeReply {
		return fakeReply{content: answer(
			map[string]any{"name": "Gestion des réclamations", "purposes": []string{"traiter les réclamations"}, "data_categories": []string{"le numéro appelant"}},
			map[string]any{"data_categories": []string{"la date et la durée de l'appel"}},
		)}
	})
	a := New(fake.config(t))
	out, err := a.Assist(context.Background(), doc, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(out) != 0 {
		t.Errorf("got %d records, want none: %+v", len(out), out)
	}
	if st := a.Stats(); st.RecordsDropped != 2 || st.RecordsAdded != 0 {
		t.Errorf("stats %+v: want 2 records dropped", st)
	}
}

func TestRequestShapeAndFormatFallback(t *testing.T) {
	doc := readText(t, "note.txt", prose)
	doc2 := readText(t, "note2.txt", strings.ReplaceAll(prose, "centre de contacts", "plateau téléphonique"))
	var mu sync.Mutex
	formats := []openai.ChatCompletionResponseFormatType{}
	fake := newFake(t, func(n int, req openai.ChatCompletionRequest) fakeReply {
		mu.Lock()
		defer mu.Unlock()
		if req.ResponseFormat == nil {
			formats = append(formats, "")
		} else {
			formats = append(formats, req.ResponseFormat.Type)
		}
		if req.ResponseFormat != nil && req.ResponseFormat.Type == openai.ChatCompletionResponseFormatTypeJSONSchema {
			return fakeReply{status: 400, body: `{"error":{"message":"response_format json_schema is not supported","type":"invalid_request_error"}}`}
		}
		return fakeReply{content: `{"records": []}`}
	})
	a := New(fake.config(t))
	for _, d := range []*registre.Document{doc, doc2} {
		if _, err := a.Assist(context.Background(), d, nil); err != nil {
			t.Fatal(err)
		}
	}
	reqs := fake.requests()
	if len(reqs) != 3 {
		t.Fatalf("%d requests, want 3 (json_schema refused, json_object, then json_object directly)", len(reqs))
	}
	first := reqs[0]
	if first.Model != "test-model" {
		t.Errorf("model %q", first.Model)
	}
	if len(first.Messages) != 2 || first.Messages[0].Role != "system" || first.Messages[1].Role != "user" {
		t.Fatalf("messages %+v", first.Messages)
	}
	if !strings.Contains(first.Messages[1].Content, "suivi des appels du centre de contacts") {
		t.Errorf("user message does not hold the passage: %q", first.Messages[1].Content)
	}
	rf := first.ResponseFormat
	if rf == nil || rf.Type != openai.ChatCompletionResponseFormatTypeJSONSchema || rf.JSONSchema == nil || !rf.JSONSchema.Strict {
		t.Fatalf("first response_format %+v, want strict json_schema", rf)
	}
	// The schema the server receives: records of exactly the eleven keys,
	// all required and nullable, nothing else allowed.
	raw, err := json.Marshal(rf.JSONSchema.Schema)
	if err != nil {
		t.Fatal(err)
	}
	var schema struct {
		AdditionalProperties bool `json:"additionalProperties"`
		Properties           struct {
			Records struct {
				Items struct {
					AdditionalProperties bool                       `json:"additionalProperties"`
					Required             []string                   `json:"required"`
					Properties           map[string]json.RawMessage `json:"properties"`
				} `json:"items"`
			} `json:"records"`
		} `json:"properties"`
	}
	if err := json.Unmarshal(raw, &schema); err != nil {
		t.Fatal(err)
	}
	items := schema.Properties.Records.Items
	want := []string{"name", "purposes", "legal_basis_text", "data_subjects", "data_categories", "recipients", "transfer_text", "retention_text", "processors", "security_measures", "implementation_date"}
	if strings.Join(items.Required, ",") != strings.Join(want, ",") || len(items.Properties) != len(want) || items.AdditionalProperties || schema.AdditionalProperties {
		t.Errorf("schema items: required %v, %d properties, additionalProperties %v", items.Required, len(items.Properties), items.AdditionalProperties)
	}
	for _, k := range want {
		if !strings.Contains(string(items.Properties[k]), `"null"`) {
			t.Errorf("key %s is not nullable: %s", k, items.Properties[k])
		}
	}
	mu.Lock()
	got := formats
	mu.Unlock()
	if got[0] != "json_schema" || got[1] != "json_object" || got[2] != "json_object" {
		t.Errorf("formats %v, want json_schema, json_object, json_object", got)
	}
	if st := a.Stats(); st.FormatFallbacks != 1 || st.Failures != 0 {
		t.Errorf("stats %+v", st)
	}
}

func TestMalformedJSONIsAskedAgainOnce(t *testing.T) {
	good := answer(map[string]any{"name": "suivi des appels du centre de contacts", "purposes": []string{"améliorer la qualité des réponses apportées aux assurés"}})
	tests := []struct {
		name      string
		replies   []string
		requests  int
		records   int
		failures  int
		reasonHas string
	}{
		{"fixed on re-ask", []string{`{"records": [{"name": "suivi des appels"`, good}, 2, 1, 0, ""},
		{"wrong types fixed", []string{`{"records": [{"name": ["x"], "purposes": "y", "colour": "blue"}]}`, good}, 2, 1, 0, ""},
		{"still broken", []string{`not json`, `{"records": "none"}`}, 2, 0, 1, "réponse invalide"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			doc := readText(t, "note.txt", prose)
			fake := newFake(t, func(n int, req openai.ChatCompletionRequest) fakeReply {
				if n == 2 {
					// The re-ask carries the bad answer and what was wrong.
					if len(req.Messages) != 4 || req.Messages[2].Role != "assistant" || req.Messages[2].Content != tc.replies[0] ||
						!strings.Contains(req.Messages[3].Content, "not valid") {
						t.Errorf("re-ask messages %+v", req.Messages)
					}
				}
				return fakeReply{content: tc.replies[min(n, len(tc.replies))-1]}
			})
			a := New(fake.config(t))
			out, err := a.Assist(context.Background(), doc, nil)
			if err != nil {
				t.Fatal(err)
			}
			st := a.Stats()
			if fake.count() != tc.requests || st.Reasks != 1 || len(out) != tc.records || st.Failures != tc.failures {
				t.Errorf("%d requests, %d records, stats %+v", fake.count(), len(out), st)
			}
			if tc.reasonHas != "" && !strings.Contains(st.Summary(), tc.reasonHas) {
				t.Errorf("summary %q does not give the reason %q", st.Summary(), tc.reasonHas)
			}
		})
	}
}

func TestRateLimitHonoursRetryAfter(t *testing.T) {
	doc := readText(t, "note.txt", prose)
	fake := newFake(t, func(n int, req openai.ChatCompletionRequest) fakeReply {
		if n == 1 {
			return fakeReply{status: 429, header: map[string]string{"Retry-After": "7"}, body: `{"error":{"message":"Rate limit reached","type":"requests"}}`}
		}
		return fakeReply{content: answer(map[string]any{"name": "suivi des appels du centre de contacts", "purposes": []string{"améliorer la qualité des réponses apportées aux assurés"}})}
	})
	a := New(fake.config(t))
	var waits []time.Duration
	a.sleep = func(_ context.Context, d time.Duration) error { waits = append(waits, d); return nil }
	out, err := a.Assist(context.Background(), doc, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(out) != 1 {
		t.Errorf("got %d records after the retry, want 1", len(out))
	}
	if len(waits) != 1 || waits[0] != 7*time.Second {
		t.Errorf("waits %v, want one of 7s (Retry-After)", waits)
	}
	st := a.Stats()
	if fake.count() != 2 || st.Requests != 2 || st.Retries != 1 || st.Failures != 0 {
		t.Errorf("%d requests, stats %+v", fake.count(), st)
	}
	if st.PromptTokens != 102 || st.CompletionTokens != 10 {
		t.Errorf("tokens %d/%d, want those of the one answer (102/10)", st.PromptTokens, st.CompletionTokens)
	}
}

func TestRateLimitWithoutRetryAfterBacksOff(t *testing.T) {
	doc := readText(t, "note.txt", prose)
	fake := newFake(t, func(n int, req openai.ChatCompletionRequest) fakeReply {
		return fakeReply{status: 429, body: `{"error":{"message":"Rate limit reached","type":"requests"}}`}
	})
	cfg := fake.config(t)
	cfg.MaxRetries = 3
	a := New(cfg)
	var waits []time.Duration
	a.sleep = func(_ context.Context, d time.Duration) error { waits = append(waits, d); return nil }
	out, err := a.Assist(context.Background(), doc, nil)
	if err != nil || len(out) != 0 {
		t.Fatalf("out %v err %v", out, err)
	}
	if len(waits) != 3 || waits[0] != time.Second || waits[1] != 2*time.Second || waits[2] != 4*time.Second {
		t.Errorf("waits %v, want 1s 2s 4s", waits)
	}
	st := a.Stats()
	if fake.count() != 4 || st.Failures != 1 || st.Reasons["erreur du serveur (HTTP 429)"] != 1 {
		t.Errorf("%d requests, stats %+v", fake.count(), st)
	}
}

func TestTimeoutGivesUpAndKeepsRuleRecords(t *testing.T) {
	doc := readText(t, "note.txt", prose)
	fake := newFake(t, func(int, openai.ChatCompletionRequest) fakeReply { return fakeReply{block: true} })
	cfg := fake.config(t)
	cfg.Timeout = 200 * time.Millisecond
	a := New(cfg)
	name := "suivi des appels du centre de contacts"
	i := strings.Index(doc.Text, name)
	rule := registre.RawRecord{Layout: "rule", Key: "k", Fields: map[registre.Field][]registre.RawValue{
		registre.FieldName: {{Text: name, Start: i, End: i + len(name), Method: registre.MethodRule, Confidence: 1}},
	}}
	out, err := a.Assist(context.Background(), doc, []registre.RawRecord{rule})
	if err != nil {
		t.Fatalf("a timeout must not fail the file: %v", err)
	}
	if len(out) != 1 || len(out[0].Fields) != 1 {
		t.Errorf("rule record changed: %+v", out)
	}
	st := a.Stats()
	if st.Failures != 1 || st.Reasons["délai dépassé"] != 1 {
		t.Errorf("stats %+v, want one timeout", st)
	}
}

func TestIdentifiersNeverReachTheServer(t *testing.T) {
	text := `Objet : gestion des remboursements par virement

Finalité : rembourser les frais de transport des assurés par virement.
Données : NIR 1 85 05 78 006 084 36 (ou 185057800608436 sans espaces, ou 2850578006084 sans clé), IBAN FR76 3000 6000 0112 3456 7890 189 ou FR7630006000011234567890189.
Contact du DPO : jeanne.martin@caisse.example.fr, téléphone 01 45 67 89 10, +33 6 12 34 56 78 ou 0612345678.
Destinataires : agence comptable.
`
	doc := readText(t, "virements.txt", text)
	secrets := []string{"1 85 05 78 006 084 36", "185057800608436", "2850578006084", "FR76 3000 6000 0112 3456 7890 189",
		"FR7630006000011234567890189", "jeanne.martin@caisse.example.fr", "01 45 67 89 10", "+33 6 12 34 56 78", "0612345678", "3456 7890"}
	var sent string
	fake := newFake(t, func(_ int, req openai.ChatCompletionRequest) fakeReply {
		sent = userText(req)
		// The model copies the placeholder it was shown.
		email := placeholderIn(sent, "EMAIL")
		return fakeReply{content: answer(map[string]any{
			"name":       "gestion des remboursements par virement",
			"purposes":   []string{"rembourser les frais de transport des assurés par virement"},
			"recipients": []string{"agence comptable", "DPO (" + email + ")"},
		})}
	})
	fake.secrets = secrets
	a := New(fake.config(t))
	out, err := a.Assist(context.Background(), doc, nil)
	if err != nil {
		t.Fatal(err)
	}
	if fake.count() != 1 {
		t.Fatalf("%d requests", fake.count())
	}
	for _, kind := range []string{"[NIR_1]", "[NIR_2]", "[NIR_3]", "[IBAN_1]", "[IBAN_2]", "[EMAIL_1]", "[TEL_1]", "[TEL_2]", "[TEL_3]"} {
		if !strings.Contains(sent, kind) {
			t.Errorf("placeholder %s not in the prompt:\n%s", kind, sent)
		}
	}
	if st := a.Stats(); st.Redacted != 9 {
		t.Errorf("redacted %d, want 9", st.Redacted)
	}
	// The placeholder in the answer was restored, then (not being verbatim
	// in that form) dropped by grounding; the restored identifiers never
	// become placeholders in records.
	if len(out) != 1 {
		t.Fatalf("records %+v", out)
	}
	for _, v := range out[0].Fields[registre.FieldRecipients] {
		if strings.Contains(v.Text, "[") {
			t.Errorf("placeholder left in a value: %q", v.Text)
		}
	}
}

func placeholderIn(s, kind string) string {
	i := strings.Index(s, "["+kind+"_")
	if i < 0 {
		return ""
	}
	j := strings.Index(s[i:], "]")
	return s[i : i+j+1]
}

func TestPlaceholdersInAnswersAreRestoredAndGrounded(t *testing.T) {
	text := "Objet : rappel des rendez-vous\n\nFinalité : rappeler les rendez-vous par SMS.\nDonnées traitées : numéro de téléphone.\nContact : rdv@caisse.example.fr\n"
	doc := readText(t, "rdv.txt", text)
	fake := newFake(t, func(_ int, req openai.ChatCompletionRequest) fakeReply {
		p := placeholderIn(userText(req), "EMAIL")
		return fakeReply{content: answer(map[string]any{
			"name": "rappel des rendez-vous", "purposes": []string{"rappeler les rendez-vous par SMS"},
			"recipients": []string{"Contact : " + p},
		})}
	})
	a := New(fake.config(t))
	out, err := a.Assist(context.Background(), doc, nil)
	if err != nil || len(out) != 1 {
		t.Fatalf("out %+v err %v", out, err)
	}
	got := values(out[0], registre.FieldRecipients)
	if len(got) != 1 || got[0] != "Contact : rdv@caisse.example.fr" {
		t.Errorf("recipients %q, want the restored e-mail grounded in the source", got)
	}
}

func TestRuleValuesAreNeverOverwritten(t *testing.T) {
	doc := readText(t, "note.txt", prose)
	span := func(s string) (int, int) {
		i := strings.Index(doc.Text, s)
		if i < 0 {
			t.Fatalf("%q not in the document", s)
		}
		return i, i + len(s)
	}
	ns, ne := span("suivi des appels du centre de contacts")
	ds, de := span("le numéro appelant")
	rule := registre.RawRecord{Layout: "rule", Key: "suivi", Fields: map[registre.Field][]registre.RawValue{
		registre.FieldName: {{Text: doc.Text[ns:ne], Start: ns, End: ne, Method: registre.MethodRule, Confidence: 0.9}},
		// A low-confidence rule value: the record is worth a question, but
		// the value stays.
		registre.FieldDataCategories: {{Text: doc.Text[ds:de], Start: ds, End: de, Method: registre.MethodRule, Confidence: 0.5}},
	}}
	before := len(rule.Fields)
	fake := newFake(t, func(_ int, req openai.ChatCompletionRequest) fakeReply {
		if !strings.Contains(userText(req), `"suivi des appels du centre de contacts"`) {
			t.Errorf("record question does not name the record: %s", userText(req))
		}
		return fakeReply{content: answer(map[string]any{
			"name":            "suivi des appels du centre de contacts",
			"purposes":        []string{"améliorer la qualité des réponses apportées aux assurés"},
			"data_categories": []string{"la date et la durée de l'appel"},
			"retention_text":  "Les enregistrements sont conservés six mois.",
		})}
	})
	a := New(fake.config(t))
	out, err := a.Assist(context.Background(), doc, []registre.RawRecord{rule})
	if err != nil {
		t.Fatal(err)
	}
	if len(out) != 1 {
		t.Fatalf("%d records, want the rule record only", len(out))
	}
	r := out[0]
	checkEvidence(t, doc, r)
	if got := values(r, registre.FieldDataCategories); len(got) != 1 || got[0] != "le numéro appelant" || r.Fields[registre.FieldDataCategories][0].Method != registre.MethodRule {
		t.Errorf("data categories %q: the rule value must stay alone", got)
	}
	if got := values(r, registre.FieldName); len(got) != 1 || r.Fields[registre.FieldName][0].Method != registre.MethodRule {
		t.Errorf("name %q changed", got)
	}
	ret := r.Fields[registre.FieldRetention]
	if len(ret) != 1 || ret[0].Method != registre.MethodLLM || ret[0].Text != "Les enregistrements sont conservés six mois." {
		t.Errorf("retention %+v: the empty field must be filled by the LLM", ret)
	}
	if len(r.Fields[registre.FieldPurposes]) != 1 {
		t.Errorf("purposes %+v", r.Fields[registre.FieldPurposes])
	}
	if len(rule.Fields) != before {
		t.Errorf("the rule parser's record map was modified in place")
	}
	if st := a.Stats(); st.FieldsFilled != 2 || st.KeptRule != 2 {
		t.Errorf("stats %+v: want 2 fields filled (purposes, retention), 2 values kept from rules (name, data)", st)
	}
}

func TestCompleteRecordsAreNotAsked(t *testing.T) {
	doc := readText(t, "note.txt", prose)
	fake := newFake(t, func(int, openai.ChatCompletionRequest) fakeReply { return fakeReply{content: `{"records": []}`} })
	a := New(fake.config(t))
	v := func(s string) []registre.RawValue {
		i := strings.Index(doc.Text, s)
		return []registre.RawValue{{Text: s, Start: i, End: i + len(s), Method: registre.MethodRule, Confidence: 1}}
	}
	rule := registre.RawRecord{Fields: map[registre.Field][]registre.RawValue{
		registre.FieldName:           v("suivi des appels du centre de contacts"),
		registre.FieldPurposes:       v("améliorer la qualité des réponses apportées aux assurés"),
		registre.FieldDataCategories: v("le numéro appelant"),
		registre.FieldDataSubjects:   v("assurés"),
		registre.FieldRetention:      v("Les enregistrements sont conservés six mois."),
	}}
	if _, err := a.Assist(context.Background(), doc, []registre.RawRecord{rule}); err != nil {
		t.Fatal(err)
	}
	if fake.count() != 0 {
		t.Errorf("%d requests for a record the rules filled", fake.count())
	}
}

func TestCacheMakesReRunsFree(t *testing.T) {
	doc := readText(t, "note.txt", prose)
	fake := newFake(t, func(n int, req openai.ChatCompletionRequest) fakeReply {
		if n == 1 {
			return fakeReply{content: `{"records": [`} // one re-ask, cached too
		}
		return fakeReply{content: answer(map[string]any{"name": "suivi des appels du centre de contacts", "purposes": []string{"améliorer la qualité des réponses apportées aux assurés"}})}
	})
	cfg := fake.config(t)
	first, err := New(cfg).Assist(context.Background(), doc, nil)
	if err != nil {
		t.Fatal(err)
	}
	if fake.count() != 2 {
		t.Fatalf("first run: %d requests, want 2", fake.count())
	}
	a := New(cfg)
	second, err := a.Assist(context.Background(), doc, nil)
	if err != nil {
		t.Fatal(err)
	}
	if fake.count() != 2 {
		t.Errorf("second run sent %d more requests, want 0", fake.count()-2)
	}
	if st := a.Stats(); st.CacheHits != 2 || st.Requests != 0 {
		t.Errorf("second run stats %+v", st)
	}
	b1, _ := json.Marshal(first)
	b2, _ := json.Marshal(second)
	if !bytes.Equal(b1, b2) {
		t.Errorf("cached run differs:\n%s\n%s", b1, b2)
	}
	// Another model is another question.
	cfg.Model = "other-model"
	if _, err := New(cfg).Assist(context.Background(), doc, nil); err != nil {
		t.Fatal(err)
	}
	if fake.count() != 3 {
		t.Errorf("a different model must not hit the cache: %d requests", fake.count())
	}
}

func TestDryRunPrintsAndSendsNothing(t *testing.T) {
	doc := readText(t, "note.txt", prose)
	fake := newFake(t, func(int, openai.ChatCompletionRequest) fakeReply { return fakeReply{content: `{"records": []}`} })
	var buf bytes.Buffer
	cfg := fake.config(t)
	cfg.DryRun = &buf
	a := New(cfg)
	out, err := a.Assist(context.Background(), doc, nil)
	if err != nil || len(out) != 0 {
		t.Fatalf("out %v err %v", out, err)
	}
	if fake.count() != 0 {
		t.Errorf("dry run sent %d requests", fake.count())
	}
	var req openai.ChatCompletionRequest
	if err := json.NewDecoder(&buf).Decode(&req); err != nil {
		t.Fatalf("dry run output is not the request body: %v\n%s", err, buf.String())
	}
	u := userText(req)
	if req.Model != "test-model" || !strings.Contains(u, "suivi des appels") || strings.Contains(u, "dpo.test@") || !strings.Contains(u, "[EMAIL_1]") {
		t.Errorf("dry-run request: model %q, user %q", req.Model, u)
	}
	if st := a.Stats(); st.Failures != 0 || st.Requests != 0 {
		t.Errorf("stats %+v", st)
	}
}

func TestDocumentsWithoutProcessingVocabularyCostNothing(t *testing.T) {
	doc := readText(t, "guide.txt", "Guide d'utilisation\n\nCliquez sur le bouton Envoyer pour transmettre le fichier.\nLe fichier est disponible pendant deux semaines.\n")
	fake := newFake(t, func(int, openai.ChatCompletionRequest) fakeReply { return fakeReply{content: `{"records": []}`} })
	a := New(fake.config(t))
	if _, err := a.Assist(context.Background(), doc, nil); err != nil {
		t.Fatal(err)
	}
	if fake.count() != 0 || a.Stats().ChunksSkipped != 1 {
		t.Errorf("%d requests, stats %+v", fake.count(), a.Stats())
	}
}

// TestPipelineWithoutAssistantSendsNothing runs the real pipeline over the
// unknown-layout fixtures with and without the assistant: without it, the
// fake server sees no request at all.
func TestPipelineWithoutAssistantSendsNothing(t *testing.T) {
	fake := newFake(t, cannedReply(loadCanned(t)))
	paths, err := filepath.Glob(filepath.Join("..", "..", "fixtures", "llm", "*.*"))
	if err != nil || len(paths) < 3 {
		t.Fatalf("fixtures: %v %v", paths, err)
	}
	var inputs []string
	for _, p := range paths {
		if !strings.HasSuffix(p, ".json") && !strings.HasSuffix(p, "README.md") {
			inputs = append(inputs, p)
		}
	}
	count := func(opt pipeline.Options) int {
		res, err := pipeline.New(opt).Run(context.Background(), inputs)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, r := range res {
			if r.Err != nil {
				t.Errorf("%s: %v", r.Path, r.Err)
			}
			n += len(r.Records)
		}
		return n
	}
	if n := count(pipeline.Options{Workers: 2}); fake.count() != 0 {
		t.Fatalf("pipeline without assistant sent %d requests (%d records)", fake.count(), n)
	}
	a := New(fake.config(t))
	n := count(pipeline.Options{Workers: 2, Assist: a.Assist})
	if fake.count() != len(inputs) || n != 5 {
		t.Errorf("with the assistant: %d requests, %d records; want %d requests, 5 records", fake.count(), n, len(inputs))
	}
	st := a.Stats()
	if st.Ungrounded != 3 {
		t.Errorf("the canned answers hold 3 values absent from the sources (a recipient, a security measure, a missing date), got %d ungrounded: %+v", st.Ungrounded, st)
	}
	t.Log(st.Summary())
}

func TestSummaryIsFrench(t *testing.T) {
	s := Stats{Requests: 3, CacheHits: 1, Ungrounded: 2, Failures: 1, Reasons: map[string]int{"délai dépassé": 1}}.Summary()
	for _, want := range []string{"3 requête(s)", "1 en cache", "2 non ancrée(s)", "délai dépassé (1)"} {
		if !strings.Contains(s, want) {
			t.Errorf("summary %q lacks %q", s, want)
		}
	}
}

func TestTextModeFallbackAcceptsFencedJSON(t *testing.T) {
	doc := readText(t, "note.txt", prose)
	fake := newFake(t, func(n int, req openai.ChatCompletionRequest) fakeReply {
		if req.ResponseFormat != nil {
			return fakeReply{status: 400, body: `{"error":{"message":"unknown field response_format","type":"invalid_request_error"}}`}
		}
		if req.Temperature <= 0 || req.Temperature > 1e-6 {
			t.Errorf("temperature %v, want (near) zero", req.Temperature)
		}
		return fakeReply{content: "```json\n" + answer(map[string]any{"name": "suivi des appels du centre de contacts", "purposes": []string{"améliorer la qualité des réponses apportées aux assurés"}}) + "\n```"}
	})
	a := New(fake.config(t))
	out, err := a.Assist(context.Background(), doc, nil)
	if err != nil || len(out) != 1 {
		t.Fatalf("out %+v err %v", out, err)
	}
	if st := a.Stats(); fake.count() != 3 || st.FormatFallbacks != 2 {
		t.Errorf("%d requests, stats %+v; want json_schema, json_object, then no response_format", fake.count(), st)
	}
}

func TestDamagedCacheEntryIsAMiss(t *testing.T) {
	doc := readText(t, "note.txt", prose)
	fake := newFake(t, func(int, openai.ChatCompletionRequest) fakeReply { return fakeReply{content: `{"records": []}`} })
	cfg := fake.config(t)
	if _, err := New(cfg).Assist(context.Background(), doc, nil); err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(cfg.CacheDir, "*", "*.json"))
	if len(files) != 1 {
		t.Fatalf("cache files %v, want 1", files)
	}
	if err := os.WriteFile(files[0], []byte("{trunc"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := New(cfg).Assist(context.Background(), doc, nil); err != nil {
		t.Fatal(err)
	}
	if fake.count() != 2 {
		t.Errorf("%d requests, want 2 (the damaged entry asked again)", fake.count())
	}
}

func TestRetryAfter(t *testing.T) {
	now := time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)
	tests := []struct {
		h    string
		want time.Duration
		ok   bool
	}{
		{"", 0, false},
		{"12", 12 * time.Second, true},
		{"0", 0, true},
		{"Sun, 22 Nov 2026 09:00:30 GMT", 30 * time.Second, true},
		{"Sun, 22 Nov 2026 08:00:00 GMT", 0, true},
		{"soon", 0, false},
		{"-3", 0, false},
	}
	for _, tc := range tests {
		got, ok := retryAfter(tc.h, now)
		if got != tc.want || ok != tc.ok {
			t.Errorf("retryAfter(%q) = %v %v, want %v %v", tc.h, got, ok, tc.want, tc.ok)
		}
	}
}

// TestCorpusRequestsAreSmallAndMasked runs the pipeline with the assistant
// over the bundled corpus (real registers, forms, a decision, a crisis
// guide, a vendor notice): every request holds one capped chunk, none holds
// an identifier (the fake server checks each body), and the documents whose
// rule records are complete cost nothing.
func TestCorpusRequestsAreSmallAndMasked(t *testing.T) {
	if testing.Short() {
		t.Skip("reads the whole corpus")
	}
	var mu sync.Mutex
	longest := 0
	fake := newFake(t, func(_ int, req openai.ChatCompletionRequest) fakeReply {
		mu.Lock()
		longest = max(longest, len(userText(req)))
		mu.Unlock()
		return fakeReply{content: `{"records": []}`}
	})
	paths, err := ingest.Walk([]string{filepath.Join("..", "..", "fixtures", "corpus")})
	if err != nil || len(paths) == 0 {
		t.Fatalf("corpus: %v", err)
	}
	cfg := fake.config(t)
	cfg.MaxChunkBytes = 4000
	a := New(cfg)
	res, err := pipeline.New(pipeline.Options{Workers: 2, Assist: a.Assist}).Run(context.Background(), paths)
	if err != nil {
		t.Fatal(err)
	}
	st := a.Stats()
	if st.Requests != fake.count() || st.Requests != st.Chunks || st.Failures != 0 {
		t.Errorf("%d requests seen, stats %+v", fake.count(), st)
	}
	// Rendering may add table pipes and heading marks; the prompt adds a
	// few lines of instructions.
	if limit := 2*cfg.MaxChunkBytes + 1000; longest > limit {
		t.Errorf("longest prompt %d bytes, cap %d", longest, limit)
	}
	// Cost: complete rule records are not asked about, document chunks
	// without processing vocabulary are skipped.
	if st.Requests > 2*len(paths) || st.Requests == 0 {
		t.Errorf("%d requests for %d files", st.Requests, len(paths))
	}
	for _, r := range res {
		if r.Err == nil && strings.Contains(r.Path, "cramif-registre") {
			for _, rec := range r.Records {
				for k, p := range rec.Provenance {
					if p.Method == registre.MethodLLM {
						t.Errorf("%s: %s from the LLM on a register the rules read", r.Path, k)
					}
				}
			}
		}
	}
	t.Logf("%d files, longest prompt %d bytes; %s", len(paths), longest, st.Summary())
}

func TestNeighbourRecordDoesNotCompleteTheRuleRecord(t *testing.T) {
	text := "## Fiche 1\n\nNom du traitement : gestion des réclamations\n\n## Fiche 2\n\nNom du traitement : paiement des indemnités journalières\nFinalité : verser les indemnités journalières.\nDonnées traitées : identité, arrêt de travail.\nConservation : 2 ans.\n"
	doc := readText(t, "fiches.md", text)
	name := "gestion des réclamations"
	i := strings.Index(doc.Text, name)
	rule := registre.RawRecord{Fields: map[registre.Field][]registre.RawValue{
		registre.FieldName: {{Text: name, Start: i, End: i + len(name), Method: registre.MethodRule, Confidence: 1}},
	}}
	fake := newFake(t, func(int, openai.ChatCompletionRequest) fakeReply {
		// The model answers about the other fiche of the passage.
		return fakeReply{content: answer(map[string]any{
			"name": "paiement des indemnités journalières", "purposes": []string{"verser les indemnités journalières"},
			"retention_text": "2 ans",
		})}
	})
	a := New(fake.config(t))
	out, err := a.Assist(context.Background(), doc, []registre.RawRecord{rule})
	if err != nil {
		t.Fatal(err)
	}
	if len(out) != 1 || len(out[0].Fields) != 1 {
		t.Errorf("the rule record took values of another record: %+v", out)
	}
}
