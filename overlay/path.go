package overlay

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"registre"
)

// Fields people may correct: every contract field but the identity, the
// source, the flags and the provenance, which are the machine's.
func editable(path string) bool {
	top, _, _ := strings.Cut(path, ".")
	switch top {
	case "", "schema_version", "id", "source", "flags", "provenance", "kind", "layout", "shared_fields":
		return false
	}
	return true
}

func toMap(rec registre.Record) (map[string]any, error) {
	data, err := json.Marshal(rec)
	if err != nil {
		return nil, err
	}
	var m map[string]any
	d := json.NewDecoder(bytes.NewReader(data))
	d.UseNumber()
	return m, d.Decode(&m)
}

// template has every nested object of a record, so that a path can be
// checked even where a record holds null (a party not stated).
var template = func() map[string]any {
	m, _ := toMap(registre.Record{Controller: &registre.Party{}, DPO: &registre.Party{}})
	return m
}()

func lookup(m map[string]any, path string) (any, bool) {
	var cur any = m
	for _, part := range strings.Split(path, ".") {
		if cur == nil {
			return nil, true // under a null parent: null
		}
		obj, ok := cur.(map[string]any)
		if !ok {
			return nil, false
		}
		if cur, ok = obj[part]; !ok {
			return nil, false
		}
	}
	return cur, true
}

// Get returns the JSON value of a field path ("retention.text") of rec.
func Get(rec registre.Record, path string) (json.RawMessage, error) {
	if _, ok := lookup(template, path); !ok || !editable(path) {
		return nil, fmt.Errorf("%w: %q cannot be corrected", ErrUnknownField, path)
	}
	m, err := toMap(rec)
	if err != nil {
		return nil, err
	}
	v, ok := lookup(m, path)
	if !ok {
		return nil, fmt.Errorf("%w: %q", ErrUnknownField, path)
	}
	return json.Marshal(v)
}

// Set returns a copy of rec with the field path set to value. The value must
// have the field's JSON type (a string, a list of strings, an object…).
func Set(rec registre.Record, path string, value json.RawMessage) (registre.Record, error) {
	if _, err := Get(rec, path); err != nil {
		return rec, err
	}
	m, err := toMap(rec)
	if err != nil {
		return rec, err
	}
	var v any
	d := json.NewDecoder(bytes.NewReader(value))
	d.UseNumber()
	if err := d.Decode(&v); err != nil {
		return rec, fmt.Errorf("%w for %s: %v", ErrBadValue, path, err)
	}
	parts := strings.Split(path, ".")
	obj := m
	for _, part := range parts[:len(parts)-1] {
		next, ok := obj[part].(map[string]any)
		if !ok {
			// A null party ("controller": null) becomes an object.
			next = map[string]any{}
			obj[part] = next
		}
		obj = next
	}
	obj[parts[len(parts)-1]] = v
	data, err := json.Marshal(m)
	if err != nil {
		return rec, err
	}
	var out registre.Record
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&out); err != nil {
		return rec, fmt.Errorf("%w: value for %s does not fit the field: %v", ErrBadValue, path, err)
	}
	return out, nil
}
