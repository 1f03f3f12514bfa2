package bleveindex

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/blevesearch/bleve/v2/index/scorch/mergeplan"
)

// scorch decodes scorchMergePlanOptions by JSON over its defaults and, on a
// decoding error, stops merging for good (an async error nobody sees), so
// the option names must be exactly the struct's.
func TestScorchConfigMergePlan(t *testing.T) {
	raw, err := json.Marshal(scorchConfig(map[string]interface{}{})["scorchMergePlanOptions"])
	if err != nil {
		t.Fatal(err)
	}
	o := mergeplan.DefaultMergePlanOptions
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&o); err != nil {
		t.Fatalf("merge plan options %s: %v", raw, err)
	}
	if err := mergeplan.ValidateMergePlannerOptions(&o); err != nil {
		t.Fatalf("merge plan options %s: %v", raw, err)
	}
	if o.MaxSegmentSize != maxSegmentDocs {
		t.Errorf("MaxSegmentSize = %d, want %d", o.MaxSegmentSize, maxSegmentDocs)
	}
	// The cap must leave room for merges: segments under half of it merge.
	if o.MaxSegmentSize < 2*o.FloorSegmentSize {
		t.Errorf("MaxSegmentSize %d leaves no merge above the floor %d", o.MaxSegmentSize, o.FloorSegmentSize)
	}
}
