// Package eval scores extracted records against hand-checked gold files, the
// way ../shared/contract/gold-format.md ("How extraction is scored") says, so
// that `registre eval` and any other scorer agree on the numbers.
package eval

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"regexp"
)

// Gold is one gold annotation file: the expected records of one document.
type Gold struct {
	Slug     string       `json:"slug"`
	Source   GoldSource   `json:"source"`
	Document GoldDocument `json:"document"`
	Records  []GoldRecord `json:"records"`
}

// GoldSource names the document a gold file annotates.
type GoldSource struct {
	URLOrRepoPath string `json:"url_or_repo_path"`
	Organisation  string `json:"organisation"`
	DocKind       string `json:"doc_kind"`
	Complete      bool   `json:"complete"`
}

// GoldDocument holds document-level annotations.
type GoldDocument struct {
	Controller *string `json:"controller"`
	DPO        *string `json:"dpo"`
}

// GoldRecord is one expected record. Pointers keep the difference the scorer
// depends on: nil is a JSON null (not stated, not scored), a pointer to an
// empty slice is [] (stated as none, scored, so an invented value costs).
type GoldRecord struct {
	Name                 *string   `json:"name"`
	JointControllers     *[]string `json:"joint_controllers"`
	Purposes             *[]string `json:"purposes"`
	LegalBases           *[]string `json:"legal_bases"`
	LegalBasisText       *string   `json:"legal_basis_text"`
	DataSubjects         *[]string `json:"data_subjects"`
	DataCategories       *[]string `json:"data_categories"`
	HealthData           *bool     `json:"health_data"`
	NIR                  *bool     `json:"nir"`
	Recipients           *[]string `json:"recipients"`
	TransferOutsideEU    *bool     `json:"transfer_outside_eu"`
	TransferText         *string   `json:"transfer_text"`
	RetentionText        *string   `json:"retention_text"`
	Processors           *[]string `json:"processors"`
	SecurityMeasuresText *string   `json:"security_measures_text"`
	RightsContact        *string   `json:"rights_contact"`
	ImplementationDate   *string   `json:"implementation_date"`
	ExpectedFlags        []string  `json:"expected_flags"`
	// Fiche and N are the record's number in the source (Cnam fiche, Cramif
	// register number); informative only, matching is by name.
	Fiche *int `json:"fiche,omitempty"`
	N     *int `json:"n,omitempty"`
}

var (
	legalCodeRe = regexp.MustCompile(`^(6-1-[a-f]|9-2-[a-j]|national|unknown)$`)
	dateRe      = regexp.MustCompile(`^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$`)
)

// ErrInvalidGold marks a gold file that parses as JSON but breaks the format.
var ErrInvalidGold = errors.New("invalid gold file")

// ParseGold decodes and checks a gold file. Unknown keys are tolerated (gold
// files carry helper keys such as "fiche"), but the values the scorer relies
// on must have the documented shape: a wrong type or an invalid code is an
// error, never a silently skipped field.
func ParseGold(data []byte) (*Gold, error) {
	var g Gold
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&g); err != nil {
		return nil, fmt.Errorf("decode gold: %w", err)
	}
	if dec.More() {
		return nil, fmt.Errorf("%w: trailing data after the JSON object", ErrInvalidGold)
	}
	if g.Records == nil {
		return nil, fmt.Errorf("%w: no \"records\" array", ErrInvalidGold)
	}
	for i, r := range g.Records {
		if r.Name == nil && (r.Purposes == nil || len(*r.Purposes) == 0) {
			return nil, fmt.Errorf("%w: record %d has neither a name nor purposes to match on", ErrInvalidGold, i+1)
		}
		if r.LegalBases != nil {
			for _, c := range *r.LegalBases {
				if !legalCodeRe.MatchString(c) {
					return nil, fmt.Errorf("%w: record %d: legal basis code %q", ErrInvalidGold, i+1, c)
				}
			}
		}
		if r.ImplementationDate != nil && !dateRe.MatchString(*r.ImplementationDate) {
			return nil, fmt.Errorf("%w: record %d: implementation_date %q is not YYYY, YYYY-MM or YYYY-MM-DD", ErrInvalidGold, i+1, *r.ImplementationDate)
		}
	}
	return &g, nil
}

// LoadGold reads and parses a gold file.
func LoadGold(path string) (*Gold, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read gold: %w", err)
	}
	g, err := ParseGold(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return g, nil
}
