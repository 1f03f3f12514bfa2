package registre

// Field names a canonical field of a processing record, as extractors find it
// before normalization. The names follow the contract's field paths so that
// provenance keys and review corrections speak the same language.
type Field string

const (
	FieldName               Field = "name"
	FieldReference          Field = "reference"
	FieldController         Field = "controller"
	FieldDPO                Field = "dpo"
	FieldJointControllers   Field = "joint_controllers"
	FieldBusinessUnit       Field = "business_unit"
	FieldPurposes           Field = "purposes"
	FieldSubPurposes        Field = "sub_purposes"
	FieldLegalBasis         Field = "legal_basis_text"
	FieldDataSubjects       Field = "data_subjects"
	FieldDataCategories     Field = "data_categories"
	FieldRecipients         Field = "recipients" // recipients not said to be internal or external
	FieldRecipientsInternal Field = "recipients.internal"
	FieldRecipientsExternal Field = "recipients.external"
	FieldPersonsWithAccess  Field = "persons_with_access"
	FieldProcessors         Field = "processors"
	FieldTransfers          Field = "transfers.text"
	FieldRetention          Field = "retention.text"
	FieldSecurity           Field = "security_measures"
	FieldRights             Field = "rights.text"
	FieldRightsContact      Field = "rights.contact"
	FieldObjection          Field = "objection_exemption"
	FieldImplementationDate Field = "implementation_date"
	FieldRegulatoryAct      Field = "regulatory_act"
	FieldAttachments        Field = "attachments"
	FieldLineage            Field = "lineage"
	FieldHealth             Field = "sensitive.health" // an explicit statement ("Données de santé : oui")
	FieldNIR                Field = "sensitive.nir"
	FieldDocumentDate       Field = "source.document_date"
)

// Method says how a value was obtained.
type Method string

const (
	MethodRule   Method = "rule"
	MethodLLM    Method = "llm"
	MethodReview Method = "review"
	MethodOCR    Method = "ocr"
)

// RawValue is one value an extractor found, verbatim, with its evidence.
// Lists (purposes, data categories, recipients…) are one RawValue per item.
type RawValue struct {
	Text string `json:"text"`
	// Start and End are the value's span in Document.Text.
	Start   int    `json:"start"`
	End     int    `json:"end"`
	Locator string `json:"locator,omitempty"`
	Page    int    `json:"page,omitempty"`
	// Label is the label as printed in the source ("Finalité du traitement").
	Label      string  `json:"label,omitempty"`
	Method     Method  `json:"method,omitempty"`
	Confidence float64 `json:"confidence,omitempty"`
	// Href and Size describe an attachment link.
	Href string `json:"href,omitempty"`
	Size string `json:"size,omitempty"`
	// Shared marks boilerplate repeated across most records of a document
	// (rights, security paragraphs of the Cnam register).
	Shared bool `json:"shared,omitempty"`
	// Inherited marks a value taken from the document header (controller,
	// DPO) rather than from the record itself.
	Inherited bool `json:"inherited,omitempty"`
}

// RawRecord is one processing activity as an extractor found it: verbatim
// values per field, not yet normalized.
type RawRecord struct {
	// Layout names the recognizer that produced the record ("cramif-bullets",
	// "cnam-table", "decision", "form-table", "form-paragraphs",
	// "spreadsheet", "generic").
	Layout       string `json:"layout"`
	Organisation string `json:"organisation"`
	// Key is the record key the id is derived from: the fiche/reference
	// number when the source has one, else the normalized name.
	Key     string `json:"key"`
	Locator string `json:"locator"`
	Pages   []int  `json:"pages,omitempty"`
	// DocumentTitle and DocumentDate describe the document as a whole.
	DocumentTitle string               `json:"document_title,omitempty"`
	DocumentDate  string               `json:"document_date,omitempty"`
	Fields        map[Field][]RawValue `json:"fields"`
}

// Add appends a value to a field.
func (r *RawRecord) Add(f Field, v RawValue) {
	if r.Fields == nil {
		r.Fields = map[Field][]RawValue{}
	}
	r.Fields[f] = append(r.Fields[f], v)
}

// First returns the first value of a field, if any.
func (r *RawRecord) First(f Field) (RawValue, bool) {
	vs := r.Fields[f]
	if len(vs) == 0 {
		return RawValue{}, false
	}
	return vs[0], true
}
