package eval

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
)

// Case pairs a gold file with one rendering of the document it annotates.
type Case struct {
	Gold  string `json:"gold"`
	Input string `json:"input"`
}

// ParseCases decodes a cases file: a JSON list of {"gold": …, "input": …}.
// Relative paths are resolved against dir, the folder of the cases file, so
// a cases file can be moved together with what it points to.
func ParseCases(data []byte, dir string) ([]Case, error) {
	var cs []Case
	if err := json.Unmarshal(data, &cs); err != nil {
		return nil, fmt.Errorf("decode cases: %w", err)
	}
	if len(cs) == 0 {
		return nil, fmt.Errorf("decode cases: empty list")
	}
	for i := range cs {
		if cs[i].Gold == "" || cs[i].Input == "" {
			return nil, fmt.Errorf("decode cases: case %d needs both \"gold\" and \"input\"", i+1)
		}
		if !filepath.IsAbs(cs[i].Gold) {
			cs[i].Gold = filepath.Join(dir, cs[i].Gold)
		}
		if !filepath.IsAbs(cs[i].Input) {
			cs[i].Input = filepath.Join(dir, cs[i].Input)
		}
	}
	return cs, nil
}

// LoadCases reads a cases file.
func LoadCases(path string) ([]Case, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read cases: %w", err)
	}
	cs, err := ParseCases(data, filepath.Dir(path))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return cs, nil
}
