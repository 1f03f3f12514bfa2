package normalize

import (
	"strings"
	"testing"
	"unicode/utf8"

	"registre"
)

// Every date shape of seeds-analysis.md §3.3, and variants.
func TestDate(t *testing.T) {
	cases := []struct{ in, want string }{
		{"6 décembre 1993", "1993-12-06"},
		{"1er mars 1994", "1994-03-01"},
		{"1 er mars 1994", "1994-03-01"},
		{"1<sup>er</sup> mars 1994", "1994-03-01"},
		{"05 novembre 2018", "2018-11-05"},
		{"avril 2009", "2009-04"},
		{"Janvier 2005", "2005-01"},
		{"JANVIER 2005", "2005-01"},
		{"2005", "2005"},
		{"1998", "1998"},
		{"mars 2009", "2009-03"},
		{"2009-03", "2009-03"},
		{"2009-03-28", "2009-03-28"},
		{"28/07/2014", "2014-07-28"},
		{"le 28/07/2014", "2014-07-28"},
		{"du 04/07/2016", "2016-07-04"},
		{"02/07/19", "2019-07-02"},
		{"27/04/2020", "2020-04-27"},
		{"28-07-2014", "2014-07-28"},
		{"28.07.2014", "2014-07-28"},
		{"03/2009", "2009-03"},
		{"du 11 mai 2020", "2020-05-11"},
		{"à compter du 5 août 2021", "2021-08-05"},
		{"5 aout 2021", "2021-08-05"},
		{"25 fevrier 2011", "2011-02-25"},
		{"décembre 2020", "2020-12"},
		{"en date du 6 janvier 1978", "1978-01-06"},
		{"Date de mise en œuvre : 2 juillet 2019", "2019-07-02"},
		{"septembre/octobre 2016", "2016-10"},
		{"2011-2015", "2011"},
		{"sept. 2015", "2015-09"},
		{"29/02/2020", "2020-02-29"},
	}
	for _, c := range cases {
		got, ok := Date(c.in)
		if !ok || got != c.want {
			t.Errorf("Date(%q) = %q %v, want %q", c.in, got, ok, c.want)
		}
	}
	for _, in := range []string{"", "le", "non", "32/13/2014", "29/02/2019", "5ème", "1ère", "12 derniers mois", "n° 78-17"} {
		if got, ok := Date(in); ok {
			t.Errorf("Date(%q) = %q, want none", in, got)
		}
	}
}

func FuzzDate(f *testing.F) {
	for _, s := range []string{"6 décembre 1993", "1er mars", "28/07/2014", "2009-03", "99/99/99", "mars"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if d, ok := Date(s); ok && !reISODate.MatchString(d) {
			t.Fatalf("%q → %q", s, d)
		}
	})
}

var reISODate = regexpMust(`^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$`)

// Yes/no values of seeds-analysis.md §3.4.
func TestYesNo(t *testing.T) {
	cases := []struct {
		in      string
		want    tri
		details string
	}{
		{"non", no, ""},
		{"non.", no, ""},
		{"Non", no, ""},
		{"NON", no, ""},
		{"non\u00a0", no, ""},
		{"Non, aucun", no, "aucun"},
		{"oui", yes, ""},
		{"oui : IBBL (prestataire d'hébergement)", yes, "IBBL (prestataire d'hébergement)"},
		{"Oui : Cnam", yes, "Cnam"},
		{"OUI. Prestataire situé au Maroc", yes, "Prestataire situé au Maroc"},
		{"OUI : X", yes, "X"},
		{"oui - Doctolib", yes, "Doctolib"},
		{"aucun", no, ""},
		{"Aucune", no, ""},
		{"néant", no, ""},
		{"« néant »", no, ""},
		{"N/A", no, ""},
		{"sans objet", no, ""},
		{"Cnam", unset, "Cnam"},
		{"Nonobstant l'article 5", unset, "Nonobstant l'article 5"},
		{"Ouistreham", unset, "Ouistreham"},
		{"", unset, ""},
	}
	for _, c := range cases {
		b, d := YesNo(c.in)
		if !c.want.check(b) || d != c.details {
			t.Errorf("YesNo(%q) = %v %q, want %v %q", c.in, b, d, c.want, c.details)
		}
	}
}

func TestNames(t *testing.T) {
	cases := []struct {
		in   string
		want []string
	}{
		{"non", nil},
		{"Non.", nil},
		{"aucun", nil},
		{"/", nil},
		{"oui", nil},
		{"oui : IBBL (prestataire)", []string{"IBBL (prestataire)"}},
		{"Cnam, autres organismes (CPAM)", []string{"Cnam", "autres organismes (CPAM)"}},
		{"prestataire OVEA", []string{"OVEA"}},
		{"le prestataire ODYSSEY SERVICES. Envoi de SMS pour rappel d'évènement", []string{"ODYSSEY SERVICES"}},
		{"Aut O’ Mattic Ltd. Hébergement du site Web", []string{"Aut O’ Mattic Ltd."}},
		{"DOCTOLIB et APSM. Gestion de l'agenda et de la base de données des rendez-vous", []string{"DOCTOLIB", "APSM"}},
		{"Caisse Des Dépôts et Consignations", []string{"Caisse Des Dépôts et Consignations"}},
		{"H4D (fourniture et maintenance des cabines, hébergement agréé HDS)", []string{"H4D (fourniture et maintenance des cabines, hébergement agréé HDS)"}},
		{"SIGMA (hébergement) et OVH (sauvegardes)", []string{"SIGMA (hébergement)", "OVH (sauvegardes)"}},
		{"Oui : Cnam", []string{"Cnam"}},
		{"CNAM", []string{"CNAM"}},
		{"La DNS et la Cnam sont dans une situation de cotraitance au sens de l'article 26 du RGPD", []string{"La DNS et la Cnam sont dans une situation de cotraitance au sens de l'article 26 du RGPD"}},
		{"Service Médical", []string{"Service Médical"}},
	}
	for _, c := range cases {
		got := Names(c.in)
		if got == nil || strings.Join(got, "|") != strings.Join(c.want, "|") {
			t.Errorf("Names(%q) = %#v, want %q", c.in, got, c.want)
		}
	}
}

func TestParseTransfers(t *testing.T) {
	cases := []struct {
		in         string
		outside    tri
		dest       string
		safeguards string
	}{
		{"non", no, "", ""},
		{"non.", no, "", ""},
		{"oui : prestataire aux Etats-Unis (Privacy Shield)", yes, "prestataire aux Etats-Unis (Privacy Shield)", "privacy_shield"},
		{"Oui : Maroc, clauses contractuelles types", yes, "Maroc, clauses contractuelles types", "scc"},
		{"Nous ne transférons aucune donnée en dehors de l'Union Européenne", no, "", ""},
		{"Données hébergées en France", no, "", "eu_hosting_commitment"},
		{"Hébergement chez un prestataire aux États-Unis", yes, "", ""},
		{"Safe Harbor", yes, "", "safe_harbor"},
		{"Prestataire IBBL", unset, "", ""},
	}
	for _, c := range cases {
		tr := ParseTransfers(c.in)
		if tr.Text == nil || *tr.Text != c.in {
			t.Errorf("%q: text %v", c.in, tr.Text)
		}
		if !c.outside.check(tr.OutsideEU) || strings.Join(tr.Destinations, "|") != c.dest || strings.Join(tr.Safeguards, ",") != c.safeguards {
			t.Errorf("%q: outside=%v dest=%q safeguards=%v", c.in, tr.OutsideEU, tr.Destinations, tr.Safeguards)
		}
	}
	if e := ParseTransfers(); e.Text != nil || e.Destinations == nil || e.Safeguards == nil {
		t.Errorf("empty = %+v", e)
	}
}

func FuzzYesNo(f *testing.F) {
	for _, s := range []string{"oui : X", "non.", "OUI. x", "ouï", "n/a", "œ"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		b, d := YesNo(s)
		if b == nil && d != clean(s) {
			t.Fatalf("%q: not an answer but details %q", s, d)
		}
		if len(d) > len(s) {
			t.Fatalf("%q: details longer than input: %q", s, d)
		}
		ParseTransfers(s)
		Names(s)
	})
}

// Rights: a contact vs an explanation (seeds-analysis.md §3.6).
func TestRightsContact(t *testing.T) {
	cases := []struct {
		in, contact string
		whole       bool
	}{
		{"délégué à la protection des données (DPO)", "délégué à la protection des données (DPO)", true},
		{"Délégué à la protection des données (DPO) ", "Délégué à la protection des données (DPO)", true},
		{"DTE", "DTE", true},
		{"DPO", "DPO", true},
		{"responsable SST", "responsable SST", true},
		{"directeur CMS", "directeur CMS", true},
		{"directeur du centre d'examens de santé", "directeur du centre d'examens de santé", true},
		{"dpo.cramif@assurance-maladie.fr", "dpo.cramif@assurance-maladie.fr", true},
		{"Les personnes concernées peuvent exercer leurs droits auprès du directeur de la caisse de rattachement en contactant le DPO de la caisse.", "directeur de la caisse de rattachement en contactant le DPO de la caisse", false},
		{"Les droits s'exercent auprès du délégué à la protection des données de l'organisme.", "délégué à la protection des données de l'organisme", false},
		{"Écrire à dpo@cnam.fr pour exercer vos droits.", "dpo@cnam.fr", false},
		{"Les mentions d'information sont publiées sur l'intranet de l'organisme.", "", false},
		{"Affichage dans les établissements", "", false},
	}
	for _, c := range cases {
		got, whole := RightsContact(c.in)
		if got != c.contact || whole != c.whole {
			t.Errorf("RightsContact(%q) = %q %v, want %q %v", c.in, got, whole, c.contact, c.whole)
		}
	}
}

func TestPartyFromValues(t *testing.T) {
	p := party([]string{"David Clair (dgprotectiondonnees.cramif@assurance-maladie.fr)"})
	if p == nil || str(p.Name) != "David Clair" || str(p.Contact) != "dgprotectiondonnees.cramif@assurance-maladie.fr" {
		t.Errorf("one value: %+v", p)
	}
	p = party([]string{"Yveline Pinot", "dpo.cramif@assurance-maladie.fr"})
	if p == nil || str(p.Name) != "Yveline Pinot" || str(p.Contact) != "dpo.cramif@assurance-maladie.fr" {
		t.Errorf("two values: %+v", p)
	}
	if party(nil) != nil {
		t.Error("no values gives a party")
	}
}

func FuzzRightsContact(f *testing.F) {
	for _, s := range []string{"DPO", "auprès du directeur", "x@y.fr", "œuvre auprès du DPO", "en contactant "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, _ := RightsContact(s)
		// In runes: an invalid byte of s comes out as U+FFFD (3 bytes).
		if utf8.RuneCountInString(c) > utf8.RuneCountInString(s)+8 {
			t.Fatalf("%q → %q", s, c)
		}
		splitContact(s)
	})
}

func TestOrganisation(t *testing.T) {
	cases := []struct{ in, want string }{
		{"Cramif", "Cramif"},
		{"CRAMIF", "Cramif"},
		{"Caisse régionale d'assurance maladie d'Île-de-France", "Cramif"},
		{"CNAM", "Cnam"},
		{"Caisse nationale de l'Assurance Maladie", "Cnam"},
		{"CNAMTS", "Cnam"},
		{"Ccmsa", "CCMSA"},
		{"Caisse centrale de la mutualité sociale agricole", "CCMSA"},
		{"MSA Dordogne, Lot et Garonne", "MSA Dordogne, Lot et Garonne"},
		{"CGSS Guadeloupe", "CGSS Guadeloupe"},
		{"CGSS de la Guadeloupe", "CGSS Guadeloupe"},
		{"Caisse Générale de Sécurité Sociale de la Guadeloupe", "CGSS Guadeloupe"},
		{"CPAM de Paris", "CPAM de Paris"},
		{"CPAM DE PARIS", "CPAM de Paris"},
		{"Caisse primaire d’assurance maladie de Paris", "CPAM de Paris"},
		{"CPAM", "CPAM"},
		{"Carsat Bretagne", "Carsat Bretagne"},
		{"Ville de Lyon", "Ville de Lyon"},
		{"Cramif (Caisse régionale d'assurance maladie d'Île-de-France)", "Cramif"},
		{"Cnam (Caisse nationale de l'Assurance Maladie)", "Cnam"},
		{"Caisse nationale de l'Assurance Maladie (CNAM)", "Cnam"},
		{"Cramif", "Cramif"},
		{"", ""},
	}
	for _, c := range cases {
		if got := Organisation(c.in); got != c.want {
			t.Errorf("Organisation(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	for in, want := range map[string]string{
		"REGISTRE DES TRAITEMENTS DE LA CRAMIF\nResponsable des traitements":        "Cramif",
		"TRAITEMENTS DE DONNÉES PERSONNELLES OPÉRÉS PAR L'ASSURANCE MALADIE (Cnam)": "Cnam",
		"Décision n°14-04 de la CCMSA":                                              "CCMSA",
		"Guide de crise — CGSS Guadeloupe":                                          "CGSS Guadeloupe",
		"Conditions générales d'utilisation":                                        "",
	} {
		if got := OrganisationIn(in); got != want {
			t.Errorf("OrganisationIn(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzOrganisation(f *testing.F) {
	for _, s := range []string{"CPAM de Paris", "cgss", "Caisse primaire d’assurance maladie", "msa  "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		o := Organisation(s)
		if clean(s) != "" && o == "" {
			t.Fatalf("%q lost", s)
		}
		OrganisationIn(s)
		ID(s, "k", "n")
	})
}

func TestAttachmentOf(t *testing.T) {
	cases := []struct {
		in          registre.RawValue
		label, size string
		href        string
	}{
		{registre.RawValue{Text: "Acte réglementaire pdf - 119.09 Ko", Href: "/a.pdf"}, "Acte réglementaire", "119.09 Ko", "/a.pdf"},
		{registre.RawValue{Text: "Engagement de conformité - pdf 158.3 Ko"}, "Engagement de conformité", "158.3 Ko", ""},
		{registre.RawValue{Text: "Notice RGPD - pdf - 180.49 Ko"}, "Notice RGPD", "180.49 Ko", ""},
		{registre.RawValue{Text: "Affiche pdf", Size: "2.04 Mo"}, "Affiche", "2.04 Mo", ""},
		{registre.RawValue{Text: "Décision ESOPE - pdf"}, "Décision ESOPE", "", ""},
	}
	for _, c := range cases {
		a := AttachmentOf(c.in)
		if a.Label != c.label || str(a.Size) != c.size || str(a.Href) != c.href {
			t.Errorf("%q: %q %q %q", c.in.Text, a.Label, str(a.Size), str(a.Href))
		}
	}
}

func TestNoRecipients(t *testing.T) {
	for _, s := range []string{
		"Aucune donnée traitée n'est communiquée à des tiers", "Aucune donnée traitée n'est communiquée à des tiers.",
		"Aucune donnée personnelle traitée n'est communiquée à des tiers.", "Les données traitées ne sont pas communiquées à des tiers.",
		"Pas de destinataires externes", "Aucune donnée n'est transmise à des tiers", "N/A", "non", "néant",
		"Aucune donnée traitée n'est communiquée à des tiers autres que ceux accédant aux données comme défini ci-dessous.",
		"Aucun sous-traitant", "pas de sous-traitance", "AUCUNE DONNEE N'EST COMMUNIQUEE A DES TIERS",
	} {
		if !NoRecipients(s) {
			t.Errorf("NoRecipients(%q) = false", s)
		}
	}
	for _, s := range []string{
		"Les bénéficiaires eux-mêmes", "Tout agent de l'Assurance Maladie strictement habilité",
		"Les autorités publiques sont destinataires des données statistiques agrégées et anonymisées.", "Cnam",
	} {
		if NoRecipients(s) {
			t.Errorf("NoRecipients(%q) = true", s)
		}
	}
}

func TestRightsContactVariants(t *testing.T) {
	for _, s := range []string{"délégué(e) à la protection des données (DPO)", "Déléguée à la protection des données", "DELEGUE A LA PROTECTION DES DONNEES (DPD)", "le DPO"} {
		if c, whole := RightsContact(s); !whole || c == "" {
			t.Errorf("RightsContact(%q) = %q %v", s, c, whole)
		}
	}
}
