package normalize

import (
	"regexp"
	"strings"

	"registre"
)

// joinLines joins the verbatim values of one field: registers that give a
// field as several lines or bullets are compared and shown line by line.
func joinLines(vs []string) string { return strings.Join(vs, "\n") }

// scalars fills the single-valued fields.
func (n *normalizer) scalars() {
	r := n.rec
	if t := n.texts(registre.FieldReference); len(t) > 0 {
		r.Reference = registre.Str(t[0])
		n.prov("reference", registre.FieldReference)
	}
	if p := party(n.texts(registre.FieldController)); p != nil {
		r.Controller = p
		n.prov("controller", registre.FieldController)
	}
	if p := party(n.texts(registre.FieldDPO)); p != nil {
		r.DPO = p
		n.prov("dpo", registre.FieldDPO)
	}
	if t := n.texts(registre.FieldBusinessUnit); len(t) > 0 {
		r.BusinessUnit = registre.Str(strings.Join(t, " ; "))
		n.prov("business_unit", registre.FieldBusinessUnit)
	}
	if t := n.texts(registre.FieldObjection); len(t) > 0 {
		r.ObjectionExemption = registre.Str(joinLines(t))
		n.prov("objection_exemption", registre.FieldObjection)
	}
	if t := n.texts(registre.FieldRegulatoryAct); len(t) > 0 {
		r.RegulatoryAct = registre.Str(t[0])
		n.prov("regulatory_act", registre.FieldRegulatoryAct)
	}
	if ts := n.texts(registre.FieldImplementationDate); len(ts) > 0 {
		for _, t := range ts {
			if d, ok := Date(t); ok {
				r.ImplementationDate = &d
				break
			}
		}
		if r.ImplementationDate != nil {
			n.prov("implementation_date", registre.FieldImplementationDate)
		} else {
			// Nothing is lost: the reviewer sees what was printed.
			n.derive("implementation_date", registre.FieldImplementationDate, "date non reconnue : « "+ts[0]+" »")
		}
	}

	// Legal bases: one basis per value (the line it is printed on), the
	// verbatim lines joined as legal_basis_text.
	if t := n.texts(registre.FieldLegalBasis); len(t) > 0 {
		r.LegalBasisText = registre.Str(joinLines(t))
		n.prov("legal_basis_text", registre.FieldLegalBasis)
		r.LegalBases = LegalBases(t...)
		n.derive("legal_bases", registre.FieldLegalBasis, "codes lus dans le texte des fondements juridiques")
	}

	// Retention.
	if t := n.texts(registre.FieldRetention); len(t) > 0 {
		r.Retention = ParseRetention(t...)
		n.prov("retention.text", registre.FieldRetention)
		if len(r.Retention.Periods) > 0 || r.Retention.Indefinite != nil {
			n.derive("retention.periods", registre.FieldRetention, "durées lues dans le texte de la durée de conservation")
		}
	}

	// Transfers: the answer stays verbatim ("non" included); outside_eu,
	// destinations and safeguards are read from it.
	if t := n.texts(registre.FieldTransfers); len(t) > 0 {
		r.Transfers = ParseTransfers(t...)
		n.prov("transfers.text", registre.FieldTransfers)
		if r.Transfers.OutsideEU != nil {
			n.derive("transfers.outside_eu", registre.FieldTransfers, "réponse oui/non du champ transfert")
		}
	}

	// Rights: a contact ("DPO", "DTE", an e-mail…) goes to rights.contact,
	// explanations to rights.text.
	contacts := n.texts(registre.FieldRightsContact)
	texts := n.texts(registre.FieldRights)
	if len(contacts) > 0 {
		r.Rights.Contact = registre.Str(joinLines(contacts))
		n.prov("rights.contact", registre.FieldRightsContact)
	}
	if len(texts) > 0 {
		joined := joinLines(texts)
		// Only a value that is a contact and nothing else moves to
		// rights.contact; prose keeps its contact inside rights.text (the
		// contract compares rights.contact, else rights.text, with the
		// whole statement).
		if r.Rights.Contact == nil {
			if c, whole := RightsContact(joined); c != "" && whole {
				r.Rights.Contact = registre.Str(c)
				n.prov("rights.contact", registre.FieldRights)
				joined = ""
			}
		}
		if joined != "" {
			r.Rights.Text = registre.Str(joined)
			n.prov("rights.text", registre.FieldRights)
		}
	}
}

// lists fills the list fields: one item per value.
func (n *normalizer) lists() {
	r := n.rec
	set := func(dst *[]string, path string, f registre.Field) {
		if len(n.raw.Fields[f]) == 0 {
			return
		}
		*dst = append(*dst, n.listTexts(f)...)
		n.prov(path, f)
	}
	set(&r.Purposes, "purposes", registre.FieldPurposes)
	set(&r.SubPurposes, "sub_purposes", registre.FieldSubPurposes)
	set(&r.DataSubjects, "data_subjects", registre.FieldDataSubjects)
	set(&r.PersonsWithAccess, "persons_with_access", registre.FieldPersonsWithAccess)
	set(&r.SecurityMeasures, "security_measures", registre.FieldSecurity)
	set(&r.Lineage, "lineage", registre.FieldLineage)
	// Recipients stated as none ("Aucune donnée traitée n'est communiquée à
	// des tiers") are an empty list, not a recipient.
	setRecipients := func(dst *[]string, path string, f registre.Field) {
		if len(n.raw.Fields[f]) == 0 {
			return
		}
		for _, t := range n.listTexts(f) {
			if !NoRecipients(t) {
				*dst = append(*dst, t)
			}
		}
		n.prov(path, f)
	}
	setRecipients(&r.Recipients.Internal, "recipients.internal", registre.FieldRecipientsInternal)
	setRecipients(&r.Recipients.External, "recipients.external", registre.FieldRecipientsExternal)
	// Recipients not said to be internal or external are third parties:
	// that is what "Destinataires des données" means next to "Personnes
	// accédant aux données".
	setRecipients(&r.Recipients.External, "recipients", registre.FieldRecipients)

	// Joint controllers and processors answer yes/no: "oui : X" → X.
	for _, f := range []struct {
		dst  *[]string
		path string
		f    registre.Field
	}{{&r.JointControllers, "joint_controllers", registre.FieldJointControllers}, {&r.Processors, "processors", registre.FieldProcessors}} {
		if len(n.raw.Fields[f.f]) == 0 {
			continue
		}
		for _, t := range n.texts(f.f) {
			if NoRecipients(t) {
				continue
			}
			*f.dst = append(*f.dst, Names(t)...)
		}
		n.prov(f.path, f.f)
	}

	// Data categories: Cramif-style values are split per subject prefix, and
	// the subjects feed data_subjects when the record states none.
	if len(n.raw.Fields[registre.FieldDataCategories]) > 0 {
		var subjects []string
		for _, t := range n.listTexts(registre.FieldDataCategories) {
			items, subs := SplitDataCategories(t)
			r.DataCategories = append(r.DataCategories, items...)
			subjects = append(subjects, subs...)
		}
		n.prov("data_categories", registre.FieldDataCategories)
		if len(n.raw.Fields[registre.FieldDataSubjects]) == 0 && len(subjects) > 0 {
			r.DataSubjects = dedupe(subjects)
			n.derive("data_subjects", registre.FieldDataCategories, "personnes concernées lues dans les préfixes des données traitées")
		}
	}

	// Sensitive data: an explicit statement wins, else the data categories
	// (and the purposes and name when they are clearly about health) decide.
	n.sensitive()

	// Attachments.
	for _, v := range n.values(registre.FieldAttachments) {
		r.Attachments = append(r.Attachments, AttachmentOf(v))
	}
	if len(r.Attachments) > 0 {
		n.prov("attachments", registre.FieldAttachments)
	}
}

func (n *normalizer) sensitive() {
	r := n.rec
	// The split items: a Cramif value "Base AGATA : décision Cnam ;
	// Identification de l'assuré : …" is a pointer then a real list.
	cats := r.DataCategories
	context := append(n.texts(registre.FieldName), n.texts(registre.FieldPurposes)...)
	health, nir := Sensitive(cats, context)
	if len(n.raw.Fields[registre.FieldDataCategories]) > 0 {
		n.derive("sensitive.health", registre.FieldDataCategories, "données de santé repérées dans les catégories de données")
		n.derive("sensitive.nir", registre.FieldDataCategories, "NIR repéré dans les catégories de données")
	}
	if t := n.texts(registre.FieldHealth); len(t) > 0 {
		if b, _ := YesNo(t[0]); b != nil {
			health = b
			n.prov("sensitive.health", registre.FieldHealth)
		}
	}
	if t := n.texts(registre.FieldNIR); len(t) > 0 {
		if b, _ := YesNo(t[0]); b != nil {
			nir = b
			n.prov("sensitive.nir", registre.FieldNIR)
		}
	}
	r.Sensitive.Health, r.Sensitive.NIR = health, nir
	r.Sensitive.Other = OtherSensitive(cats)
	if len(r.Sensitive.Other) > 0 {
		n.derive("sensitive.other", registre.FieldDataCategories, "catégories particulières repérées dans les catégories de données")
	}
}

// name sets the record name: the printed one, else one derived from the
// first purpose (provenance says so), else from the locator.
func (n *normalizer) name() {
	r := n.rec
	if t := n.texts(registre.FieldName); len(t) > 0 {
		r.Name = t[0]
		n.prov("name", registre.FieldName)
		return
	}
	if ps := n.values(registre.FieldPurposes); len(ps) > 0 {
		r.Name = NameFromPurpose(ps[0].Text)
		p := provOf(ps[:1], "nom dérivé de la première finalité (la source ne donne pas de nom)")
		r.Provenance["name"] = p
		return
	}
	r.Name = "Traitement sans nom"
	if n.raw.Locator != "" {
		r.Name += " (" + n.raw.Locator + ")"
	}
	r.Provenance["name"] = registre.Provenance{Locator: n.raw.Locator, Method: registre.MethodRule, Confidence: 0.3,
		Derived: "la source ne donne ni nom ni finalité"}
}

var reNoRecipients = regexp.MustCompile(`^(?:aucune?|pas d[e']|nul(?:le)?|les donnees[^.]{0,60}\bne sont (?:pas|jamais)|il n'y a (?:pas|aucun))\b[^.]{0,120}?\b(?:communiqu|transmis|transfer|destinataire|tiers|partag|diffus|sous-trait|prestataire)`)

// NoRecipients reports whether a value declares that there is none:
// "Aucune donnée traitée n'est communiquée à des tiers", "Les données
// traitées ne sont pas communiquées à des tiers.", "Pas de destinataires
// externes", "Aucun sous-traitant", and the bare "non", "néant", "N/A".
func NoRecipients(s string) bool {
	if isNone(s) {
		return true
	}
	return reNoRecipients.MatchString(fold(clean(s)))
}

// NameFromPurpose makes a record name from a purpose sentence: its first
// sentence, cut on a word boundary near 120 characters.
func NameFromPurpose(p string) string {
	p = clean(p)
	if i := strings.Index(p, ". "); i > 0 {
		p = p[:i]
	}
	p = strings.TrimRight(p, " .;:")
	const max = 120
	if len([]rune(p)) <= max {
		return p
	}
	rs := []rune(p)[:max]
	s := string(rs)
	if i := strings.LastIndex(s, " "); i > 40 {
		s = s[:i]
	}
	return strings.TrimRight(s, " ,;:") + "…"
}

// party reads a controller or DPO from its values: a name and a contact
// (e-mail, phone) in one value or on separate lines.
func party(vs []string) *registre.Party {
	if len(vs) == 0 {
		return nil
	}
	var names, contacts []string
	for _, v := range vs {
		name, contact := splitContact(v)
		if name != "" {
			names = append(names, name)
		}
		if contact != "" {
			contacts = append(contacts, contact)
		}
	}
	if len(names) == 0 && len(contacts) == 0 {
		return nil
	}
	return &registre.Party{Name: registre.Str(strings.Join(names, " ")), Contact: registre.Str(strings.Join(contacts, " ; "))}
}

func dedupe(xs []string) []string {
	seen := map[string]bool{}
	out := []string{}
	for _, x := range xs {
		k := foldKey(x)
		if seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, x)
	}
	return out
}
