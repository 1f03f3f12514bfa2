package flags

import (
	"strings"
	"testing"

	"registre"
)

// transfer sets the transfer answer as normalize would: OutsideEU from the
// yes/no, the text verbatim.
func transfer(out *bool, text string) func(*registre.Record) {
	return func(r *registre.Record) {
		r.Transfers.OutsideEU = out
		r.Transfers.Text = registre.Str(text)
	}
}

func both(fs ...func(*registre.Record)) func(*registre.Record) {
	return func(r *registre.Record) {
		for _, f := range fs {
			f(r)
		}
	}
}

var yes, no = registre.Bool(true), registre.Bool(false)

func TestPrivacyShield(t *testing.T) {
	runCases(t, []ruleCase{
		{"in security measures", anywhere("security", "Prestataire américain certifié Privacy Shield"), "XFR-001", true},
		{"french wording in transfers", anywhere("transfers", "oui : États-Unis, bouclier de protection des données UE-États-Unis"), "XFR-001", true},
		{"hyphenated in processors", anywhere("processors", "Mailchimp (privacy-shield)"), "XFR-001", true},
		{"lowercase no space", anywhere("purposes", "transfert couvert par le privacyshield"), "XFR-001", true},
		{"replaced by the DPF", anywhere("transfers", "oui : États-Unis, Data Privacy Framework (le Privacy Shield invalidé n'est plus utilisé)"), "XFR-001", false},
		{"no mention", func(r *registre.Record) {}, "XFR-001", false},
		{"safe harbor", anywhere("security", "Hébergeur adhérent au Safe Harbor"), "XFR-002", true},
		{"sphere de securite", anywhere("legal", "principes de la sphère de sécurité"), "XFR-002", true},
		{"safe harbour british", anywhere("processors", "Safe Harbour certified host"), "XFR-002", true},
	})
}

func TestPrivacyShieldMessage(t *testing.T) {
	e := New(WithNow(testNow))
	r := clean()
	anywhere("security", "Prestataire certifié Privacy Shield")(&r)
	r.Source.DocumentDate = registre.Str("2019-03")
	f := findRule(e.CheckRecord(&r), "XFR-001")
	if f == nil {
		t.Fatal("no privacy_shield flag")
	}
	for _, want := range []string{"C-311/18", "16 juillet 2020", "Data Privacy Framework", "10 juillet 2023", "2021/914", "mars 2019", "était encore valide"} {
		if !strings.Contains(f.Message, want) {
			t.Errorf("message lacks %q: %s", want, f.Message)
		}
	}
	if deref(f.Field) != "security_measures" || deref(f.Evidence) != "Prestataire certifié Privacy Shield" {
		t.Errorf("field %q evidence %q", deref(f.Field), deref(f.Evidence))
	}
}

func TestTransferWithoutSafeguard(t *testing.T) {
	runCases(t, []ruleCase{
		{"bare oui", transfer(yes, "oui"), "XFR-003", true},
		{"oui with US provider", transfer(yes, "Oui : États-Unis (hébergement Mailchimp)"), "XFR-003", true},
		{"named country without answer", transfer(nil, "Inde (centre de support du prestataire)"), "XFR-003", true},
		{"OUI upper case", transfer(nil, "OUI. Prestataire situé à Singapour"), "XFR-003", true},
		{"privacy shield is no safeguard", transfer(yes, "oui : Etats-Unis, Privacy Shield"), "XFR-003", true},
		{"2021 SCC", transfer(yes, "oui : États-Unis, clauses contractuelles types 2021"), "XFR-003", false},
		{"DPF", transfer(yes, "oui – prestataire certifié Data Privacy Framework"), "XFR-003", false},
		{"adequate country", transfer(yes, "oui : Royaume-Uni"), "XFR-003", false},
		{"switzerland", transfer(yes, "Oui : Suisse"), "XFR-003", false},
		{"bilateral convention", transfer(yes, "Oui : Maroc, dans le cadre de la convention bilatérale de sécurité sociale"), "XFR-003", false},
		{"BCR", transfer(yes, "oui : Inde, règles d'entreprise contraignantes (BCR) du groupe"), "XFR-003", false},
		{"art 49", transfer(yes, "oui : Canada ou tout pays, dérogation de l'article 49.1.b"), "XFR-003", false},
		{"safeguard in the security field", both(transfer(yes, "oui : États-Unis"), anywhere("security", "CCT 2021 signées avec le sous-traitant")), "XFR-003", false},
		{"non with provider is not this rule", both(transfer(no, "non"), anywhere("processors", "Google LLC")), "XFR-003", false},
		{"no answer, provider only", both(func(r *registre.Record) { r.Transfers = registre.Transfers{} }, anywhere("processors", "Amazon Web Services")), "XFR-003", false},
		{"oui first, then a restriction", transfer(nil, "Oui : Inde. Aucun transfert vers d'autres pays"), "XFR-003", true},
		{"old SCC", transfer(yes, "oui : États-Unis, clauses contractuelles types de 2010 (décision 2010/87/UE)"), "XFR-004", true},
		{"old SCC replaced", transfer(yes, "oui : États-Unis, CCT 2010 remplacées par les CCT 2021 (décision 2021/914)"), "XFR-004", false},
	})
}

func TestTransferContradiction(t *testing.T) {
	runCases(t, []ruleCase{
		{"automattic with curly apostrophe", both(transfer(no, "non"), anywhere("processors", "Aut O’ Mattic Ltd. Hébergement du site Web")), "XFR-005", true},
		{"automattic straight apostrophe", both(transfer(no, "non"), anywhere("processors", "Aut O' Mattic")), "XFR-005", true},
		{"jetpack", both(transfer(no, "non"), anywhere("security", "Pour wordpress : extension de sécurité Jetpack")), "XFR-005", true},
		{"google in security", both(transfer(no, "non"), anywhere("security", "Google pour les données de traçabilité.")), "XFR-005", true},
		{"skype upper case", both(transfer(no, "non"), anywhere("security", "sécurité de l'outil de communication SKYPE")), "XFR-005", true},
		{"mailchimp camel case", both(transfer(no, "non"), anywhere("purposes", "Envoi des lettres d'information via MailChimp")), "XFR-005", true},
		{"rocket science group", both(transfer(no, "non"), anywhere("processors", "The Rocket Science Group LLC")), "XFR-005", true},
		{"sentry", both(transfer(no, "Non."), anywhere("processors", "Sentry (suivi des erreurs applicatives)")), "XFR-005", true},
		{"zoom", both(transfer(no, "non"), anywhere("purposes", "Entretiens à distance par Zoom")), "XFR-005", true},
		{"telegram", both(transfer(nil, "NON"), anywhere("purposes", "Groupe Telegram des correspondants")), "XFR-005", true},
		{"facebook page", both(transfer(no, "non"), anywhere("data", "Commentaires publiés sur la page Facebook")), "XFR-005", true},
		{"youtube", both(transfer(no, "non"), anywhere("purposes", "Vidéos hébergées sur YouTube")), "XFR-005", true},
		{"share link is not a processor", both(transfer(no, "non"), anywhere("attachment", "Twitter")), "XFR-005", false},
		{"sentence saying no transfer", both(transfer(nil, "Les données ne sont pas transférées hors de l'Union européenne"), anywhere("processors", "Salesforce")), "XFR-005", true},
		{"doctolib is in the EU", both(transfer(no, "non"), anywhere("processors", "DOCTOLIB et APSM")), "XFR-005", false},
		{"EU hosting stated", both(transfer(no, "non"), anywhere("processors", "Microsoft 365, données hébergées en France")), "XFR-005", false},
		{"zoom as a French word", both(transfer(no, "non"), anywhere("purposes", "faire un zoom sur les délais de paiement")), "XFR-005", false},
		{"meta-donnees", both(transfer(no, "non"), anywhere("data", "méta-données des courriels")), "XFR-005", false},
		{"self-hosted wordpress", both(transfer(no, "non"), anywhere("security", "site wordpress hébergé sur nos serveurs")), "XFR-005", false},
		{"transfer declared is not a contradiction", both(transfer(yes, "oui : États-Unis, CCT 2021"), anywhere("processors", "Google LLC")), "XFR-005", false},
		{"oui towards the EU", transfer(yes, "Oui : Doctolib"), "XFR-006", true},
		{"oui towards Germany", transfer(yes, "oui : Allemagne"), "XFR-006", true},
		{"oui towards the US", transfer(yes, "oui : États-Unis"), "XFR-006", false},
	})
}

func TestTransferContradictionMessage(t *testing.T) {
	r := clean()
	both(transfer(no, "non"), anywhere("processors", "Aut O’ Mattic Ltd. Hébergement du site Web"))(&r)
	f := findRule(New(WithNow(testNow)).CheckRecord(&r), "XFR-005")
	if f == nil {
		t.Fatal("no transfer_contradiction")
	}
	for _, want := range []string{"« non »", "Automattic Inc.", "États-Unis", "Transfert : oui, États-Unis"} {
		if !strings.Contains(f.Message, want) {
			t.Errorf("message lacks %q: %s", want, f.Message)
		}
	}
	if deref(f.Evidence) != "Aut O’ Mattic Ltd." && !strings.Contains(deref(f.Evidence), "Aut O’ Mattic") {
		t.Errorf("evidence %q", deref(f.Evidence))
	}
}

func TestProvidersAreSourced(t *testing.T) {
	for _, p := range Providers() {
		if p.Name == "" || p.Country == "" || p.Note == "" || p.Source == "" || len(p.Aliases)+len(p.Exact) == 0 {
			t.Errorf("provider %+v lacks name, country, note, source or alias", p)
		}
	}
}
