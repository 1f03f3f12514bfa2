package registre

// SchemaVersion is the contract's record schema version.
const SchemaVersion = "1"

// Record is one processing activity in the contract's shape
// (../shared/contract/record.schema.json). Nullable values are pointers; lists
// are never nil once a record went through normalize, so they encode as [].
type Record struct {
	SchemaVersion      string                `json:"schema_version"`
	ID                 string                `json:"id"`
	Organisation       string                `json:"organisation"`
	Source             Source                `json:"source"`
	Name               string                `json:"name"`
	Reference          *string               `json:"reference"`
	Controller         *Party                `json:"controller"`
	DPO                *Party                `json:"dpo"`
	JointControllers   []string              `json:"joint_controllers"`
	BusinessUnit       *string               `json:"business_unit"`
	Purposes           []string              `json:"purposes"`
	SubPurposes        []string              `json:"sub_purposes"`
	LegalBases         []LegalBasis          `json:"legal_bases"`
	LegalBasisText     *string               `json:"legal_basis_text"`
	DataSubjects       []string              `json:"data_subjects"`
	DataCategories     []string              `json:"data_categories"`
	Sensitive          Sensitive             `json:"sensitive"`
	Recipients         Recipients            `json:"recipients"`
	PersonsWithAccess  []string              `json:"persons_with_access"`
	Processors         []string              `json:"processors"`
	Transfers          Transfers             `json:"transfers"`
	Retention          Retention             `json:"retention"`
	SecurityMeasures   []string              `json:"security_measures"`
	Rights             Rights                `json:"rights"`
	ObjectionExemption *string               `json:"objection_exemption"`
	ImplementationDate *string               `json:"implementation_date"`
	RegulatoryAct      *string               `json:"regulatory_act"`
	Flags              []Flag                `json:"flags"`
	Provenance         map[string]Provenance `json:"provenance"`
	Attachments        []Attachment          `json:"attachments"`
	Lineage            []string              `json:"lineage"`

	// Additions to the contract (allowed: "you may add fields").

	// Layout names the recognizer that produced the record.
	Layout string `json:"layout,omitempty"`
	// Shared lists field paths whose value is boilerplate repeated across
	// most records of the document.
	Shared []string `json:"shared_fields,omitempty"`
	// Kind is "record" for a processing record; the index also stores
	// "document_status" entries for files that failed.
	Kind string `json:"kind,omitempty"`
}

// Source says where a record comes from.
type Source struct {
	Path          string  `json:"path"`
	Format        Format  `json:"format"`
	SHA256        string  `json:"sha256"`
	Locator       string  `json:"locator"`
	Pages         []int   `json:"pages,omitempty"`
	DocumentTitle *string `json:"document_title"`
	DocumentDate  *string `json:"document_date"`
}

// Party is a controller or DPO.
type Party struct {
	Name    *string `json:"name"`
	Contact *string `json:"contact"`
}

// LegalBasis is one legal basis: a GDPR article code (6-1-a … 6-1-f,
// 9-2-a … 9-2-j), "national" for a national text, or "unknown".
type LegalBasis struct {
	Code string `json:"code"`
	Text string `json:"text"`
}

// Sensitive says whether special data are processed (nil = not said).
type Sensitive struct {
	Health *bool    `json:"health"`
	NIR    *bool    `json:"nir"`
	Other  []string `json:"other"`
}

// Recipients are split as registers split them.
type Recipients struct {
	Internal []string `json:"internal"`
	External []string `json:"external"`
}

// Transfers outside the EU.
type Transfers struct {
	OutsideEU    *bool    `json:"outside_eu"`
	Text         *string  `json:"text"`
	Destinations []string `json:"destinations"`
	Safeguards   []string `json:"safeguards"`
}

// Retention is the retention text and the periods read from it.
type Retention struct {
	Text       *string  `json:"text"`
	Periods    []Period `json:"periods"`
	Indefinite *bool    `json:"indefinite"`
}

// Period is one retention duration.
type Period struct {
	Amount  float64 `json:"amount"`
	Unit    string  `json:"unit"` // day, week, month, year
	Trigger *string `json:"trigger"`
	Scope   *string `json:"scope"`
	ISO8601 string  `json:"iso8601,omitempty"`
}

// Rights says where data subjects exercise their rights.
type Rights struct {
	Contact *string `json:"contact"`
	Text    *string `json:"text"`
}

// Flag is an inconsistency a DPO would raise on a record.
type Flag struct {
	Code     string  `json:"code"`
	Severity string  `json:"severity"` // error, warning, info
	Field    *string `json:"field"`
	Message  string  `json:"message"`
	Evidence *string `json:"evidence"`
	Status   string  `json:"status"` // open, resolved, dismissed

	// Additions: which rule raised it, and the evidence's span.
	Rule        string `json:"rule,omitempty"`
	RuleVersion int    `json:"rule_version,omitempty"`
	Start       *int   `json:"start,omitempty"`
	End         *int   `json:"end,omitempty"`
}

// Severities.
const (
	SeverityError   = "error"
	SeverityWarning = "warning"
	SeverityInfo    = "info"
)

// Provenance is the evidence of one field value.
type Provenance struct {
	Locator    string  `json:"locator,omitempty"`
	Start      int     `json:"start"`
	End        int     `json:"end"`
	Method     Method  `json:"method"`
	Confidence float64 `json:"confidence"`
	// Additions: the page, and the label as printed in the source.
	Page      int    `json:"page,omitempty"`
	Label     string `json:"label,omitempty"`
	Inherited bool   `json:"inherited,omitempty"`
	Derived   string `json:"derived,omitempty"` // how a value not printed as such was derived
}

// Attachment is a document linked to a record.
type Attachment struct {
	Label string  `json:"label"`
	Href  *string `json:"href"`
	Size  *string `json:"size"`
}

// Str returns a pointer to s, or nil when s is empty. Contract fields use nil
// for "not stated".
func Str(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// Bool returns a pointer to b.
func Bool(b bool) *bool { return &b }
