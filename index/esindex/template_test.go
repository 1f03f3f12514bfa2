package esindex

import (
	"encoding/json"
	"testing"

	"registre/index"
	"registre/index/synth"
)

// Every facet key must have its field in the encoded document and in the
// mapping: esDoc spells the fields out, this keeps it in step with FacetKeys.
func TestDocumentCarriesEveryFacetField(t *testing.T) {
	rec := synth.Records(1, 3)[0]
	raw, err := Document(&rec)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	props := template("x-v*", 1, nil)["template"].(map[string]any)["mappings"].(map[string]any)["properties"].(map[string]any)
	for key, vs := range index.FacetValues(&rec) {
		var got []string
		if err := json.Unmarshal(m[index.FacetField(key)], &got); err != nil || len(got) != len(vs) {
			t.Errorf("facet %s: document has %s; want %v", key, m[index.FacetField(key)], vs)
		}
	}
	for _, key := range index.FacetKeys {
		if _, ok := props[index.FacetField(key)]; !ok {
			t.Errorf("mapping lacks %s", index.FacetField(key))
		}
	}
	for field := range m {
		if _, ok := props[field]; !ok {
			t.Errorf("document field %s is not in the strict mapping", field)
		}
	}
}
