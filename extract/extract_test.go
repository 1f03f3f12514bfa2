package extract

import (
	"testing"

	"registre"
)

func TestCountsAsRecord(t *testing.T) {
	v := []registre.RawValue{{Text: "x"}}
	tests := []struct {
		name   string
		fields map[registre.Field][]registre.RawValue
		want   bool
	}{
		{"purpose and retention", map[registre.Field][]registre.RawValue{registre.FieldPurposes: v, registre.FieldRetention: v}, true},
		{"purpose alone", map[registre.Field][]registre.RawValue{registre.FieldName: v, registre.FieldPurposes: v}, false},
		{"sub-purposes and legal basis", map[registre.Field][]registre.RawValue{registre.FieldSubPurposes: v, registre.FieldLegalBasis: v}, true},
		{"no purpose, two elements", map[registre.Field][]registre.RawValue{registre.FieldDataCategories: v, registre.FieldRetention: v}, true},
		{"no purpose, one element", map[registre.Field][]registre.RawValue{registre.FieldName: v, registre.FieldRetention: v}, false},
		{"blank values", map[registre.Field][]registre.RawValue{registre.FieldPurposes: {{Text: " "}}, registre.FieldRetention: v}, false},
	}
	for _, tt := range tests {
		if got := CountsAsRecord(registre.RawRecord{Fields: tt.fields}); got != tt.want {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
	}
}
