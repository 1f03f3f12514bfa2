package llm

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"registre"
)

// SchemaVersion versions the answer schema and the prompt. It is part of
// every cache key: bump it when either changes so that cached answers to
// the old question are not reused.
const SchemaVersion = "registre-llm-1"

// keyKind says whether an answer key holds one string or a list.
type keyKind int

const (
	scalar keyKind = iota
	list
)

// answerKeys are the keys of one record of the answer, in the order the
// prompt lists them, with the contract field each maps onto.
var answerKeys = []struct {
	key   string
	kind  keyKind
	field registre.Field
	desc  string
}{
	{"name", scalar, registre.FieldName, "name or title of the processing activity"},
	{"purposes", list, registre.FieldPurposes, "purposes (finalités), one item per purpose"},
	{"legal_basis_text", scalar, registre.FieldLegalBasis, "legal basis as written (base légale, fondement juridique)"},
	{"data_subjects", list, registre.FieldDataSubjects, "categories of persons concerned"},
	{"data_categories", list, registre.FieldDataCategories, "categories of personal data processed"},
	{"recipients", list, registre.FieldRecipients, "recipients, internal and external together"},
	{"transfer_text", scalar, registre.FieldTransfers, "what the text says about transfers outside the EU"},
	{"retention_text", scalar, registre.FieldRetention, "retention period as written (durée de conservation)"},
	{"processors", list, registre.FieldProcessors, "processors (sous-traitants) named"},
	{"security_measures", list, registre.FieldSecurity, "security measures"},
	{"implementation_date", scalar, registre.FieldImplementationDate, "date the processing started, as written"},
}

// responseSchema is the JSON schema of the answer, in the subset strict
// structured outputs accept: every key required, nullable through a type
// union, no additional properties.
func responseSchema() json.RawMessage {
	props := map[string]any{}
	var required []string
	for _, k := range answerKeys {
		var p map[string]any
		if k.kind == list {
			p = map[string]any{"type": []string{"array", "null"}, "items": map[string]any{"type": "string"}, "description": k.desc}
		} else {
			p = map[string]any{"type": []string{"string", "null"}, "description": k.desc}
		}
		props[k.key] = p
		required = append(required, k.key)
	}
	schema := map[string]any{
		"type":                 "object",
		"additionalProperties": false,
		"required":             []string{"records"},
		"properties": map[string]any{
			"records": map[string]any{
				"type": "array",
				"items": map[string]any{
					"type":                 "object",
					"additionalProperties": false,
					"required":             required,
					"properties":           props,
				},
			},
		},
	}
	b, err := json.Marshal(schema)
	if err != nil {
		panic(err) // a literal map of strings always marshals
	}
	return b
}

// answerRecord is one validated record of an answer: key → values (a scalar
// is a one-item list; null and missing keys are absent).
type answerRecord map[string][]string

// parseAnswer decodes and validates an answer. It returns every problem
// found, so that the re-ask can list them all at once.
func parseAnswer(content string) ([]answerRecord, []string) {
	content = stripFences(content)
	dec := json.NewDecoder(strings.NewReader(content))
	dec.UseNumber()
	var top map[string]json.RawMessage
	if err := dec.Decode(&top); err != nil {
		return nil, []string{fmt.Sprintf("the answer is not a JSON object: %v", err)}
	}
	var problems []string
	for k := range top {
		if k != "records" {
			problems = append(problems, fmt.Sprintf("unexpected top-level key %q (only \"records\" is allowed)", k))
		}
	}
	raw, ok := top["records"]
	if !ok {
		return nil, append(problems, `missing top-level key "records"`)
	}
	var items []json.RawMessage
	if err := json.Unmarshal(raw, &items); err != nil {
		return nil, append(problems, `"records" must be an array of objects`)
	}
	kinds := map[string]keyKind{}
	for _, k := range answerKeys {
		kinds[k.key] = k.kind
	}
	var out []answerRecord
	for i, item := range items {
		var obj map[string]json.RawMessage
		if err := json.Unmarshal(item, &obj); err != nil || obj == nil {
			problems = append(problems, fmt.Sprintf("records[%d] must be an object", i))
			continue
		}
		rec := answerRecord{}
		keys := make([]string, 0, len(obj))
		for k := range obj {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			v := obj[k]
			kind, known := kinds[k]
			if !known {
				problems = append(problems, fmt.Sprintf("records[%d]: unknown key %q", i, k))
				continue
			}
			if bytes.Equal(bytes.TrimSpace(v), []byte("null")) {
				continue
			}
			switch kind {
			case scalar:
				var s string
				if err := json.Unmarshal(v, &s); err != nil {
					problems = append(problems, fmt.Sprintf("records[%d].%s must be a string or null", i, k))
					continue
				}
				if s = strings.TrimSpace(s); s != "" {
					rec[k] = []string{s}
				}
			case list:
				var ss []string
				if err := json.Unmarshal(v, &ss); err != nil {
					problems = append(problems, fmt.Sprintf("records[%d].%s must be an array of strings or null", i, k))
					continue
				}
				for _, s := range ss {
					if s = strings.TrimSpace(s); s != "" {
						rec[k] = append(rec[k], s)
					}
				}
			}
		}
		out = append(out, rec)
	}
	if len(problems) > 0 {
		return nil, problems
	}
	return out, nil
}

// stripFences removes a Markdown code fence some servers wrap JSON in when
// they have no JSON mode.
func stripFences(s string) string {
	t := strings.TrimSpace(s)
	if !strings.HasPrefix(t, "```") {
		return t
	}
	t = strings.TrimPrefix(t, "```")
	t = strings.TrimPrefix(t, "json")
	t = strings.TrimSuffix(strings.TrimSpace(t), "```")
	return strings.TrimSpace(t)
}
